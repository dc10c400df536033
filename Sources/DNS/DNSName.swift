/// A domain name as a list of labels, the root being the empty list.
///
/// Labels are kept as the octets received; comparison and hashing ignore
/// ASCII case (RFC 4343), so `Example.COM` equals `example.com`.
/// ``description`` writes the name without the final dot, and the root as `"."`;
/// octets outside printable ASCII, and dots or backslashes inside a label,
/// are written as `\DDD` (RFC 1035 §5.1).
///
/// - SeeAlso: RFC 1035 §2.3.1 (preferred syntax), §2.3.4 (size limits), §3.1 (wire form); RFC 4343 (case)
public struct DNSName: Hashable, Sendable, CustomStringConvertible {
    /// Longest label: 63 octets.
    public static let maxLabelLength = 63
    /// Longest name in wire form, length octets and the root's zero included: 255 octets.
    public static let maxWireLength = 255

    /// The labels, most specific first; empty for the root.
    public let labels: [[UInt8]]

    /// The root name `"."`.
    public static let root = DNSName(uncheckedLabels: [])

    init(uncheckedLabels labels: [[UInt8]]) {
        self.labels = labels
    }

    /// Makes a name from labels, checking the RFC 1035 size limits.
    public init(labels: [[UInt8]]) throws(DNSNameError) {
        for label in labels {
            if label.isEmpty { throw .emptyLabel }
            if label.count > Self.maxLabelLength {
                throw .labelTooLong(String(decoding: label, as: UTF8.self))
            }
        }
        let name = DNSName(uncheckedLabels: labels)
        guard name.wireLength <= Self.maxWireLength else { throw .nameTooLong }
        self = name
    }

    /// Parses `"mail.example.com"`, `"mail.example.com."` or the root `"."`.
    ///
    /// No escapes are read: a label is the text between dots, as UTF-8 octets.
    /// The empty string is refused as an empty label.
    public init(_ text: String) throws(DNSNameError) {
        if text == "." {
            self = .root
            return
        }
        var parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if parts.count > 1, parts.last?.isEmpty == true { parts.removeLast() }
        try self.init(labels: parts.map { Array($0) })
    }

    /// True for the root name `"."`.
    public var isRoot: Bool { labels.isEmpty }

    /// Octets taken on the wire without compression: each label and its length octet, plus the final zero.
    public var wireLength: Int {
        labels.reduce(1) { $0 + 1 + $1.count }
    }

    public var description: String {
        if labels.isEmpty { return "." }
        return labels.map(Self.text(of:)).joined(separator: ".")
    }

    private static func text(of label: [UInt8]) -> String {
        var out = ""
        for byte in label {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "\\"):
                out += "\\" + String(UnicodeScalar(byte))
            case 0x21...0x7E:
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let digits = String(byte)
                out += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
            }
        }
        return out
    }

    private var folded: [[UInt8]] {
        labels.map { label in
            label.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
        }
    }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        lhs.folded == rhs.folded
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(folded)
    }
}
