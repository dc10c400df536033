import Foundation
import Accounts
import AdminAPI
import AdminConsole
import HTTPListener
import HummingbirdCore
import DKIM
import Delivery
import Intake
public import Logging
public import NIOCore
import NIOPosix
import SMTPServer
import ShopMail
import UnsubscribeWeb
import Automations
import ShopStore
import Templates
import ServiceLifecycle
public import Spool
import Synchronization

/// The running daemon: spool, intake, SMTP listeners and queue manager in
/// one service group that stops on SIGTERM or SIGINT.
///
/// `start` does everything that can fail for a reason a user must fix
/// (spool folder, ports) before anything runs, so that `poshta serve`
/// exits at once with a sentence instead of half-starting.
public final class PoshtaDaemon: Sendable {
    public let configuration: PoshtaConfiguration
    public let spool: Spool
    private let server: SMTPServer
    private let group: ServiceGroup
    private let logger: Logger
    private let admin: AdminEndpoint

    private init(
        configuration: PoshtaConfiguration, spool: Spool, server: SMTPServer, group: ServiceGroup, admin: AdminEndpoint,
        logger: Logger
    ) {
        self.configuration = configuration
        self.spool = spool
        self.server = server
        self.group = group
        self.admin = admin
        self.logger = logger
    }

