/// RFC 2047 encoded-words: non-ASCII text in header fields, written as
/// `=?UTF-8?B?0J/QvtGA0YrRh9C60LA=?=` or `=?UTF-8?Q?caf=C3=A9?=`.
///
/// Encoding (`encode`) writes unstructured text such as a Subject. Words of
/// printable ASCII stay as they are; the stretch from the first word that
/// needs encoding to the last one (with the spaces inside it) becomes
/// encoded-words, so a `Re:` in front or an ASCII tail stays readable. A word
/// needs encoding when it holds anything but printable ASCII (controls, CR
/// and LF included, so the result can never break the header), when it
/// contains `=?` (a reader would take it for an encoded-word), or when it is
/// longer than 900 octets (it could not be folded below 998 otherwise).
///
/// The stretch is written in B (base64) or Q, whichever is shorter for it,
/// Q on a tie: Cyrillic comes out B, Latin text with at most about one
/// accented letter in ten Q (`Ingenier=C3=ADa`), denser accents B. Q uses
/// only the characters RFC 2047 §5 (3) allows in a phrase, so the same words
/// serve a display name. Each encoded-word is at most 75 characters, holds
/// whole Unicode scalars (never part of a UTF-8 sequence, §5), and is sized
/// to the room left on its line; lines holding encoded-words stay within 76
/// characters (§2), other lines within 78. A full word ends just after a
/// space of the text when that keeps at least half of it: readers that wrongly
/// keep the blank between encoded-words (Python's email package does, in
/// display names) then show a double space instead of splitting a word.
///
/// Decoding (`decode`) unfolds the value, decodes every well-formed
/// encoded-word (B or Q, any charset `MIMECharset` knows, an RFC 2231
/// `*language` suffix ignored), also where a sender failed to set it off
/// with whitespace or put it inside quotes, and drops the whitespace
/// between two adjacent encoded-words (§6.2). Adjacent words in the same
/// charset are joined before decoding, which repairs senders that split a
/// character across words. An encoded-word that does not decode is kept as
/// it was written.
///
/// - SeeAlso: RFC 2047 §2, §4, §5, §6; RFC 2231 §5
public enum EncodedWord {
    /// RFC 2047 §2: an encoded-word is at most 75 characters.
    public static let maximumLength = 75

    /// Unstructured header text as a folded value (CRLF SP between lines), no trailing CRLF.
    ///
    /// `startingColumn` is how many octets the first line already holds, e.g.
    /// 9 for `Subject: `.
    public static func encode(_ text: String, startingColumn: Int = 0) -> String {
        let pieces = pieces(forUnstructured: text)
        var folder = HeaderFolder(column: startingColumn - 1, limit: HeaderFolder.limit(for: pieces))
        for piece in pieces { folder.append(piece) }
        return String(folder.text.dropFirst())
    }

    /// The header value with its encoded-words decoded, unfolded.
    public static func decode(_ value: String) -> String {
        EncodedWordDecoder.decode(value)
    }

    /// Unstructured text as folder pieces: ASCII words around one encoded stretch.
    static func pieces(forUnstructured text: String) -> [HeaderFolder.Piece] {
        guard !text.isEmpty else { return [] }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        guard let first = words.firstIndex(where: needsEncoding), let last = words.lastIndex(where: needsEncoding) else {
            return words.map { .word(String($0)) }
        }
        return words[..<first].map { .word(String($0)) }
            + [.encoded(words[first...last].joined(separator: " "))]
            + words[(last + 1)...].map { .word(String($0)) }
    }

    /// Whether a space-free word cannot be written as it is (see the type's notes).
    static func needsEncoding(_ word: Substring) -> Bool {
        word.utf8.count > 900 || word.contains("=?") || word.utf8.contains { !(0x21...0x7E).contains($0) }
    }

    /// B or Q.
    enum Scheme {
        case base64
        case quoted

        var letter: String { self == .base64 ? "B" : "Q" }

        /// The scheme that writes `text` in fewer characters, Q on a tie.
        static func shorter(for text: String) -> Scheme {
            let quoted = text.utf8.reduce(0) { $0 + EncodedWord.quotedWidth(of: $1) }
            return quoted <= Base64Body.unbrokenLength(ofByteCount: text.utf8.count) ? .quoted : .base64
        }
    }

    /// `=?UTF-8?X?` and `?=`.
    static let overhead = 12

    /// The length of an encoded-word holding just `scalar`.
    static func length(of scalar: Unicode.Scalar, scheme: Scheme) -> Int {
        let bytes = Array(String(scalar).utf8)
        switch scheme {
        case .base64: return overhead + Base64Body.unbrokenLength(ofByteCount: bytes.count)
        case .quoted: return overhead + bytes.reduce(0) { $0 + quotedWidth(of: $1) }
        }
    }

    /// One encoded-word of at most `maximumLength` characters from the front of
    /// `rest`, holding at least one scalar; the scalars it holds leave `rest`.
    static func word(taking rest: inout Substring.UnicodeScalarView, maximumLength: Int, scheme: Scheme) -> String {
        var bytes: [UInt8] = []
        var width = 0
        var taken = rest.startIndex
        // Where the word could end just after a space: (index, byte count).
        var afterSpace: (index: Substring.UnicodeScalarView.Index, count: Int)?
        while taken < rest.endIndex {
            let scalarBytes = Array(String(rest[taken]).utf8)
            let newWidth: Int
            switch scheme {
            case .base64: newWidth = Base64Body.unbrokenLength(ofByteCount: bytes.count + scalarBytes.count)
            case .quoted: newWidth = width + scalarBytes.reduce(0) { $0 + quotedWidth(of: $1) }
            }
            if overhead + newWidth > maximumLength, !bytes.isEmpty { break }
            bytes += scalarBytes
            width = newWidth
            taken = rest.index(after: taken)
            if scalarBytes == [.space] { afterSpace = (taken, bytes.count) }
        }
        // A full word ends after its last space when that keeps at least half of it, so
        // that readers which keep the blank between encoded-words (Python's email does,
        // in display names) show a double space rather than split a word.
        if taken < rest.endIndex, let cut = afterSpace, cut.count * 2 >= bytes.count {
            bytes.removeLast(bytes.count - cut.count)
            taken = cut.index
        }
        rest = rest[taken...]
        let encoded: [UInt8]
        switch scheme {
        case .base64: encoded = Base64Body.encodeUnbroken(bytes)
        case .quoted: encoded = bytes.flatMap(quoted)
        }
        return "=?UTF-8?\(scheme.letter)?" + String(decoding: encoded, as: UTF8.self) + "?="
    }

    /// Q's rendering of one byte: letters, digits and `!*+-/` as they are
    /// (the set §5 (3) allows in a phrase), space as `_`, the rest `=XX`.
    private static func quoted(_ byte: UInt8) -> [UInt8] {
        if byte == .space { return [UInt8(ascii: "_")] }
        return isQuotedLiteral(byte) ? [byte] : QuotedPrintable.escaped(byte)
    }

    static func quotedWidth(of byte: UInt8) -> Int {
        byte == .space || isQuotedLiteral(byte) ? 1 : 3
    }

    private static func isQuotedLiteral(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }
}
