/// One host to try for a recipient domain: an MX exchange, the domain itself
/// (implicit MX), or a domain literal, with its addresses.
///
/// - SeeAlso: RFC 5321 §5.1
public struct MailHost: Sendable, Hashable {
    /// The exchange's name as DNS gave it (no final dot), or the domain, or the literal `[192.0.2.1]`.
    public var name: String
    /// The MX preference; 0 for an implicit MX or a literal.
    public var preference: Int
    /// IP addresses as text, IPv4 first then IPv6, each in answer order.
    public var addresses: [String]

    public init(name: String, preference: Int, addresses: [String]) {
        self.name = name
        self.preference = preference
        self.addresses = addresses
    }
}
