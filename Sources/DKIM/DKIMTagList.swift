/// Writes the `DKIM-Signature` field: `tag=value;` pieces on lines of at
/// most 78 characters, folded with CRLF and a tab where RFC 6376 allows
/// folding whitespace (between tags, around the colons of `h=`, inside
/// base64 values). What is signed is exactly what is written, so the
/// folding is decided before signing and `b=` comes last.
enum DKIMTagList {
    static let width = 78

    /// The field up to and including `b=`, with its CRLF: what the signature is computed over (b= empty).
    static func field(_ tags: [(String, String)]) -> [UInt8] {
        var writer = Writer(text: "DKIM-Signature:")
        for (name, value) in tags {
            if name == "h" {
                // Long: break after any colon.
                let names = value.split(separator: ":").map(String.init)
                for (index, piece) in names.enumerated() {
                    writer.add((index == 0 ? " h=" : "") + piece + (index == names.count - 1 ? ";" : ":"))
                }
            } else {
                writer.add(" \(name)=\(value);")
            }
        }
        writer.add(" b=")
        return Array((writer.text + "\r\n").utf8)
    }

    /// The signed field: `b=`'s value appended, folded inside as it needs.
    static func appendingSignature(_ base64: String, to unsigned: [UInt8]) -> [UInt8] {
        var field = Array(unsigned.dropLast(2))
        var column = field.count - (field.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
        for byte in base64.utf8 {
            if column >= width - 1 {
                field += [0x0D, 0x0A, 0x09]
                column = 1
            }
            field.append(byte)
            column += 1
        }
        return field + [0x0D, 0x0A]
    }

    struct Writer {
        var text: String
        var column: Int

        init(text: String) {
            self.text = text
            column = text.count
        }

        /// Appends `piece`, first folding the line when it would grow past
        /// the width; a leading space becomes the fold's tab.
        mutating func add(_ piece: String) {
            if column + piece.count > DKIMTagList.width {
                let trimmed = piece.hasPrefix(" ") ? String(piece.dropFirst()) : piece
                text += "\r\n\t" + trimmed
                column = 1 + trimmed.count
            } else {
                text += piece
                column += piece.count
            }
        }
    }
}
