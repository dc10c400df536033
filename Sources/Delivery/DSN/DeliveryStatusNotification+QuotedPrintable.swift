extension DeliveryStatusNotification {
    /// Quoted-printable for the text part when it is not plain 7-bit.
    ///
    /// - SeeAlso: RFC 2045 §6.7
    enum QuotedPrintable {
        /// Encoded lines are at most 76 characters, soft break included.
        static let lineLimit = 76

        /// Encodes `lines` (text without line endings); every output line ends in CRLF.
        static func encode(lines: [[UInt8]]) -> [UInt8] {
            var out: [UInt8] = []
            for line in lines {
                var length = 0
                for (index, byte) in line.enumerated() {
                    let isLast = index == line.count - 1
                    let literal =
                        ((0x21...0x7E).contains(byte) && byte != UInt8(ascii: "="))
                        || ((byte == 0x20 || byte == 0x09) && !isLast)
                    let piece: [UInt8] = literal ? [byte] : escape(byte)
                    // Leave room for the "=" of a soft break unless this ends the line.
                    let room = isLast ? lineLimit : lineLimit - 1
                    if length + piece.count > room {
                        out += [UInt8(ascii: "="), 0x0D, 0x0A]
                        length = 0
                    }
                    out += piece
                    length += piece.count
                }
                out += [0x0D, 0x0A]
            }
            return out
        }

        private static func escape(_ byte: UInt8) -> [UInt8] {
            let digits = Array("0123456789ABCDEF".utf8)
            return [UInt8(ascii: "="), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
        }
    }
}
