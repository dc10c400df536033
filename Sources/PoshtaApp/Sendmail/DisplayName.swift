/// A person's name as a header's display name: a quoted string when it is
/// ASCII, RFC 2047 encoded words (`=?UTF-8?B?...?=`) when it is not, so that
/// `-F "Магазин Ромашка"` reaches every mail reader intact.
///
/// Sources/MIME has no RFC 2047 encoder yet; this minimal one (B encoding
/// only, which is always safe in a phrase) can move there when MIME grows one.
///
/// - SeeAlso: RFC 5322 §3.2.4 (quoted-string), §3.2.5 (phrase);
///   RFC 2047 §2 (encoded-word, 75 characters), §5(3) (in a phrase)
enum DisplayName {
    /// Bytes of UTF-8 per encoded word: 39 bytes make 52 base64 characters,
    /// a word of 64, so that `From: ` and one word stay under 76 characters.
    static let bytesPerWord = 39

    /// The phrase for `name`, or nil when nothing printable is left.
    /// Control characters (CR and LF among them) become spaces: a name
    /// must never be able to start a header line of its own.
    static func encode(_ name: String) -> String? {
        let cleaned = String(
            String.UnicodeScalarView(
                name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
        let trimmed = cleaned.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        guard !trimmed.isEmpty else { return nil }
        if trimmed.utf8.allSatisfy({ $0 < 0x80 }) {
            var quoted = "\""
            for character in trimmed {
                if character == "\"" || character == "\\" { quoted += "\\" }
                quoted.append(character)
            }
            return quoted + "\""
        }
        return words(trimmed).map { "=?UTF-8?B?\(base64($0))?=" }.joined(separator: " ")
    }

    /// Splits into pieces of at most `bytesPerWord` UTF-8 bytes, never inside
    /// a character (RFC 2047 §5: each encoded word must stand alone).
    private static func words(_ text: String) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var current: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if current.count + bytes.count > bytesPerWord {
                pieces.append(current)
                current = []
            }
            current += bytes
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// RFC 4648 base64 with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            let chunk = UInt32(bytes[index]) << 16
                | (count > 1 ? UInt32(bytes[index + 1]) << 8 : 0)
                | (count > 2 ? UInt32(bytes[index + 2]) : 0)
            for position in 0..<4 {
                if position <= count {
                    out.append(alphabet[Int((chunk >> UInt32(18 - 6 * position)) & 0x3F)])
                } else {
                    out.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
