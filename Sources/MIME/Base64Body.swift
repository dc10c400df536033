/// The base64 body encoding, for data that is mostly not ASCII text.
///
/// Encoding writes lines of 76 characters joined by CRLF, with `=` padding;
/// the result does not end with a line break (the writer of the part adds
/// the one that belongs to what follows). Decoding skips spaces, tabs and
/// line breaks anywhere, accepts missing padding, and rejects any other
/// character with its offset, so that a damaged body is reported rather than
/// silently shortened (RFC 2045 §6.8 lets a decoder ignore foreign
/// characters, but a mail server that passes on bodies should not hide damage).
///
/// - SeeAlso: RFC 2045 §6.8
public enum Base64Body {
    /// Why base64 text could not be decoded.
    public enum DecodingError: Error, Hashable, Sendable, CustomStringConvertible {
        /// A byte outside the base64 alphabet, at this offset of the input.
        case invalidCharacter(UInt8, offset: Int)
        /// Data after `=` padding, or more than two `=`, at this offset.
        case misplacedPadding(offset: Int)
        /// The data ends with a single base64 digit, which cannot hold a byte.
        case truncated

        public var description: String {
            switch self {
            case .invalidCharacter(let byte, let offset):
                let shown = (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte \(byte)"
                return "invalid base64 character \(shown) at offset \(offset)"
            case .misplacedPadding(let offset):
                return "misplaced base64 padding at offset \(offset)"
            case .truncated:
                return "base64 data ends in the middle of a byte"
            }
        }
    }

    /// Characters per encoded line, not counting CRLF (RFC 2045 §6.8: at most 76).
    public static let lineLength = 76

    /// Encodes `bytes` as lines of `lineLength` characters joined by CRLF.
    public static func encode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let flat = encodeUnbroken(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(flat.count + flat.count / lineLength * 2)
        var start = 0
        while start < flat.count {
            if start > 0 { output += [.cr, .lf] }
            let end = min(start + lineLength, flat.count)
            output += flat[start..<end]
            start = end
        }
        return output
    }

    /// Decodes base64 text, skipping whitespace and line breaks.
    public static func decode(_ encoded: some Collection<UInt8>) throws(DecodingError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(encoded.count / 4 * 3)
        var group: UInt32 = 0
        var digits = 0
        var padding = 0
        for (offset, byte) in encoded.enumerated() {
            switch byte {
            case .space, .tab, .cr, .lf:
                continue
            case .equals:
                // Padding ends the data: it completes a group of two or three digits.
                guard digits >= 2, digits + padding < 4 else { throw .misplacedPadding(offset: offset) }
                padding += 1
            default:
                guard let value = decodingTable[Int(byte)] else { throw .invalidCharacter(byte, offset: offset) }
                guard padding == 0 else { throw .misplacedPadding(offset: offset) }
                group = group << 6 | UInt32(value)
                digits += 1
                if digits == 4 {
                    output += [UInt8(truncatingIfNeeded: group >> 16), UInt8(truncatingIfNeeded: group >> 8), UInt8(truncatingIfNeeded: group)]
                    group = 0
                    digits = 0
                }
            }
        }
        switch digits {
        case 0: break
        case 1: throw .truncated
        case 2: output.append(UInt8(truncatingIfNeeded: group >> 4))
        default: output += [UInt8(truncatingIfNeeded: group >> 10), UInt8(truncatingIfNeeded: group >> 2)]
        }
        return output
    }

    /// Base64 without line breaks (the `B` encoding of RFC 2047 uses it too).
    static func encodeUnbroken(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= input.count {
            let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output += [digit(group >> 18), digit(group >> 12), digit(group >> 6), digit(group)]
            index += 3
        }
        switch input.count - index {
        case 1:
            let group = UInt32(input[index]) << 16
            output += [digit(group >> 18), digit(group >> 12), .equals, .equals]
        case 2:
            let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            output += [digit(group >> 18), digit(group >> 12), digit(group >> 6), .equals]
        default:
            break
        }
        return output
    }

    /// The length of `encodeUnbroken` for `count` bytes.
    static func unbrokenLength(ofByteCount count: Int) -> Int { (count + 2) / 3 * 4 }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static func digit(_ sextet: UInt32) -> UInt8 { alphabet[Int(sextet & 0x3F)] }

    private static let decodingTable: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()
}
