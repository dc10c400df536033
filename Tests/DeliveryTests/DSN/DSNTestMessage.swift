import Delivery
import Foundation

/// A report split the way a mail reader would: header fields unfolded, the
/// multipart body cut at the boundary named in Content-Type. Written for the
/// tests, independent of the encoder.
struct DSNTestMessage {
    struct Part {
        var fields: [(name: String, value: String)]
        var body: String

        func field(_ name: String) -> String? {
            fields.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    var fields: [(name: String, value: String)]
    var boundary: String
    var preamble: String
    var parts: [Part]
    var epilogue: String

    func field(_ name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(_ bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw Failure(description: "no header/body separator") }
        fields = Self.fields(String(text[..<split.lowerBound]))
        let body = String(text[split.upperBound...])
        guard let contentType = fields.first(where: { $0.name == "Content-Type" })?.value,
            let start = contentType.range(of: "boundary=\"")
        else { throw Failure(description: "no boundary") }
        let rest = contentType[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { throw Failure(description: "unterminated boundary") }
        boundary = String(rest[..<end])

        var pieces = body.components(separatedBy: "\r\n--\(boundary)")
        preamble = pieces.removeFirst()
        guard let last = pieces.popLast(), last.hasPrefix("--\r\n") else { throw Failure(description: "no close delimiter") }
        epilogue = String(decoding: last.utf8.dropFirst(4), as: UTF8.self)
        parts = try pieces.map { piece in
            guard piece.hasPrefix("\r\n") else { throw Failure(description: "delimiter not followed by CRLF") }
            let content = String(decoding: piece.utf8.dropFirst(2), as: UTF8.self)
            guard let split = content.range(of: "\r\n\r\n") else {
                throw Failure(description: "part without header/body separator")
            }
            return Part(
                fields: Self.fields(String(content[..<split.lowerBound])),
                body: String(content[split.upperBound...]))
        }
    }

    /// `name: value` pairs of a header section (no trailing CRLF), unfolded (RFC 5322 §2.2.3).
    static func fields(_ section: String) -> [(name: String, value: String)] {
        let unfolded = section.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: "\t")
        return unfolded.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { line in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            let value = line[colon...].dropFirst().drop { $0 == " " || $0 == "\t" }
            return (String(line[..<colon]), String(value))
        }
    }

    /// The delivery-status part: per-message fields, then one group per recipient.
    func deliveryStatus() throws -> (perMessage: [(name: String, value: String)], recipients: [[(name: String, value: String)]]) {
        guard let part = parts.first(where: { $0.field("Content-Type") == "message/delivery-status" }) else {
            throw Failure(description: "no message/delivery-status part")
        }
        var body = part.body
        if body.hasSuffix("\r\n") { body.removeLast() }  // "\r\n" is one Character
        let groups = body.components(separatedBy: "\r\n\r\n").map(Self.fields)
        return (groups[0], Array(groups.dropFirst()))
    }
}

/// The first value of a field named `name` (case-insensitive).
func dsnValue(_ fields: [(name: String, value: String)], _ name: String) -> String? {
    fields.first { $0.name.lowercased() == name.lowercased() }?.value
}

enum DSNTestBytes {
    /// Lines of a message, each without its CRLF; fails on a bare CR or LF.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]]? {
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D {
                guard index + 1 < bytes.count, bytes[index + 1] == 0x0A else { return nil }
                lines.append(line)
                line = []
                index += 2
                continue
            }
            if byte == 0x0A { return nil }
            line.append(byte)
            index += 1
        }
        guard line.isEmpty else { return nil }  // the last line must end in CRLF too
        return lines
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    /// Decodes quoted-printable (RFC 2045 §6.7) for checking the explanation.
    static func decodeQuotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let source = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "="), index + 2 < source.count,
                let value = UInt8(String(decoding: source[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
