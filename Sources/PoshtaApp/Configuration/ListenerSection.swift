public import SMTPServer

/// What a listener offers: relay for trusted networks, or authenticated submission.
public enum ListenerMode: String, Sendable, Equatable, CaseIterable {
    /// Port 25: accepts mail for anyone from trusted networks, without AUTH.
    case relay
    /// Port 587/465: AUTH required, and TLS before AUTH.
    case submission
}

/// How a connection gets TLS (also used for outgoing relays).
public enum ListenerTLSMode: String, Sendable, Equatable, CaseIterable {
    /// Plain text only.
    case none
    /// Plain text, upgraded with STARTTLS.
    case starttls
    /// TLS from the first byte (port 465).
    case implicit
}

/// One `[[listener]]`: an address to accept SMTP connections on.
public struct ListenerSection: Sendable, Equatable {
    /// As written, e.g. "127.0.0.1:25", "[::1]:2525", "0.0.0.0:587".
    public var address: String
    /// The address's host, brackets removed: "127.0.0.1", "::1".
    public var host: String
    /// The address's port; 0 picks a free port (tests use it).
    public var port: Int
    /// Default `relay`.
    public var mode: ListenerMode
    /// Peers that may relay without AUTH (key `trusted_networks`, default 127.0.0.0/8 and ::1/128).
    public var trustedNetworks: [IPNetwork]
    /// Default `none`.
    public var tls: ListenerTLSMode
    /// Offer AUTH before TLS (key `allow_plaintext_auth`, default false);
    /// allowed only on a loopback address, where nobody can listen in.
    public var allowPlaintextAuth: Bool = false
}

extension ListenerSection {
    static let keys = ["address", "mode", "trusted_networks", "tls", "allow_plaintext_auth"]
    static let defaultTrustedNetworks = ["127.0.0.0/8", "::1/128"]

    /// The listener used when the file has no `[[listener]]`.
    static var standard: ListenerSection {
        ListenerSection(
            address: "127.0.0.1:25", host: "127.0.0.1", port: 25, mode: .relay,
            trustedNetworks: defaultTrustedNetworks.compactMap(IPNetwork.init), tls: .none
        )
    }

    init(reading reader: TOMLTableReader) throws(ConfigurationError) {
        try reader.checkKeys(Self.keys, in: "[[listener]]")
        guard let address = try reader.string("address") else {
            throw reader.error("address", "missing; every [[listener]] needs an address such as \"127.0.0.1:25\" or \"[::1]:25\"")
        }
        guard let parsed = ConfigurationSyntax.hostAndPort(address, ports: 0...65535) else {
            throw reader.error(
                "address",
                "\"\(address)\" is not a valid address; expected IP:port, e.g. 127.0.0.1:25, 0.0.0.0:587 or [::1]:25"
            )
        }
        self.address = address
        host = parsed.host
        port = parsed.port
        mode = try reader.choice("mode", default: .relay)
        tls = try reader.choice("tls", default: .none)
        allowPlaintextAuth = try reader.bool("allow_plaintext_auth", default: false)
        if allowPlaintextAuth && !(host.hasPrefix("127.") || host == "::1") {
            throw reader.error(
                "allow_plaintext_auth",
                "true is only allowed on a loopback address (127.0.0.0/8 or ::1), not on \(host): passwords would cross the network in clear"
            )
        }

        if let networks = try reader.stringArray("trusted_networks") {
            var parsedNetworks: [IPNetwork] = []
            for (path, text) in networks {
                guard let network = IPNetwork(text) else {
                    throw reader.context.error(
                        path,
                        "\"\(text)\" is not a valid network; expected CIDR such as 127.0.0.0/8, 10.0.0.5 or ::1/128"
                    )
                }
                parsedNetworks.append(network)
            }
            trustedNetworks = parsedNetworks
        } else {
            trustedNetworks = Self.defaultTrustedNetworks.compactMap(IPNetwork.init)
        }
    }
}
