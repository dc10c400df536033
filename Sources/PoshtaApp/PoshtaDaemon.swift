import Accounts
import Delivery
import Intake
public import Logging
public import NIOCore
import NIOPosix
import SMTPServer
import ServiceLifecycle
public import Spool

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

    private init(configuration: PoshtaConfiguration, spool: Spool, server: SMTPServer, group: ServiceGroup, logger: Logger) {
        self.configuration = configuration
        self.spool = spool
        self.server = server
        self.group = group
        self.logger = logger
    }

    /// Opens and recovers the spool, binds the listeners.
    public static func start(configuration: PoshtaConfiguration, logger: Logger) async throws -> PoshtaDaemon {
        let spool: Spool
        do {
            spool = try Spool(directory: configuration.server.spool, logger: logger)
        } catch {
            throw StartupError("cannot open the spool \(configuration.server.spool): \(error)")
        }
        let intake = Intake(configuration: configuration.intake, spool: spool, logger: logger)
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
                configuration: try configuration.deliveryConfiguration(), spool: spool,
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger)
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
        // Services stop in reverse order: listeners first, the spool last.
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: SpoolService(spool: spool)), .init(service: queueManager),
                    .init(service: ReloadService(tls: tls, logger: logger)), .init(service: server),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        return PoshtaDaemon(configuration: configuration, spool: spool, server: server, group: group, logger: logger)
    }

    /// The `[tls]` certificate, when a listener needs it.
    static func loadCertificate(_ configuration: PoshtaConfiguration) throws -> TLSCertificateStore? {
        guard configuration.usesTLS else { return nil }
        do {
            return try TLSCertificateStore(certificatePath: configuration.tls.certificate, keyPath: configuration.tls.key)
        } catch {
            throw StartupError(
                "\(error) — a listener has tls = starttls or implicit; make a certificate with `poshta tls selfsigned --hostname \(configuration.server.hostname)` or set [tls] certificate and key"
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
