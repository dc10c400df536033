import Foundation

/// What the capture route left in a spool's `outbox/`: the `.eml` files by
/// queue id, and any temporary files an interrupted write left behind.
public struct OutboxFolder: Sendable {
    public let path: String

    public init(spool: String) {
        path = spool + "/outbox"
    }

    /// The delivered messages, keyed by queue id (the file name without `.eml`).
    public func messages() -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in names() where name.hasSuffix(".eml") && !name.hasPrefix(".") {
            if let data = FileManager.default.contents(atPath: "\(path)/\(name)") {
                files[String(name.dropLast(4))] = Array(data)
            }
        }
        return files
    }

    /// Files that are not finished messages (e.g. `.tmp-*`).
    public func strayFiles() -> [String] {
        names().filter { !$0.hasSuffix(".eml") || $0.hasPrefix(".") }
    }

    /// Waits (bounded) until every id in `ids` has its file; returns what is there.
    public func waitFor(_ ids: Set<String>, timeout: Duration) async throws -> [String: [UInt8]] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let files = messages()
            if ids.isSubset(of: Set(files.keys)) || ContinuousClock.now >= deadline { return files }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private func names() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }
}

/// A message as it left the capture route, split where Poshta's part ends.
public struct CapturedMessage: Sendable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The header section, without the empty line that ends it.
    public var header: [UInt8] {
        guard let end = separatorIndex else { return bytes }
        return Array(bytes[..<(end + 2)])
    }

    /// Everything after the first empty line: the body as the client sent it.
    public var body: [UInt8]? {
        separatorIndex.map { Array(bytes[($0 + 4)...]) }
    }

    private var separatorIndex: Int? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && Array(bytes[index..<(index + 4)]) == separator {
            return index
        }
        return nil
    }
}
