/// The TYPE (and QTYPE) of a resource record.
///
/// Codes this module understands have a case; any other code is kept in
/// ``other(_:)`` so that nothing is lost on a round trip.
///
/// - SeeAlso: RFC 1035 §3.2.2, §3.2.3; RFC 3596 §2.1 (AAAA)
public enum DNSRecordType: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    case a, ns, cname, soa, mx, txt, aaaa
    case other(UInt16)

    public init(rawValue: UInt16) {
        switch rawValue {
        case 1: self = .a
        case 2: self = .ns
        case 5: self = .cname
        case 6: self = .soa
        case 15: self = .mx
        case 16: self = .txt
        case 28: self = .aaaa
        default: self = .other(rawValue)
        }
    }

    public var rawValue: UInt16 {
        switch self {
        case .a: 1
        case .ns: 2
        case .cname: 5
        case .soa: 6
        case .mx: 15
        case .txt: 16
        case .aaaa: 28
        case .other(let code): code
        }
    }

    public var description: String {
        switch self {
        case .a: "A"
        case .ns: "NS"
        case .cname: "CNAME"
        case .soa: "SOA"
        case .mx: "MX"
        case .txt: "TXT"
        case .aaaa: "AAAA"
        case .other(let code): "TYPE\(code)"
        }
    }
}
