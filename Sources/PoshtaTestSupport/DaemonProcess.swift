import Foundation

/// The real `poshta` binary run as a child process, for what only a separate
/// process can show: SIGKILL in the middle of work, restart, exit codes.
public final class DaemonProcess: Sendable {
    private let process: ChildProcess
    public let logFile: String

    /// The `poshta` executable built beside the test bundle. On Linux the
    /// main bundle is the build folder itself; on macOS it is the `.xctest`
    /// bundle inside it.
    public static var binary: String {
        let bundle = Bundle.main.bundleURL
        let candidates = [
            bundle.appendingPathComponent("poshta"),
            bundle.deletingLastPathComponent().appendingPathComponent("poshta"),
            bundle.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("poshta"),
        ].map(\.path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// Starts `poshta serve --config FILE` (and `arguments`), logging to `logFile`.
    public init(configurationFile: String, logFile: String, arguments: [String] = []) throws {
        self.logFile = logFile
        let log = open(logFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw ChildProcess.SpawnError(description: "cannot open \(logFile)") }
        defer { close(log) }
        process = try ChildProcess(
            Self.binary, ["serve", "--config", configurationFile] + arguments, stdin: nil, stdout: log, stderr: log)
    }

    public var pid: Int32 { process.pid }
    public var isRunning: Bool { process.isRunning }

    public var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// Waits (bounded) for a log line containing `text`; returns that line.
    public func waitForLog(_ text: String, timeout: Duration = .seconds(20)) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = log.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            if !process.isRunning { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// The port of the first "listening on" line.
    public func waitForPort(timeout: Duration = .seconds(20)) async throws -> Int? {
        guard let line = try await waitForLog("listening on", timeout: timeout),
            let range = line.range(of: "listening on ")
        else { return nil }
        let address = line[range.upperBound...].split(separator: " ")[0]
        return address.split(separator: ":").last.flatMap { Int($0) }
    }

    /// `http://127.0.0.1:PORT` from the "admin API on …" line.
    public func waitForAdminURL(timeout: Duration = .seconds(20)) async throws -> String? {
        guard let line = try await waitForLog("admin API on http://", timeout: timeout),
            let range = line.range(of: "admin API on ")
        else { return nil }
        let url = line[range.upperBound...].split(separator: " ")[0]
        return String(url.hasSuffix("/") ? url.dropLast() : url)
    }

    public func signal(_ number: Int32) {
        process.signal(number)
    }

    /// Waits (bounded) for the process to end; returns its status, or nil.
    public func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.status
    }

    deinit {
        process.signal(SIGKILL)
    }
}
