/// One server to try for a delivery: an MX host's address, or a relay.
public struct NextHop: Sendable, Hashable, CustomStringConvertible {
    /// How TLS is used on the connection.
    public enum TLSPolicy: Sendable, Hashable {
        /// Plain text only (a relay configured with `tls = "none"`).
        case none
        /// STARTTLS when offered, certificate not checked; plain text when not
        /// offered (RFC 7435 opportunistic security; MX hosts).
        case opportunistic
        /// STARTTLS required and the certificate verified against the trusted
        /// CAs and the host name (relays and fallback relays).
        case required
        /// TLS from the first byte (port 465, RFC 8314), verified like `required`.
        case implicit
    }

    /// User name and password for AUTH PLAIN/LOGIN; only ever sent over TLS.
    public struct Credentials: Sendable, Hashable {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// The host name: for logs, SNI and certificate checks.
    public var host: String
    /// The IP address to connect to; nil lets the system resolver find
    /// `host` (relays given by name, `/etc/hosts` included).
    public var address: String?
    public var port: Int
    public var tls: TLSPolicy
    public var credentials: Credentials?
    /// A fallback relay, tried only after the route failed temporarily.
    public var isFallback: Bool

    public init(
        host: String, address: String? = nil, port: Int, tls: TLSPolicy, credentials: Credentials? = nil,
        isFallback: Bool = false
    ) {
        self.host = host
        self.address = address
        self.port = port
        self.tls = tls
        self.credentials = credentials
        self.isFallback = isFallback
    }

    /// `host[address]:port`, Postfix's way; the address once known.
    public func described(address: String?) -> String {
        "\(host)[\(address ?? self.address ?? "?")]:\(port)"
    }

    public var description: String { described(address: address) }

    /// Whether the certificate must verify.
    public var verifiesCertificate: Bool { tls == .required || tls == .implicit }
}
