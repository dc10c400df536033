/// Writes a mailbox — a display name and an address — for From, To, Cc or
/// Reply-To: `Shop <shop@example.com>`, `"Ivanov, Ivan" <ivan@example.bg>`,
/// `=?UTF-8?B?0JzQsNCz0LDQt9C40L0=?= <shop@example.mk>`.
///
/// The display name is an RFC 5322 phrase. Written as it is when it is words
/// of `atext` one space apart; as a quoted-string (with `\` before `"` and
/// `\`) when it holds specials such as `.` `,` `@` `"` or runs of spaces; and
/// as encoded-words, the whole name, when it holds anything but printable
/// ASCII, or `=?`, or passes 900 octets. Encoded-words are not allowed inside
/// a quoted-string (RFC 2047 §5 (3)), hence the whole name. The address is
/// written as given: it must be an ASCII `addr-spec` (`MIMEBuilder` checks).
///
/// - SeeAlso: RFC 5322 §3.4, §3.2.3 (atext), §3.2.4 (quoted-string); RFC 2047 §5 (3)
public enum MailboxText {
    /// `name <address>`, or just `address` when the name is nil or empty.
    /// One line; encoded-words in it are at most 75 characters, one space
    /// apart, so a header writer can fold between them.
    public static func mailbox(displayName: String?, address: String) -> String {
        HeaderFolder.unfolded(pieces(displayName: displayName, address: address))
    }

    /// The whole header field, `Name: mailbox` CRLF, folded between
    /// words and encoded-words so that its lines stay within 78 (76 with
    /// encoded-words): for a program that adds a From to a message as it is.
    public static func field(_ name: String, displayName: String?, address: String) -> [UInt8] {
        HeaderFolder.field(name, pieces(displayName: displayName, address: address))
    }

    /// The display name as an RFC 5322 phrase (see the type's notes).
    public static func phrase(_ displayName: String) -> String {
        HeaderFolder.unfolded(phrasePieces(displayName))
    }

    static func pieces(displayName: String?, address: String) -> [HeaderFolder.Piece] {
        guard let displayName, !displayName.isEmpty else { return [.word(address)] }
        return phrasePieces(displayName) + [.word("<\(address)>")]
    }

    static func phrasePieces(_ name: String) -> [HeaderFolder.Piece] {
        if name.utf8.count > 900 || name.contains("=?") || name.utf8.contains(where: { !(0x20...0x7E).contains($0) }) {
            return [.encoded(name)]
        }
        let words = name.split(separator: " ", omittingEmptySubsequences: false)
        if words.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isAtext) }) {
            return words.map { .word(String($0)) }
        }
        var quoted = "\""
        for character in name {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        quoted.append("\"")
        return [.word(quoted)]
    }

    /// RFC 5322 §3.2.3 `atext`.
    static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
        }
    }
}
