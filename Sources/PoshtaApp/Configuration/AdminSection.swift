/// `[admin]`: the HTTP admin endpoint (queue, metrics) and the token that guards it.
public struct AdminSection: Sendable, Equatable {
    /// As written, e.g. "127.0.0.1:8025" or "[::1]:8025".
    public var address: String
    /// The address's host, brackets removed.
    public var host: String
    /// The address's port; 0 picks a free port.
    public var port: Int
    /// The file holding the bearer token, absolute (key `token_file`, default "admin.token").
    public var tokenFile: String
}

extension AdminSection {
    static let keys = ["address", "token_file"]

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
    }
}
