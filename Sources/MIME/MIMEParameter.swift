/// One `name=value` parameter of a Content-Type or Content-Disposition field,
/// after RFC 2231 has been undone: `title*0*=utf-8''%D0%9F; title*1=...`
/// reads back as one parameter `title` with its decoded text.
///
/// - SeeAlso: RFC 2045 §5.1, RFC 2231 §3 (continuations), §4 (charset and language)
public struct MIMEParameter: Sendable, Hashable {
    /// The name in lower case (names are case-insensitive), without RFC 2231's `*` markers.
    public var name: String
    /// The value: unquoted, unescaped, decoded.
    public var value: String

    /// A parameter; `name` is lower-cased.
    public init(_ name: String, _ value: String) {
        self.name = name.lowercased()
        self.value = value
    }

    /// `name=value` as it goes into a header field: a token as it is, other
    /// printable ASCII as a quoted-string, anything else RFC 2231's
    /// `name*=utf-8''%XX…` (one piece; continuations are not written).
    public var formatted: String {
        let bytes = Array(value.utf8)
        if bytes.contains(where: { !(0x20...0x7E).contains($0) }) {
            var encoded = "\(name)*=utf-8''"
            for byte in bytes {
                if Self.isAttributeCharacter(byte) {
                    encoded.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    encoded += String(decoding: [UInt8(ascii: "%")] + QuotedPrintable.escaped(byte).dropFirst(), as: UTF8.self)
                }
            }
            return encoded
        }
        if !bytes.isEmpty, bytes.allSatisfy(MIMEFieldScanner.isTokenCharacter) { return "\(name)=\(value)" }
        var quoted = "\(name)=\""
        for character in value {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// Reads `; name=value` parameters up to the end of the scanner's text.
    static func parseList(_ scanner: inout MIMEFieldScanner) -> [MIMEParameter] {
        var raw: [(name: String, value: String)] = []
        while true {
            scanner.skipWhitespaceAndComments()
            if scanner.isAtEnd { break }
            guard scanner.consume(UInt8(ascii: ";")) else {
                // Junk between parameters: skip to the next one.
                scanner.skipToSemicolon()
                continue
            }
            scanner.skipWhitespaceAndComments()
            guard let name = scanner.token() else {
                scanner.skipToSemicolon()
                continue
            }
            scanner.skipWhitespaceAndComments()
            guard scanner.consume(UInt8(ascii: "=")) else { continue }
            scanner.skipWhitespaceAndComments()
            raw.append((name.lowercased(), scanner.value()))
        }
        return assemble(raw)
    }

    /// Undoes RFC 2231: joins `name*0`, `name*1`… and decodes `name*` / `name*0*` values.
    /// Where both forms are present, the RFC 2231 one wins (it is the newer, exact one).
    private static func assemble(_ raw: [(name: String, value: String)]) -> [MIMEParameter] {
        struct Pending {
            var plain: String?
            var extended: String?
            var sections: [Int: (value: String, isExtended: Bool)] = [:]
        }
        var order: [String] = []
        var pending: [String: Pending] = [:]
        for (name, value) in raw {
            let isExtended = name.hasSuffix("*")
            let stem = isExtended ? String(name.dropLast()) : name
            var base = stem
            var section: Int?
            if let star = stem.lastIndex(of: "*"), let number = Int(stem[stem.index(after: star)...]), number >= 0 {
                base = String(stem[..<star])
                section = number
            }
            if pending[base] == nil {
                pending[base] = Pending()
                order.append(base)
            }
            if let section {
                if pending[base]?.sections[section] == nil { pending[base]?.sections[section] = (value, isExtended) }
            } else if isExtended {
                if pending[base]?.extended == nil { pending[base]?.extended = value }
            } else if pending[base]?.plain == nil {
                pending[base]?.plain = value
            }
        }
        return order.compactMap { name in
            guard let entry = pending[name] else { return nil }
            if let extended = entry.extended {
                return MIMEParameter(name, decodeExtended([(extended, true)]))
            }
            if entry.sections[0] != nil {
                var parts: [(String, Bool)] = []
                var number = 0
                while let section = entry.sections[number] {
                    parts.append((section.value, section.isExtended))
                    number += 1
                }
                return MIMEParameter(name, decodeExtended(parts))
            }
            return entry.plain.map { MIMEParameter(name, $0) }
        }
    }

    /// Decodes RFC 2231 sections; the first, when extended, starts `charset'language'`.
    private static func decodeExtended(_ sections: [(value: String, isExtended: Bool)]) -> String {
        var charset = "utf-8"
        var bytes: [UInt8] = []
        for (position, section) in sections.enumerated() {
            var text = Substring(section.value)
            if position == 0, section.isExtended {
                let fields = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if fields.count == 3 {
                    if !fields[0].isEmpty { charset = String(fields[0]) }
                    text = fields[2]
                }
            }
            bytes += section.isExtended ? percentDecoded(text.utf8) : Array(text.utf8)
        }
        return MIMECharset.decode(bytes, charset: charset) ?? String(decoding: bytes, as: UTF8.self)
    }

    private static func percentDecoded(_ text: Substring.UTF8View) -> [UInt8] {
        let input = Array(text)
        var output: [UInt8] = []
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "%"), index + 2 < input.count,
                let high = QuotedPrintable.hexValue(input[index + 1]), let low = QuotedPrintable.hexValue(input[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(input[index])
                index += 1
            }
        }
        return output
    }

    /// RFC 2231 §7 `attribute-char`, minus `%` and `'`, which carry meaning in the value.
    private static func isAttributeCharacter(_ byte: UInt8) -> Bool {
        MIMEFieldScanner.isTokenCharacter(byte) && byte != UInt8(ascii: "*") && byte != UInt8(ascii: "'")
            && byte != UInt8(ascii: "%")
    }
}
