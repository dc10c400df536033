import NIOCore

/// Where the resolver sends its queries: the IP address and port of a
/// recursive nameserver, such as a `nameserver` line of `/etc/resolv.conf`
/// or `[delivery] nameserver = "127.0.0.1:5353"`.
///
/// Only IP addresses are taken: a nameserver named by a host name would need
/// DNS to be found.
///
/// - SeeAlso: resolv.conf(5); RFC 3986 §3.2.2 (brackets around an IPv6 host)
public struct Nameserver: Sendable, Hashable, CustomStringConvertible {
    /// The IP address as text, `"127.0.0.1"` or `"::1"`.
    public var host: String
    /// The UDP and TCP port, 53 unless told.
    public var port: Int

    /// The port of DNS over UDP and TCP (RFC 1035 §4.2).
    public static let standardPort = 53

    /// A nameserver at `host`, which must be an IP address (checked by ``init(_:)``, not here).
    public init(host: String, port: Int = Nameserver.standardPort) {
        self.host = host
        self.port = port
    }

    /// Parses `"127.0.0.1"`, `"127.0.0.1:5353"`, `"::1"` or `"[::1]:5353"`;
    /// a `%scope` after an IPv6 address is dropped.
    public init(_ text: String) throws(ResolverConfigurationError) {
        var host = Substring(text)
        var port = Self.standardPort
        if host.hasPrefix("[") {
            // "[v6]" or "[v6]:port": the brackets keep the port apart from the address's own colons.
            guard let close = host.firstIndex(of: "]") else { throw .invalidNameserver(text) }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let number = Int(rest.dropFirst()) else { throw .invalidNameserver(text) }
                port = number
            }
        } else if host.count(where: { $0 == ":" }) == 1, let colon = host.firstIndex(of: ":") {
            // One colon: IPv4 with a port. More colons: a bare IPv6 address.
            guard let number = Int(host[host.index(after: colon)...]) else { throw .invalidNameserver(text) }
            port = number
            host = host[..<colon]
        }
        if let percent = host.firstIndex(of: "%") { host = host[..<percent] }
        guard (1...65_535).contains(port), (try? SocketAddress(ipAddress: String(host), port: port)) != nil else {
            throw .invalidNameserver(text)
        }
        self.init(host: String(host), port: port)
    }

    /// `"127.0.0.1:53"`, `"[::1]:53"`: the form of log lines and of the configuration.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The address to send to, and to compare the source of answers with.
    func socketAddress() throws -> SocketAddress {
        try SocketAddress(ipAddress: host, port: port)
    }
}
