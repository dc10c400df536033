import Foundation

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
        let (child, output, error) = try start(executable, arguments, input: input.map { Array($0.utf8) })
        // The timer is cancelled once the program ends, so that it never
        // signals a later process that happens to get the same pid.
        let timer = Task {
            try await Task.sleep(for: timeout)
            child.signal(SIGKILL)
        }
        let status = await child.exit()
        timer.cancel()
        return Result(status: status, output: output.text(), error: error.text())
    }

    /// The same, blocking the calling thread, for a synchronous test; the
    /// output as bytes.
    public static func runBlocking(_ executable: String, _ arguments: [String], input: [UInt8]) throws
        -> (status: Int32, output: [UInt8], error: String)
    {
        let (child, output, error) = try start(executable, arguments, input: input)
        let bytes = output.bytes()
        let complaints = error.text()
        while child.isRunning { usleep(1_000) }
        return (child.status ?? -1, bytes, complaints)
    }

    /// Starts the program with pipes for its three standard streams; writes
    /// `input` (on a thread, so that a program that writes before it has
    /// read everything cannot deadlock with us) and closes its input.
    private static func start(_ executable: String, _ arguments: [String], input: [UInt8]?) throws
        -> (ChildProcess, Collector, Collector)
    {
        let path = executable.hasPrefix("/") ? executable : try locate(executable)
        let stdin = try ChildProcess.pipe()
        let stdout = try ChildProcess.pipe()
        let stderr = try ChildProcess.pipe()
        let child: ChildProcess
        do {
            child = try ChildProcess(path, arguments, stdin: stdin.read, stdout: stdout.write, stderr: stderr.write)
        } catch {
            [stdin.read, stdin.write, stdout.read, stdout.write, stderr.read, stderr.write].forEach { _ = close($0) }
            throw error
        }
        // The child's ends are its own now; ours would keep the pipes from ending.
        [stdin.read, stdout.write, stderr.write].forEach { _ = close($0) }
        let writer = stdin.write
        let bytes = input ?? []
        Thread.detachNewThread {
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { break }  // the program closed its input
                offset += written
            }
            close(writer)
        }
        return (child, Collector(stdout.read), Collector(stderr.read))
    }

    /// The full path of a program on PATH.
    public static func locate(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
    }
}

/// Reads a pipe to its end on a background thread, then closes it.
final class Collector: @unchecked Sendable {
    // `data` is written by the reading thread and read after `done` is signalled.
    private var data: [UInt8] = []
    private let done = DispatchSemaphore(value: 0)

    init(_ descriptor: Int32) {
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                data += buffer[..<count]
            }
            close(descriptor)
            done.signal()
        }
    }

    func bytes() -> [UInt8] {
        done.wait()
        return data
    }

    func text() -> String {
        String(decoding: bytes(), as: UTF8.self)
    }
}
