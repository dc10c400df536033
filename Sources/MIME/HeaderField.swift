/// A header field to add to a message, folded to fit RFC 5322's line length.
///
/// Parsed messages use it too: `MIMEPart.headers` holds each field's name and
/// its unfolded value.
///
/// - SeeAlso: RFC 5322 §2.2.3 (folding), §2.1.1 (78/998 octets)
public struct HeaderField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// `Name: value\r\n`, folded before a space when a line would pass 78 octets.
    public var encoded: [UInt8] {
        var lines: [String] = []
        var line = "\(name):"
        for word in value.split(separator: " ", omittingEmptySubsequences: false) {
            if line.utf8.count + 1 + word.utf8.count > 78, line.utf8.count > name.utf8.count + 1 {
                lines.append(line)
                line = "\t" + word
            } else {
                line += " " + word
            }
        }
        lines.append(line)
        return Array(lines.joined(separator: "\r\n").utf8) + [0x0D, 0x0A]
    }
}
