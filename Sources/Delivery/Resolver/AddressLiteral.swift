import NIOCore

/// A recipient domain written as an IP address in brackets, `[192.0.2.1]` or
/// `[IPv6:2001:db8::1]`: mail goes to that address, without DNS.
///
/// - SeeAlso: RFC 5321 §4.1.3 (address literals), §5.1
struct AddressLiteral: Hashable, Sendable {
    /// The address as text; IPv6 in the C library's (RFC 5952) form.
    var address: String

    /// ```
    /// address-literal      = "[" ( IPv4-address-literal / IPv6-address-literal / General-address-literal ) "]"
    /// IPv4-address-literal = Snum 3("."  Snum)
    /// IPv6-address-literal = "IPv6:" IPv6-addr
    /// ```
    /// Nil for text not in brackets, and for a general literal (`[tag:…]`), which we cannot route.
    init?(_ text: String) {
        guard text.hasPrefix("["), text.hasSuffix("]"), text.count > 2 else { return nil }
        let inside = text.dropFirst().dropLast()
        let tag = "ipv6:"
        if inside.lowercased().hasPrefix(tag) {
            let v6 = String(inside.dropFirst(tag.count))
            guard let parsed = try? SocketAddress(ipAddress: v6, port: 0), parsed.protocol == .inet6,
                let canonical = parsed.ipAddress
            else { return nil }
            address = canonical
        } else {
            guard let parsed = try? SocketAddress(ipAddress: String(inside), port: 0), parsed.protocol == .inet,
                let canonical = parsed.ipAddress
            else { return nil }
            address = canonical
        }
    }
}
