public import Foundation
import Synchronization

/// Runs a program (swaks, python3, the poshta binary) and collects its
/// output, without blocking a concurrency thread while it runs.
public enum ExternalProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var error: String
    }

    /// Runs to completion, killed after `timeout`. Standard input gets `input`.
    public static func run(
        _ executable: String, _ arguments: [String], input: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : try locate(executable))
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = stdin
        let collectedOutput = Collector(output.fileHandleForReading)
        let collectedError = Collector(error.fileHandleForReading)
        // The timer is cancelled once the program ends, so that it never
        // signals a later process that happens to get the same pid.
        let timer = Mutex<Task<Void, any Error>?>(nil)
        defer { timer.withLock { $0?.cancel() } }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try Self.launch(process)
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
            try? stdin.fileHandleForWriting.close()
            let pid = process.processIdentifier
            timer.withLock {
                $0 = Task {
                    try await Task.sleep(for: timeout)
                    kill(pid, SIGKILL)
                }
            }
        }
        return Result(status: process.terminationStatus, output: collectedOutput.text(), error: collectedError.text())
    }

    /// Foundation's `Process.run()` on Linux is not safe to call from
    /// several threads at once (a crash inside it was seen in CI with many
    /// tests starting programs in parallel): every launch of the test
    /// support goes through this lock. Only the launch is serialized.
    public static func launch(_ process: Process) throws {
        launchLock.lock()
        defer { launchLock.unlock() }
        try process.run()
    }

    private static let launchLock = NSLock()

    /// The full path of a program on PATH.
    public static func locate(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
    }
}

/// Reads a pipe to its end on a background thread.
final class Collector: @unchecked Sendable {
    // `data` is written by the reading thread and read after `done` is signalled.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
