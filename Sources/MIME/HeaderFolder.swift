/// Lays a header field's value out on lines: pieces one space apart, a fold
/// (CRLF SP) before a piece that would pass the line limit, encoded pieces cut
/// into encoded-words that fit the room left on the line.
///
/// Folding only ever happens at a space that separates pieces, which is a
/// place where RFC 5322 allows folding whitespace in the values we write
/// (unstructured text, phrases, between mailboxes and MIME parameters);
/// unfolding removes just the CRLF, so the value reads back the same. The
/// first piece never folds (a line holding only `Name:` trips up some
/// readers), nor does an empty piece (it would leave a line of blanks, which
/// RFC 5322 §3.2.2 forbids). A piece longer than the room stays whole: the
/// line passes 78 but no more than the piece needs, which callers keep far
/// below 998 by encoding over-long words.
///
/// - SeeAlso: RFC 5322 §2.2.3, §2.1.1; RFC 2047 §2 (76 characters per line with encoded-words)
struct HeaderFolder {
    /// What a value is made of, in order; one space goes between two pieces.
    enum Piece: Hashable {
        /// Written as it is, never split.
        case word(String)
        /// Written as encoded-words, as many as the text needs.
        case encoded(String)
    }

    /// RFC 5322's line length for header fields.
    static let lineLimit = 78
    /// RFC 2047 §2's line length for a header field that holds encoded-words.
    static let encodedLineLimit = 76

    /// The value written so far, starting with the space before the first piece.
    private(set) var text = ""
    private var column: Int
    private let limit: Int
    private var isEmpty = true

    /// A folder whose first line already holds `column` octets.
    init(column: Int, limit: Int) {
        self.column = column
        self.limit = limit
    }

    /// `Name: value` CRLF, folded.
    static func field(_ name: String, _ pieces: [Piece]) -> [UInt8] {
        var folder = HeaderFolder(column: name.utf8.count + 1, limit: limit(for: pieces))
        for piece in pieces { folder.append(piece) }
        return Array("\(name):\(folder.text)\r\n".utf8)
    }

    /// The pieces on one line, as long as it takes (encoded-words still at most 75 octets).
    static func unfolded(_ pieces: [Piece]) -> String {
        var folder = HeaderFolder(column: 0, limit: Int.max / 2)
        for piece in pieces { folder.append(piece) }
        return String(folder.text.dropFirst())
    }

    /// 76 when the value will hold encoded-words, else 78.
    static func limit(for pieces: [Piece]) -> Int {
        pieces.contains { if case .encoded = $0 { true } else { false } } ? encodedLineLimit : lineLimit
    }

    /// Words split at single spaces; empty words keep runs of spaces.
    static func words(_ text: String) -> [Piece] {
        text.split(separator: " ", omittingEmptySubsequences: false).map { .word(String($0)) }
    }

    mutating func append(_ piece: Piece) {
        switch piece {
        case .word(let word):
            writeSeparator(foldingFor: word.isEmpty ? 0 : word.utf8.count)
            text += word
            column += word.utf8.count
        case .encoded(let content):
            let scheme = EncodedWord.Scheme.shorter(for: content)
            var rest = content.unicodeScalars[...]
            while let first = rest.first {
                let smallest = EncodedWord.length(of: first, scheme: scheme)
                writeSeparator(foldingFor: smallest)
                let room = max(min(EncodedWord.maximumLength, limit - column), smallest)
                let word = EncodedWord.word(taking: &rest, maximumLength: room, scheme: scheme)
                text += word
                column += word.utf8.count
            }
        }
    }

    /// One space before the next piece, or CRLF SP when `width` more octets would pass the limit.
    private mutating func writeSeparator(foldingFor width: Int) {
        if !isEmpty, width > 0, column + 1 + width > limit {
            text += "\r\n "
            column = 1
        } else {
            text += " "
            column += 1
        }
        isEmpty = false
    }
}
