/// Reads server replies from bytes: one or more lines `code[-| ]text CRLF`.
///
/// Used by Poshta's SMTP client and by the tests' client. Tolerates a reply
/// without text (`250\r\n`) and takes the enhanced status code out of the
/// text when the first line has one.
///
/// - SeeAlso: RFC 5321 §4.2.1 (multi-line replies), RFC 2034 §4
public struct SMTPReplyParser: Sendable {
    /// The bytes do not form a reply.
    public struct Failure: Error, Hashable, Sendable {
        public var line: String
    }

    private var pending: [UInt8] = []
    private var lines: [String] = []
    private var code: Int?

    public init() {}

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        pending.append(contentsOf: bytes)
    }

    /// The next complete reply, or nil when more bytes are needed.
    public mutating func next() throws(Failure) -> SMTPReply? {
        while let lf = pending.firstIndex(of: 0x0A) {
            var lineBytes = pending[..<lf]
            if lineBytes.last == 0x0D { lineBytes = lineBytes.dropLast() }
            let line = String(decoding: lineBytes, as: UTF8.self)
            pending.removeFirst(lf + 1)
            let utf8 = Array(line.utf8)
            guard utf8.count >= 3, utf8[0..<3].allSatisfy({ (48...57).contains($0) }), let lineCode = Int(line.prefix(3)),
                (200...599).contains(lineCode)
            else { throw Failure(line: line) }
            if let code, code != lineCode { throw Failure(line: line) }
            code = lineCode
            let separator = utf8.count > 3 ? utf8[3] : UInt8(ascii: " ")
            guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else { throw Failure(line: line) }
            lines.append(utf8.count > 4 ? String(line.dropFirst(4)) : "")
            if separator == UInt8(ascii: " ") {
                defer {
                    lines = []
                    code = nil
                }
                return Self.makeReply(code: lineCode, lines: lines)
            }
        }
        return nil
    }

    private static func makeReply(code: Int, lines: [String]) -> SMTPReply {
        // The enhanced code, when present, starts every line; keep it once.
        let firstWord = lines[0].split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        guard let enhanced = EnhancedStatusCode(firstWord), enhanced.statusClass == code / 100 else {
            return SMTPReply(code: code, enhancedCode: nil, lines: lines)
        }
        let prefix = firstWord + " "
        let texts = lines.map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : ($0 == firstWord ? "" : $0) }
        return SMTPReply(code: code, enhancedCode: enhanced, lines: texts)
    }
}
