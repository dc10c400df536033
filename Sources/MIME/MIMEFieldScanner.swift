/// Reads the lexical pieces of a structured MIME field value (Content-Type,
/// Content-Disposition): tokens, quoted-strings, comments, `;` and `=`.
///
/// Tolerant where real mail is sloppy: an unquoted value runs to the next
/// space, `;` or comment even through tspecials (`boundary=----=_Part_1`
/// is common), and an unterminated quoted-string or comment ends the value.
///
/// - SeeAlso: RFC 2045 §5.1 (token, tspecials), RFC 5322 §3.2.2 (comments), §3.2.4 (quoted-string)
struct MIMEFieldScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ value: String) {
        bytes = Array(value.utf8)
    }

    var isAtEnd: Bool { index >= bytes.count }

    /// Skips spaces, tabs, line breaks and (nested) comments.
    mutating func skipWhitespaceAndComments() {
        while index < bytes.count {
            switch bytes[index] {
            case .space, .tab, .cr, .lf:
                index += 1
            case UInt8(ascii: "("):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\\"): index += 1
                    case UInt8(ascii: "("): depth += 1
                    case UInt8(ascii: ")"): depth -= 1
                    default: break
                    }
                    index += 1
                    if depth == 0 { break }
                }
            default:
                return
            }
        }
    }

    /// Consumes `byte` if it comes next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// An RFC 2045 token, or nil when none starts here.
    mutating func token() -> String? {
        let start = index
        while index < bytes.count, Self.isTokenCharacter(bytes[index]) { index += 1 }
        return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }

    /// A parameter value: a quoted-string, unquoted and unescaped, or a loose token.
    mutating func value() -> String {
        if consume(UInt8(ascii: "\"")) { return quotedStringRest() }
        let start = index
        let stoppers: [UInt8] = [.space, .tab, .cr, .lf, UInt8(ascii: ";"), UInt8(ascii: "(")]
        while index < bytes.count, !stoppers.contains(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Skips to the next `;` (or the end), for a parameter that cannot be read.
    mutating func skipToSemicolon() {
        while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
    }

    /// The rest of a quoted-string after its opening quote.
    private mutating func quotedStringRest() -> String {
        var content: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: content, as: UTF8.self)
            case UInt8(ascii: "\\") where index < bytes.count:
                content.append(bytes[index])
                index += 1
            case .cr, .lf:
                continue  // unfolding
            default:
                content.append(byte)
            }
        }
        return String(decoding: content, as: UTF8.self)
    }

    /// RFC 2045 §5.1: any CHAR except SPACE, CTLs and tspecials.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        guard (0x21...0x7E).contains(byte) else { return false }
        return !tspecials.contains(byte)
    }

    static let tspecials = Array("()<>@,;:\\\"/[]?=".utf8)
}
