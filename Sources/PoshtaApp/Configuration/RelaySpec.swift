/// One smarthost in `[delivery] relays` or `fallback_relays`:
/// `{ host = "smtp.example.net", port = 587, tls = "starttls", username = "u", password_file = "relay.secret" }`.
public struct RelaySpec: Sendable, Equatable {
    /// A domain name or IP address.
    public var host: String
    /// Default 587.
    public var port: Int
    /// Default `starttls`.
    public var tls: ListenerTLSMode
    /// AUTH user name; given together with `passwordFile`.
    public var username: String?
    /// File holding the AUTH password, absolute (key `password_file`).
    public var passwordFile: String?
}

extension RelaySpec {
    static let keys = ["host", "port", "tls", "username", "password_file"]

    init(reading reader: TOMLTableReader) throws(ConfigurationError) {
        try reader.checkKeys(Self.keys, in: "a relay")
        guard let host = try reader.string("host") else {
            throw reader.error("host", "missing; every relay needs a host such as \"smtp.example.net\"")
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard ConfigurationSyntax.isDomainName(bare) || ConfigurationSyntax.isIPAddress(bare) else {
            throw reader.error("host", "\"\(host)\" is not a valid host; expected a domain name or an IP address")
        }
        self.host = bare
        port = try reader.int("port", default: 587, in: 1...65535)
        tls = try reader.choice("tls", default: .starttls)

        let username = try reader.string("username")
        let passwordFile = try reader.optionalPath("password_file")
        if let username, username.isEmpty {
            throw reader.error("username", "must not be empty; leave it out to relay without AUTH")
        }
        if username != nil, passwordFile == nil {
            throw reader.error("username", "needs password_file too (the file holding the relay's password)")
        }
        if username == nil, passwordFile != nil {
            throw reader.error("password_file", "needs username too")
        }
        self.username = username
        self.passwordFile = passwordFile
    }
}
