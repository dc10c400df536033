import NIOCore

/// One complete SMTP reply: its code and the text of each line (without code and separator).
struct SMTPReply: Equatable {
    var code: Int
    var lines: [String]

    /// 2xx.
    var isPositive: Bool { (200..<300).contains(code) }

    /// The reply as a server sent its first line, for reports: `"451 4.3.0 Error: …"`.
    var summary: String {
        let first = lines.first ?? ""
        let text = first.isEmpty ? "\(code)" : "\(code) \(first)"
        return lines.count > 1 ? "\(text) (+\(lines.count - 1) lines)" : text
    }

    /// Whether an EHLO reply announces `keyword` (case-insensitive, first word of a line after the first).
    func announces(_ keyword: String) -> Bool {
        lines.dropFirst().contains { line in
            line.split(separator: " ", maxSplits: 1).first.map { $0.uppercased() == keyword } ?? false
        }
    }
}

/// A reply line that is not `NNN`, `NNN-text` or `NNN text`, or a reply too long to be sane.
struct SMTPReplyError: Error, CustomStringConvertible {
    var description: String
}

/// Frames the server's byte stream into ``SMTPReply`` values (RFC 5321 §4.2: `NNN-` continues, `NNN ` ends).
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// Longest line and most lines per reply accepted before the stream is judged broken.
    static let maxLineLength = 4096
    static let maxLines = 200

    private var code: Int?
    private var lines: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let reply = try next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(reply))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while let reply = try next(from: &buffer) {
            context.fireChannelRead(Self.wrapInboundOut(reply))
        }
        return .needMoreData
    }

    /// Consumes whole lines from `buffer` until a reply is complete; nil when more bytes are needed.
    mutating func next(from buffer: inout ByteBuffer) throws -> SMTPReply? {
        while true {
            let view = buffer.readableBytesView
            guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
                if view.count > Self.maxLineLength {
                    throw SMTPReplyError(description: "reply line longer than \(Self.maxLineLength) bytes")
                }
                return nil
            }
            let length = view.distance(from: view.startIndex, to: newline) + 1
            guard var line = buffer.readSlice(length: length) else { return nil }
            var end = line.readableBytes - 1
            if end > 0, line.getInteger(at: line.readerIndex + end - 1, as: UInt8.self) == UInt8(ascii: "\r") {
                end -= 1
            }
            guard end >= 3, let text = line.readString(length: end) else {
                throw SMTPReplyError(description: "malformed reply line")
            }
            let (lineCode, isLast, rest) = try Self.parse(text)
            if let code, code != lineCode {
                throw SMTPReplyError(description: "reply code changed from \(code) to \(lineCode) within a reply")
            }
            code = lineCode
            lines.append(rest)
            if lines.count > Self.maxLines {
                throw SMTPReplyError(description: "reply of more than \(Self.maxLines) lines")
            }
            if isLast {
                let reply = SMTPReply(code: lineCode, lines: lines)
                code = nil
                lines = []
                return reply
            }
        }
    }

    /// `"250-PIPELINING"` → (250, false, "PIPELINING").
    static func parse(_ text: String) throws -> (code: Int, isLast: Bool, rest: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 3, utf8[0..<3].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let code = Int(String(decoding: utf8[0..<3], as: UTF8.self)), code >= 200, code < 600
        else {
            throw SMTPReplyError(description: "malformed reply line '\(text.prefix(80))'")
        }
        if utf8.count == 3 { return (code, true, "") }
        switch utf8[3] {
        case UInt8(ascii: " "): return (code, true, String(decoding: utf8[4...], as: UTF8.self))
        case UInt8(ascii: "-"): return (code, false, String(decoding: utf8[4...], as: UTF8.self))
        default: throw SMTPReplyError(description: "malformed reply line '\(text.prefix(80))'")
        }
    }
}
