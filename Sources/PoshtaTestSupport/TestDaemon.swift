public import Accounts
import Foundation
import Logging
public import PoshtaApp
public import Spool

/// A Poshta daemon started in the test process on a temporary spool, with
/// listeners on free loopback ports.
public final class TestDaemon: Sendable {
    public let directory: TemporaryDirectory
    public let daemon: PoshtaDaemon
    public let logs: LogCapture
    /// The `poshta.toml` it runs on, for `poshta … --config`.
    public let configurationFile: String
    private let task: Task<Void, any Error>

    /// Starts a daemon. `configuration` is TOML added after the `[server]`
    /// section; when it has no `[[listener]]`, one relay listener on
    /// 127.0.0.1:0 is added. The spool is `<directory>/spool`.
    ///
    /// With `tls`, a self-signed certificate is written to `tls/` first (the
    /// `[tls]` defaults); `users` go into the users file (`[auth]` default),
    /// hashed with the cheap test cost, those in `roles` console users.
    public init(
        configuration extra: String = "", hostname: String = "mail.test", tls: Bool = false,
        users: [TestUsersFile.User] = [], roles: [String: UserRecord.Role] = [:]
    ) async throws {
        let directory = try TemporaryDirectory()
        if tls { try TestCertificate.write(in: directory, hostname: hostname) }
        if !users.isEmpty { try TestUsersFile.write(users, roles: roles, to: "\(directory.path)/users") }
        var text = """
            [server]
            hostname = "\(hostname)"
            spool = "spool"
            shutdown_timeout = 5

            """
        if !extra.contains("[[listener]]") {
            text += """
                [[listener]]
                address = "127.0.0.1:0"

                """
        }
        text += extra
        if !extra.contains("[admin]") {
            // Never the default 8025: tests run side by side.
            text += """

                [admin]
                address = "127.0.0.1:0"

                """
        }
        let file = try directory.write(text, to: "poshta.toml")
        let configuration = try PoshtaConfiguration.load(path: file)
        let logs = LogCapture()
        let daemon = try await PoshtaDaemon.start(configuration: configuration, logger: logs.logger())
        self.directory = directory
        self.configurationFile = file
        self.daemon = daemon
        self.logs = logs
        self.task = Task { try await daemon.run() }
    }

    /// The port of the first listener (or of listener `index`).
    public func port(_ index: Int = 0) -> Int { daemon.smtpAddresses[index].port ?? 0 }

    public var spool: Spool { daemon.spool }

    /// `http://127.0.0.1:PORT` of the admin API, for `poshta queue … --admin`.
    public func adminURL() async throws -> String {
        // Generous: at the start of a full run, a hundred daemons come up at once on two cores.
        guard let address = await daemon.adminAddress(timeout: .seconds(45)), let port = address.port else {
            throw TestDaemonError(description: "the admin API did not come up")
        }
        return "http://127.0.0.1:\(port)"
    }

    /// The admin token the daemon made in its folder.
    public var adminToken: String {
        get throws { try String(contentsOfFile: "\(directory.path)/admin.token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Stops gracefully and waits until everything has stopped.
    public func stop() async throws {
        await daemon.stop()
        try await task.value
    }

    /// The `.eml` files in the outbox, by name.
    public func outbox() -> [String: [UInt8]] {
        let folder = spool.outboxDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var files: [String: [UInt8]] = [:]
        for name in names where name.hasSuffix(".eml") && !name.hasPrefix(".") {
            if let data = FileManager.default.contents(atPath: "\(folder)/\(name)") { files[name] = Array(data) }
        }
        return files
    }

    /// Waits (bounded) until the outbox holds at least `count` files.
    public func waitForOutbox(count: Int, timeout: Duration = .seconds(10)) async throws -> [String: [UInt8]] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let files = outbox()
            if files.count >= count { return files }
            try await Task.sleep(for: .milliseconds(20))
        }
        return outbox()
    }
}

/// A test daemon did not do what the test needs; the text says what.
public struct TestDaemonError: Error, CustomStringConvertible {
    public var description: String
}
