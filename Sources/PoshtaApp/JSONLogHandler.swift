import Foundation
public import Logging
import Spool

/// `poshta serve --log-format json`: one JSON object per line on standard
/// error, for log shippers (Loki, Vector, Filebeat): `time` (RFC 3339 UTC
/// with milliseconds), `level`, `label`, `message`, `queue_id` when the line
/// is about a message (it starts with the id, Postfix's way), the source
/// module, and swift-log metadata as strings.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = "\(value)"
        }
        let text = "\(event.message)"
        fields["time"] = Self.timestamp(Date())
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["module"] = event.source
        if let error = event.error { fields["error"] = "\(error)" }
        fields["message"] = text
        if let id = Self.queueID(in: text) { fields["queue_id"] = id }
        guard var bytes = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        bytes.append(0x0A)
        // One write(2) per line: lines of concurrent tasks never interleave.
        var standardError = StandardError()
        standardError.write(String(decoding: bytes, as: UTF8.self))
    }

    /// "0NQ3Z8B1K2M: to=<…>" → "0NQ3Z8B1K2M".
    static func queueID(in message: String) -> String? {
        guard let colon = message.firstIndex(of: ":") else { return nil }
        let candidate = String(message[..<colon])
        return QueueID(candidate) != nil ? candidate : nil
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }
}
