/// The RDATA of a resource record, decoded for the types mail delivery needs.
///
/// Any other type, or a known type whose RDATA is not of the expected shape
/// when built by hand, travels as ``other(type:bytes:)``, uninterpreted.
///
/// - SeeAlso: RFC 1035 §3.3 (standard RRs), §3.3.9 (MX), §3.3.13 (SOA), §3.3.14 (TXT), §3.4.1 (A);
///   RFC 3596 §2.2 (AAAA); RFC 7505 §3 (null MX)
public enum DNSRecordData: Hashable, Sendable {
    /// An IPv4 address, 4 octets (other counts encode as given and do not decode back).
    case a([UInt8])
    /// An IPv6 address, 16 octets (other counts encode as given and do not decode back).
    case aaaa([UInt8])
    case ns(DNSName)
    case cname(DNSName)
    /// A mail exchanger; a lower preference is tried first. Exchange `"."` is a null MX.
    case mx(preference: UInt16, exchange: DNSName)
    /// One or more <character-string>s, each at most 255 octets.
    case txt([[UInt8]])
    case soa(
        mname: DNSName, rname: DNSName, serial: UInt32,
        refresh: UInt32, retry: UInt32, expire: UInt32, minimum: UInt32)
    case other(type: UInt16, bytes: [UInt8])

    /// The record TYPE this data belongs to.
    public var type: DNSRecordType {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .ns: .ns
        case .cname: .cname
        case .mx: .mx
        case .txt: .txt
        case .soa: .soa
        case .other(let type, _): DNSRecordType(rawValue: type)
        }
    }

    /// `"192.0.2.1"` for A, `"2001:db8::1"` (RFC 5952) for AAAA, nil for other data.
    public var addressText: String? {
        switch self {
        case .a(let bytes): IPAddressText.ipv4(bytes)
        case .aaaa(let bytes): IPAddressText.ipv6(bytes)
        default: nil
        }
    }
}
