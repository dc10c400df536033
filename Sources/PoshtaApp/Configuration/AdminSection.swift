/// `[admin]`: the HTTP admin endpoint — the web console, the API and
/// `/metrics` — the token that guards the API, and whether it speaks TLS.
public struct AdminSection: Sendable, Equatable {
    /// As written, e.g. "127.0.0.1:8025" or "[::1]:8025".
    public var address: String
    /// The address's host, brackets removed.
    public var host: String
    /// The address's port; 0 picks a free port.
    public var port: Int
    /// The file holding the bearer token, absolute (key `token_file`, default "admin.token").
    public var tokenFile: String
    /// Serve HTTPS with the `[tls]` certificate (key `tls`, default false).
    /// Required for an address that is not loopback: the console's password
    /// and session cookie must not cross a network in the clear.
    public var tls: Bool
}

extension AdminSection {
    static let keys = ["address", "token_file", "tls"]

    init(reading reader: TOMLTableReader) throws(ConfigurationError) {
        try reader.checkKeys(Self.keys, in: "[admin]")
        address = try reader.string("address", default: "127.0.0.1:8025")
        guard let parsed = ConfigurationSyntax.hostAndPort(address, ports: 0...65535) else {
            throw reader.error(
                "address",
                "\"\(address)\" is not a valid address; expected IP:port, e.g. 127.0.0.1:8025 or [::1]:8025"
            )
        }
        host = parsed.host
        port = parsed.port
        tokenFile = try reader.path("token_file", default: "admin.token")
        tls = try reader.bool("tls", default: false)
        if !tls && !ConfigurationSyntax.isLoopback(host) {
            throw reader.error(
                "address",
                "\(address) is not a loopback address: beyond loopback the console and API need tls = true (with the [tls] certificate), so that passwords and cookies are not sent in the clear"
            )
        }
    }
}