    /// Opens and recovers the spool, binds the listeners.
    public static func start(configuration: PoshtaConfiguration, logger: Logger) async throws -> PoshtaDaemon {
        // Before any module counts anything.
        MetricsExporter.shared.bootstrap()
        let token = try loadAdminToken(configuration, logger: logger)
        let spool: Spool
        do {
            spool = try Spool(directory: configuration.server.spool, logger: logger)
        } catch {
            throw StartupError("cannot open the spool \(configuration.server.spool): \(error)")
        }
        let store: SQLiteShopStore
        do {
            store = try SQLiteShopStore(path: configuration.shop.store)
        } catch {
            spool.close()
            throw StartupError("cannot open the shop store \(configuration.shop.store): \(error) — set [shop] store")
        }
        let templates: TemplateSet
        do {
            templates = try await TemplateSet(
                directory: configuration.shop.templates, shop: TemplateCommands.shopIdentity(configuration),
                defaultLocale: configuration.shop.defaultLocale)
        } catch {
            spool.close()
            throw StartupError("\(error) — fix the template or check it with `poshta template check`")
        }
        let shop = configuration.shop
        let unsubscribeTokens: UnsubscribeTokens
        do {
            unsubscribeTokens = try loadUnsubscribeTokens(configuration, logger: logger)
        } catch {
            spool.close()
            throw error
        }
        let suppression = marketingSuppression(store: store, spool: spool, logger: logger)
        let settings = configuration.shopMail(unsubscribeTokens: unsubscribeTokens)
        let switches: ShopSwitches
        do {
            switches = ShopSwitches(
                try await initialSwitches(settings.notifications, store: store, logger: logger),
                automations: try await ownerAutomations(settings.automations, store: store),
                coupons: try await store.couponOwnerSettings()?.applied(to: settings.coupons) ?? settings.coupons)
        } catch {
            spool.close()
            throw StartupError("cannot read the owner's settings (notifications, automations, coupons) from \(configuration.shop.store): \(error)")
        }
        let transformer = ShopMessageTransformer(
            templates: templates, store: store, settings: settings, logger: logger, suppression: suppression,
            switches: switches)
        let dkim: DKIMKeyring?
        do {
            dkim = try configuration.dkimKeyring()
        } catch {
            spool.close()
            throw error
        }
        var intakeConfiguration = configuration.intake
        intakeConfiguration.dkim = dkim
        let intake = Intake(configuration: intakeConfiguration, spool: spool, transformer: transformer, logger: logger)
        let automations = AutomationSender(mail: transformer, intake: intake)
        do {
            // Before the queue manager runs: the spool still has every message it took before a crash.
            try await automations.recover(
                isOnSpool: { job in
                    !(try await spool.inspector.ids(taggedWith: "job", value: AutomationSender.tag(job))).isEmpty
                }, now: Date.now.timeIntervalSince1970)
        } catch {
            spool.close()
            throw StartupError("cannot recover the automation jobs in \(configuration.shop.store): \(error)")
        }
        let tls: TLSCertificateStore?
        do {
            tls = try loadCertificate(configuration)
        } catch {
            spool.close()
            throw error
        }
        let authentication = Authentication(
            users: UserDatabase(path: configuration.auth.usersFile, logger: logger),
            throttle: AuthThrottle(policy: configuration.throttlePolicy),
            restrictSenders: configuration.auth.restrictSenders)
        let queueManager: QueueManager
        do {
            queueManager = try QueueManager(
                configuration: try configuration.deliveryConfiguration(dkim: dkim), spool: spool,
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger
            ) { recipient, envelope, reply in
                // A marketing mail refused for good: that address gets no more.
                guard let automation = envelope.tags["automation"] else { return }
                do {
                    try await suppression.suppress(
                        recipient, reason: "hard bounce of \(automation): \(reply)", now: Date.now.timeIntervalSince1970)
                    logger.notice("\(envelope.queueID): <\(recipient)> bounced a marketing mail (\(automation)): suppressed, no more marketing mail")
                } catch {
                    logger.error("\(envelope.queueID): cannot suppress <\(recipient)> after its hard bounce: \(error)")
                }
            }
        } catch {
            spool.close()
            throw error as? StartupError ?? StartupError("\(configuration.file): [delivery]: \(error)")
        }
        let server: SMTPServer
        do {
            server = try await SMTPServer(
                configuration: configuration.smtpServer, intake: intake, tls: tls, authentication: authentication,
                logger: logger, group: MultiThreadedEventLoopGroup.singleton)
        } catch {
            spool.close()
            throw StartupError("\(error)")
        }
        let admin = AdminEndpoint()
        let submission = ShopSubmission(intake: intake, transformer: transformer)
        let console: Console
        let adminTransport: HTTPServerBuilder
        do {
            console = try Console(
                settings: Console.Settings(
                    users: authentication.users, throttle: authentication.throttle, secureCookies: configuration.admin.tls,
                    defaultLocale: configuration.shop.defaultLocale, shopName: configuration.shop.name),
                spool: spool, store: store, submission: submission, logger: logger)
            adminTransport =
                configuration.admin.tls
                ? try HTTPListener.https(
                    TLSCertificateStore.serverConfiguration(
                        certificatePath: configuration.tls.certificate, keyPath: configuration.tls.key)) : .http1()
        } catch {
            spool.close()
            throw StartupError("[admin]: cannot serve the console: \(error)")
        }
        let scheme = configuration.admin.tls ? "https" : "http"
        let adminServer = AdminServer(
            host: configuration.admin.host, port: configuration.admin.port, token: token, spool: spool, store: store,
            submission: submission, console: console, server: adminTransport, logger: logger
        ) { address in
            admin.listening(at: address)
            logger.notice("admin API on \(scheme)://\(AdminEndpoint.text(address))/ (queue, stats, /metrics), web console at /")
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: SpoolService(spool: spool)), .init(service: queueManager),
            .init(service: ReloadService(tls: tls, templates: templates, logger: logger)), .init(service: adminServer),
        ]
        if let host = configuration.unsubscribe.host, let port = configuration.unsubscribe.port {
            let page = UnsubscribeServer(
                host: host, port: port, tokens: unsubscribeTokens, suppression: suppression, shopName: shop.name, logger: logger
            ) { address in
                logger.notice("unsubscribe page on http://\(AdminEndpoint.text(address))/u/ (public: \(configuration.unsubscribe.url)/)")
            }
            services.append(.init(service: page))
        }
        // Always: the owner may switch marketing on while Poshta runs.
        services.append(.init(service: AutomationService(sender: automations, switches: switches, logger: logger)))
        services.append(.init(service: server))
        // Services stop in reverse order: listeners first, the spool last.
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        return PoshtaDaemon(
            configuration: configuration, spool: spool, server: server, group: group, admin: admin, logger: logger)
    }

    /// The switches in force: the store's; on a new store, `[notifications]`'s, saved there.
    static func initialSwitches(_ configured: NotificationSwitches, store: any ShopStore, logger: Logger) async throws
        -> NotificationSwitches
    {
        if let stored = try await store.notificationSwitches() {
            if stored != configured {
                logger.notice("notification switches: the store's are in force ([notifications] gives only a new store's)")
            }
            return stored
        }
        try await store.saveNotificationSwitches(configured, now: Date.now.timeIntervalSince1970)
        return configured
    }

    /// `[marketing]` with what the owner changed since (the API, the console).
    static func ownerAutomations(_ configured: AutomationSettings, store: any ShopStore) async throws -> AutomationSettings {
        try await store.automationOwnerSettings()?.applied(to: configured) ?? configured
    }

    /// The suppression list of the daemon: what the store does, and the
    /// customer's marketing mail still in the queue taken off it, logged.
    static func marketingSuppression(store: any ShopStore, spool: Spool, logger: Logger) -> SuppressionList {
        SuppressionList(store: store) { email, reason in
            do {
                let removed = try await spool.withdrawMarketing(of: email, by: "unsubscribe (\(reason))")
                if !removed.isEmpty {
                    logger.notice("<\(email)>: \(removed.count) queued marketing mail(s) withdrawn: \(reason)")
                }
            } catch {
                logger.error("<\(email)>: cannot withdraw queued marketing mail: \(error)")
            }
        }
    }

    /// The unsubscribe links' signer, for every marketing mail (the shop's
    /// own marketing templates too, with the automations off): the secret
    /// is made on the first start (mode 0600, like the admin token) and
    /// kept, so that links in mail sent long ago still work.
    static func loadUnsubscribeTokens(_ configuration: PoshtaConfiguration, logger: Logger) throws -> UnsubscribeTokens {
        let path = configuration.unsubscribe.secretFile
        do {
            let (secret, created) = try AdminToken.loadOrCreate(path: path)
            if created { logger.notice("made the unsubscribe links' secret in \(path) (keep it: links in sent mail use it)") }
            return UnsubscribeTokens(secret: Array(secret.value.utf8))
        } catch {
            throw StartupError("\(error) — check [marketing] secret_file")
        }
    }

    /// The admin token, made on the first start (mode 0600).
    static func loadAdminToken(_ configuration: PoshtaConfiguration, logger: Logger) throws -> AdminToken {
        let path = configuration.admin.tokenFile
        do {
            let (token, created) = try AdminToken.loadOrCreate(path: path)
            if created { logger.notice("admin token written to \(path) (mode 0600): the CLI reads it from there") }
            if AdminToken.isExposed(path: path) {
                logger.warning("\(path): others may read the admin token; chmod 600 \(path)")
            }
            return token
        } catch {
            throw StartupError("\(error) — set [admin] token_file to a file the daemon may create or read")
        }
    }

    /// The admin API's address once it accepts connections (port 0
    /// resolved); nil if it is not up within `timeout`.
    public func adminAddress(timeout: Duration = .seconds(10)) async -> SocketAddress? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let address = admin.address { return address }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// The `[tls]` certificate, when a listener needs it.
    static func loadCertificate(_ configuration: PoshtaConfiguration) throws -> TLSCertificateStore? {
        guard configuration.usesTLS else { return nil }
        do {
            return try TLSCertificateStore(certificatePath: configuration.tls.certificate, keyPath: configuration.tls.key)
        } catch {
            throw StartupError(
                "\(error) — a listener has tls = starttls or implicit, or [admin] tls = true; make a certificate with `poshta tls selfsigned --hostname \(configuration.server.hostname)` or set [tls] certificate and key"
            )
        }
    }

    /// The SMTP addresses bound, in listener order.
    public var smtpAddresses: [SocketAddress] { server.boundAddresses }

    /// Serves until a stop signal or `stop()`.
    public func run() async throws {
        logger.notice("poshta \(PoshtaVersion.current) started; spool \(configuration.server.spool), route \(configuration.delivery.route.rawValue)")
        try await group.run()
        logger.notice("poshta stopped")
    }

    /// Begins a graceful stop, as SIGTERM does.
    public func stop() async {
        await group.triggerGracefulShutdown()
    }
}

/// Closes the spool after every other service has stopped.
struct SpoolService: Service {
    let spool: Spool

    func run() async throws {
        try? await gracefulShutdown()
        spool.close()
    }
}

/// Start-up failed for a reason the user must fix; the text says which.
public struct StartupError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The version `poshta version` prints.
public enum PoshtaVersion {
    public static let current = "0.1.0"
}

/// Where the admin API ended up listening, once it does.
final class AdminEndpoint: Sendable {
    private let bound = Mutex<SocketAddress?>(nil)

    var address: SocketAddress? { bound.withLock { $0 } }

    func listening(at address: SocketAddress) {
        bound.withLock { $0 = address }
    }

    /// `127.0.0.1:8025` or `[::1]:8025`.
    static func text(_ address: SocketAddress) -> String {
        let host = address.ipAddress ?? "?"
        let port = address.port ?? 0
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
