/// What a message Poshta writes itself (templates, DSNs, notifications)
/// must be before it leaves, checked: the rules of RFC 5322 and MIME that
/// receivers' filters count against a sender. The tests run every message
/// Poshta can build through it; an empty list means conformant.
///
/// - One header section, ended by an empty line; field names printable
///   ASCII; header values ASCII (non-ASCII only as RFC 2047 encoded words).
/// - Exactly one From and one Date, at most one Message-ID (and here: one),
///   Subject, To, Reply-To; MIME-Version when there is a Content-Type.
/// - Every line ends with CRLF and has at most 998 octets before it.
/// - Every encoded word decodes on its own: base64 or Q that is well
///   formed, and in UTF-8 never a character cut between two words.
/// - The body is 7-bit (quoted-printable or base64 carry the rest), so
///   that it can go to a server that does not offer 8BITMIME unchanged.
public enum OutboundConformance {
    public static func problems(in message: [UInt8]) -> [String] {
        var problems: [String] = []
        let block = HeaderBlock(scanning: message)
        if !block.hasSeparator { problems.append("the header section does not end with an empty line") }
        problems += lineProblems(message)

        var counts: [String: Int] = [:]
        for field in block.fields {
            counts[field.name.lowercased(), default: 0] += 1
            let bytes = message[field.range]
            if let byte = bytes.first(where: { $0 >= 0x80 || $0 == 0 }) {
                problems.append("\(field.name): a raw byte 0x\(String(byte, radix: 16)) in the header (non-ASCII goes in encoded words)")
            }
            let value = String(decoding: bytes, as: UTF8.self)
            problems += encodedWordProblems(in: value).map { "\(field.name): \($0)" }
        }
        for name in ["from", "date", "message-id"] where counts[name, default: 0] != 1 {
            problems.append("\(counts[name, default: 0]) \(name) field(s); exactly one is needed")
        }
        for name in ["subject", "to", "reply-to", "mime-version", "content-type", "content-transfer-encoding"]
        where counts[name, default: 0] > 1 {
            problems.append("\(counts[name, default: 0]) \(name) fields; at most one is allowed")
        }
        if counts["content-type"] != nil, counts["mime-version"] == nil { problems.append("Content-Type without MIME-Version") }

        var bodyStart = block.end
        while bodyStart < message.count, message[bodyStart] == 0x0D || message[bodyStart] == 0x0A, bodyStart < block.end + 2 {
            bodyStart += 1
        }
        if let offset = message[bodyStart...].firstIndex(where: { $0 >= 0x80 || $0 == 0 }) {
            problems.append("the body is not 7-bit: byte 0x\(String(message[offset], radix: 16)) at offset \(offset)")
        }
        return problems
    }

    /// CRLF line ends only; no line over 998 octets (RFC 5322 §2.1.1).
    static func lineProblems(_ message: [UInt8]) -> [String] {
        var problems: [String] = []
        var lineStart = 0
        var number = 1
        for index in message.indices {
            switch message[index] {
            case 0x0A:
                if index == 0 || message[index - 1] != 0x0D { problems.append("line \(number) ends with a bare LF") }
                let length = index - lineStart - (index > 0 && message[index - 1] == 0x0D ? 1 : 0)
                if length > 998 { problems.append("line \(number) has \(length) octets (at most 998)") }
                lineStart = index + 1
                number += 1
            case 0x0D where index + 1 >= message.count || message[index + 1] != 0x0A:
                problems.append("line \(number) has a bare CR")
            default:
                break
            }
            if problems.count > 20 { break }
        }
        if lineStart < message.count { problems.append("the message does not end with CRLF") }
        return problems
    }

    /// Each `=?charset?B|Q?text?=` in `value`, decoded on its own.
    static func encodedWordProblems(in value: String) -> [String] {
        var problems: [String] = []
        var rest = Substring(value)
        while let start = rest.indices.first(where: { rest[$0] == "=" && rest.index(after: $0) < rest.endIndex && rest[rest.index(after: $0)] == "?" }) {
            let after = rest[rest.index(start, offsetBy: 2)...]
            let parts = after.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, parts[3].hasPrefix("="), ["b", "q"].contains(parts[1].lowercased()) else {
                rest = after
                continue
            }
            let charset = parts[0].lowercased().split(separator: "*").first.map(String.init) ?? ""
            let text = parts[2]
            let word = "=?\(parts[0])?\(parts[1])?\(text)?="
            if word.utf8.count > 75 { problems.append("the encoded word \(word.prefix(20))… is longer than 75 characters") }
            let bytes = parts[1].lowercased() == "b" ? base64(text) : quoted(text)
            if let bytes {
                if charset == "utf-8", String(validating: bytes, as: UTF8.self) == nil {
                    problems.append("the encoded word \(word.prefix(40)) is not whole UTF-8 (a character cut between words?)")
                }
            } else {
                problems.append("the encoded word \(word.prefix(40)) does not decode")
            }
            rest = parts[3].dropFirst()
        }
        return problems
    }

    static func base64(_ text: Substring) -> [UInt8]? {
        guard text.utf8.count % 4 == 0 else { return nil }
        return try? Base64Body.decode(Array(text.utf8))
    }

    static func quoted(_ text: Substring) -> [UInt8]? {
        var output: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "_"): output.append(0x20)
            case UInt8(ascii: "="):
                // Strict, unlike the lenient reader (EncodedWordDecoder keeps a stray "="): two hex digits.
                guard bytes.count >= 2, let high = QuotedPrintable.hexValue(bytes[bytes.startIndex]),
                    let low = QuotedPrintable.hexValue(bytes[bytes.startIndex + 1])
                else { return nil }
                output.append(high << 4 | low)
                bytes = bytes.dropFirst(2)
            case 0x21...0x7E: output.append(byte)
            default: return nil
            }
        }
        return output
    }
}
