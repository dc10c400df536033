/// The quoted-printable body encoding, for text that is mostly ASCII.
///
/// Encoding, byte for byte (RFC 2045 §6.7 rules 1–5):
/// - printable ASCII other than `=` (33–60, 62–126) is written as it is;
///   every other byte becomes `=XX` with upper-case hex digits;
/// - CRLF in the data is a hard line break and is written as CRLF;
/// - a lone CR or a lone LF is data, not a line break: it is written `=0D` or
///   `=0A`, so that `decode(encode(x)) == x` for any bytes. Text should reach
///   the encoder with CRLF line breaks (`MIMEBuilder` normalizes them first);
/// - SP and TAB are written as they are, except as the last byte before a
///   hard break or at the very end, where a relay could strip them: there they
///   become `=20` / `=09`;
/// - encoded lines are at most 76 characters: a soft break `=` CRLF goes in
///   before a line would pass 75 characters plus its `=`; an `=XX` is never
///   split across lines;
/// - a `.` or a `From ` at the start of an encoded line is escaped (`=2E`,
///   `=46rom `), as RFC 2049 §3 (8) advises, so that neither a lone-dot line
///   in SMTP nor mbox's `>From ` quoting can touch the text.
///
/// Decoding is tolerant: lower-case hex is accepted, `=` before a line break
/// (even with spaces after it) is a soft break, an `=` not followed by two hex
/// digits is kept literally, bare LF line breaks are kept as they are, and
/// spaces or tabs that end a line unencoded are removed (rule 3: a relay
/// added them).
///
/// - SeeAlso: RFC 2045 §6.7, RFC 2049 §3
public enum QuotedPrintable {
    /// The longest encoded line, not counting its CRLF.
    public static let maximumLineLength = 76

    /// Encodes `bytes`; the result ends with CRLF only when the data does.
    public static func encode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        // Every byte of every mail body passes here: pointers, not
        // bounds-checked arrays. A byte takes at most three octets, and a
        // soft break at most three more before it.
        return input.withUnsafeBufferPointer { input in
            [UInt8](unsafeUninitializedCapacity: input.count * 6 + 3) { output, written in
                written = encode(input, into: output)
            }
        }
    }

    /// The encoding loop; returns how many octets it wrote.
    private static func encode(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let hex: (UInt8) -> UInt8 = { $0 < 10 ? $0 + 0x30 : $0 + 0x37 }  // 0-9, A-F
        var out = 0
        var column = 0
        var index = 0
        let count = input.count
        while index < count {
            if input[index] == .cr, index + 1 < count, input[index + 1] == .lf {
                output[out] = .cr
                output[out + 1] = .lf
                out += 2
                column = 0
                index += 2
                continue
            }
            let next = index + 1
            let lastOnLine = next == count || (input[next] == .cr && next + 1 < count && input[next + 1] == .lf)
            var literal = isLiteral(input, at: index, lastOnLine: lastOnLine, lineStart: column == 0)
            // The last byte of a line may use column 76; any other must leave room for the soft break's `=`.
            let room = lastOnLine ? maximumLineLength : maximumLineLength - 1
            if column + (literal ? 1 : 3) > room {
                output[out] = .equals
                output[out + 1] = .cr
                output[out + 2] = .lf
                out += 3
                column = 0
                literal = isLiteral(input, at: index, lastOnLine: lastOnLine, lineStart: true)
            }
            let byte = input[index]
            if literal {
                output[out] = byte
                out += 1
                column += 1
            } else {
                output[out] = .equals
                output[out + 1] = hex(byte >> 4)
                output[out + 2] = hex(byte & 0x0F)
                out += 3
                column += 3
            }
            index += 1
        }
        return out
    }

    /// Decodes quoted-printable text; never fails (see the type's notes on tolerance).
    public static func decode(_ encoded: some Collection<UInt8>) -> [UInt8] {
        let input = Array(encoded)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        // Spaces and tabs at the end of `output` that arrived unencoded: a line break removes them.
        var looseWhitespace = 0
        var index = 0
        while index < input.count {
            let byte = input[index]
            switch byte {
            case .equals:
                if index + 2 < input.count, let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                    output.append(high << 4 | low)
                    looseWhitespace = 0
                    index += 3
                    continue
                }
                var after = index + 1
                while after < input.count, input[after] == .space || input[after] == .tab { after += 1 }
                if after == input.count {
                    index = after  // a soft break at the very end
                } else if input[after] == .lf {
                    index = after + 1
                } else if input[after] == .cr, after + 1 < input.count, input[after + 1] == .lf {
                    index = after + 2
                } else {
                    output.append(byte)  // not an escape and not a soft break: keep it
                    index += 1
                }
                looseWhitespace = 0
            case .cr where index + 1 < input.count && input[index + 1] == .lf:
                output.removeLast(looseWhitespace)
                output += [.cr, .lf]
                looseWhitespace = 0
                index += 2
            case .lf:
                output.removeLast(looseWhitespace)
                output.append(.lf)
                looseWhitespace = 0
                index += 1
            default:
                output.append(byte)
                looseWhitespace = byte == .space || byte == .tab ? looseWhitespace + 1 : 0
                index += 1
            }
        }
        output.removeLast(looseWhitespace)
        return output
    }

    /// How the byte at `index` is written: itself, or `=XX`.

    /// `From ` at `index` (RFC 4155's mbox separator), checked byte by byte.
    static func startsWithFrom(_ input: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        index + 5 <= input.count && input[index] == UInt8(ascii: "F") && input[index + 1] == UInt8(ascii: "r")
            && input[index + 2] == UInt8(ascii: "o") && input[index + 3] == UInt8(ascii: "m")
            && input[index + 4] == .space
    }

    /// Whether the byte at `index` may stand as itself.
    @inline(__always)
    private static func isLiteral(_ input: UnsafeBufferPointer<UInt8>, at index: Int, lastOnLine: Bool, lineStart: Bool) -> Bool {
        let byte = input[index]
        var literal: Bool
        switch byte {
        case 33...60, 62...126: literal = true
        case .space, .tab: literal = !lastOnLine
        default: literal = false
        }
        if literal, lineStart {
            if byte == UInt8(ascii: ".") || startsWithFrom(input, at: index) { literal = false }
        }
        return literal
    }

    /// `=XX` for `byte`, upper-case hex.
    static func escaped(_ byte: UInt8) -> [UInt8] {
        [.equals, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
    }

    static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// The value of one hex digit, either case.
    public static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

extension UInt8 {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let equals = UInt8(ascii: "=")
}
