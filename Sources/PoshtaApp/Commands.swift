import Accounts
import Automations
import Foundation
import Logging
import NIOCore
import NIOPosix
import ShopStore

/// The logic behind `poshta` subcommands, callable from the executable and from tests.
public enum Commands {
    /// Makes SwiftNIO's event loops Swift concurrency's global executor, so
    /// that a session's task and its socket live on the same thread instead
    /// of hopping between NIO's threads and the cooperative pool for every
    /// read and write. Call first thing, from the main thread. Blocking work
    /// (fsync, file writes) must therefore never run in a plain task: the
    /// spool and the capture route do it on their own threads.
    public static func runConcurrencyOnEventLoops() {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// How `poshta serve` writes its log lines.
    public enum LogFormat: String, Sendable, CaseIterable {
        /// swift-log's lines: time, level, label, `[Module]`, message — grep-friendly.
        case text
        /// One JSON object per line, for log shippers.
        case json
    }

    /// Sets up swift-log once: lines to standard error at the configured level.
    public static func bootstrapLogging(level: LogLevelSetting, format: LogFormat = .text) {
        let level = Logger.Level(rawValue: level.rawValue) ?? .info
        LoggingSystem.bootstrap { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }

    /// `poshta serve`: start, run until a stop signal. Returns the exit status.
    public static func serve(configurationPath: String, logFormat: LogFormat = .text) async -> Int32 {
        guard let configuration = loadConfiguration(configurationPath) else { return exConfig }
        bootstrapLogging(level: configuration.server.logLevel, format: logFormat)
        let logger = Logger(label: "poshta")
        for warning in configuration.warnings { logger.warning("\(warning)") }
        do {
            let daemon = try await PoshtaDaemon.start(configuration: configuration, logger: logger)
            try await daemon.run()
            return 0
        } catch let error as StartupError {
            logger.critical("\(error)")
            printError("poshta: \(error)")
            return 1
        } catch {
            logger.critical("stopped by an error: \(error)")
            return 1
        }
    }

    /// `poshta check-config`: prints what the daemon would use, or the error.
    public static func checkConfig(configurationPath: String) async -> Int32 {
        do {
            let configuration = try PoshtaConfiguration.load(path: configurationPath)
            print(configuration.summary)
            print(await ownerSettingsInForce(configuration))
            var warnings = configuration.warnings
            if configuration.usesTLS {
                warnings += CertificateCheck.warnings(
                    certificatePath: configuration.tls.certificate, hostname: configuration.server.hostname)
            }
            do {
                let console = try UsersFile.read(path: configuration.auth.usersFile).compactMap { user in
                    user.role.map { "\(user.name) (\($0.rawValue))" }
                }
                print(
                    "console users: "
                        + (console.isEmpty
                            ? "none (add one with `poshta user add NAME --role owner|admin`)" : console.joined(separator: ", ")))
            } catch {
                warnings.append("\(error) (the daemon keeps the last good users until it is fixed)")
            }
            for warning in warnings { print("warning: \(warning)") }
            print("\(configuration.file): ok")
            return 0
        } catch {
            printError("poshta: \(error)")
            return 78
        }
    }

    /// The owner's settings in force and where they come from, the store
    /// read once: the notification switches (the store's once it has them,
    /// else `[notifications]`), and the marketing settings when the owner
    /// changed some (they stand over `[marketing]`).
    static func ownerSettingsInForce(_ configuration: PoshtaConfiguration) async -> String {
        var switches = configuration.notifications.switches
        var origin = "from [notifications]: the store has none yet"
        var marketing: AutomationOwnerSettings?
        var coupons: CouponOwnerSettings?
        let path = configuration.shop.store
        if FileManager.default.fileExists(atPath: path) {
            do {
                let store = try SQLiteShopStore(path: path)
                if let stored = try await store.notificationSwitches() {
                    switches = stored
                    origin = "from the store \(path), where the console and PUT /v1/notifications change them; [notifications] is only a new store's"
                }
                marketing = try await store.automationOwnerSettings()
                coupons = try await store.couponOwnerSettings()
            } catch {
                origin = "from [notifications]; the store \(path) cannot be read: \(error)"
            }
        }
        func word(_ on: Bool) -> String { on ? "on" : "off" }
        var lines = [
            "notifications: customer=\(word(switches.customer)) admin=\(word(switches.admin)) "
                + "unfinished_order_reminders=\(word(switches.unfinishedOrderReminders)) "
                + "disabled=[\(switches.disabled.joined(separator: ", "))] (\(origin))"
        ]
        if let marketing {
            var copy = configuration
            copy.marketing = marketing.applied(to: configuration.marketing)
            lines.append("marketing in force (the owner's changes in the store \(path) over [marketing]):")
            lines += copy.marketingSummary.map { "  " + $0 }
        }
        if let coupons, !coupons.rules.isEmpty {
            let changed = coupons.rules.sorted { $0.key < $1.key }.map { key, rule in
                rule.policy == nil ? "\(key)=none" : "\(key)=\(rule.source)"
            }
            lines.append("coupons changed by the owner (the store \(path), over [coupons]): \(changed.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }

    /// sysexits' EX_CONFIG: the status of every verb whose configuration cannot be used.
    static let exConfig: Int32 = 78

    /// The configuration, or nil after saying on standard error what is wrong with it.
    static func loadConfiguration(_ path: String) -> PoshtaConfiguration? {
        do {
            return try PoshtaConfiguration.load(path: path)
        } catch {
            printError("poshta: \(error)")
            return nil
        }
    }

    static func printError(_ text: String) {
        var standardError = StandardError()
        print(text, to: &standardError)
    }
}

extension PoshtaConfiguration {
    /// A few lines a sysadmin checks at a glance.
    public var summary: String {
        var lines = [
            "hostname: \(server.hostname)",
            "spool: \(server.spool)",
        ]
        for listener in listeners {
            lines.append(
                "listener: \(listener.address) mode=\(listener.mode.rawValue) tls=\(listener.tls.rawValue) trusted=\(listener.trustedNetworks.map(\.description).joined(separator: ","))"
            )
        }
        lines.append(
            "limits: max_message_size=\(limits.maxMessageSize) max_recipients=\(limits.maxRecipients) max_connections=\(limits.maxConnections) idle_timeout=\(limits.idleTimeout) max_errors=\(limits.maxErrors)"
        )
        lines.append("delivery: route=\(delivery.route.rawValue)\(delivery.suspended ? " (suspended)" : "")")
        lines.append("admin: \(admin.tls ? "https" : "http")://\(admin.address)/ (web console; API under /v1)")
        lines += marketingSummary
        lines.append(
            "dkim: " + (dkim.keys.isEmpty
                ? "no keys (mail goes unsigned)"
                : dkim.keys.map { "\($0.selector)._domainkey.\($0.domain) (\($0.algorithm.rawValue))" }.joined(separator: ", ")
                    + "; \(dkim.headerCanonicalization.rawValue)/\(dkim.bodyCanonicalization.rawValue)"))
        return lines.joined(separator: "\n")
    }

    /// `[marketing]` at a glance: the switch, the manners, each automation's
    /// state and delay with the rule of when it goes.
    var marketingSummary: [String] {
        let settings = marketing
        guard settings.enabled else { return ["marketing: off"] }
        var lines = [
            "marketing: on; default_consent=\(settings.defaultConsent) max_per_day=\(settings.frequencyCap.maxPerDay) quiet_hours=\(settings.quietHours?.description ?? "none") time_zone=\(settings.timeZone.identifier)"
        ]
        for automation in Automation.allCases {
            let state = settings.isOn(automation)
                ? "on, \(settings.delay(automation))"
                : (automation == .orderRelated && settings.orderRelatedMode == .merge ? "merged into the order confirmation" : "off")
            lines.append("  \(automation.rawValue): \(state) (\(automation.rule))")
        }
        return lines
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        // Unbuffered write(2) to descriptor 2: no shared FILE* state involved.
        var bytes = Array(string.utf8)
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(2, base + done, buffer.count - done)
            }
            if wrote <= 0 { return }
            done += wrote
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
