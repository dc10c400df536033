public import NIOCore

/// The name the AUTH throttle counts failures under: the IPv4 address, or
/// the /64 prefix of an IPv6 address — one IPv6 client usually holds a whole
/// /64 and could otherwise walk through it to dodge the cool-down. The SMTP
/// listeners and the console's sign-in both count under it.
public enum ThrottleKey {
    public static func key(for address: SocketAddress?) -> String {
        guard let address else { return "unknown" }
        switch address {
        case .v6(let v6):
            var raw = v6.address.sin6_addr
            let bytes = withUnsafeBytes(of: &raw) { Array($0) }
            // An IPv4-mapped address (::ffff:a.b.c.d) is an IPv4 client.
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
                return bytes[12..<16].map(String.init).joined(separator: ".")
            }
            let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            return groups.joined(separator: ":") + "::/64"
        default:
            return address.ipAddress ?? "unknown"
        }
    }
}
