public import Logging
import Synchronization

/// Keeps log lines in memory so that tests can check what was logged.
public final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    /// A logger whose lines land here (at `level` and above).
    public func logger(level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "test") { _ in CaptureHandler(capture: self) }
        logger.logLevel = level
        return logger
    }

    public var all: [String] { lines.withLock { $0 } }

    /// Lines that contain `text`.
    public func matching(_ text: String) -> [String] { all.filter { $0.contains(text) } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }
}

struct CaptureHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        capture.append("\(event.level) \(event.message)")
    }
}
