/// Where accepted mail goes.
public enum DeliveryRoute: String, Sendable, Equatable, CaseIterable {
    /// Keep it in the spool's capture folder; nothing leaves the machine.
    case capture
    /// Look up each recipient domain's MX hosts and deliver there.
    case mx
    /// Hand everything to the smarthosts in `relays`.
    case relay
}

/// `[delivery]`: route, relays, retry schedule and per-domain policies.
public struct DeliverySection: Sendable, Equatable {
    /// Default `capture`.
    public var route: DeliveryRoute
    /// Smarthosts for `route = "relay"`, tried in order.
    public var relays: [RelaySpec]
    /// Tried when the route fails for a message (key `fallback_relays`); each needs TLS.
    public var fallbackRelays: [RelaySpec]
    /// Extra CA bundle for verifying relays, absolute (key `ca_file`; "" or absent: none).
    public var caFile: String?
    /// DNS server as "ip:port" or "[ipv6]:port"; nil uses the system resolver.
    public var nameserver: String?
    /// Port used for MX hosts (key `mx_port`, default 25).
    public var mxPort: Int
    /// First retry delay in seconds (key `min_backoff`, default 300).
    public var minBackoff: Int
    /// Longest retry delay in seconds (key `max_backoff`, default 3600).
    public var maxBackoff: Int
    /// Seconds before an undeliverable message bounces (key `max_lifetime`, default 432000 = 5 days).
    public var maxLifetime: Int
    /// `[[delivery.domain]]` policies.
    public var domains: [DomainPolicySpec]
    /// Most connections at once to a destination without its own
    /// `[[delivery.domain]]` (key `concurrency`, default 20).
    public var concurrency: Int
    /// Rate of a destination without its own policy (key `rate`; absent: none).
    public var rate: RateSpec?
    /// All destinations together (key `global_rate`; absent: none).
    public var globalRate: RateSpec?
    /// Seconds to connect (key `connect_timeout`, default 30).
    public var connectTimeout: Int
    /// Seconds to wait for each reply (key `command_timeout`, default 300,
    /// RFC 5321 §4.5.3.2); the reply to DATA waits 120 at most and the reply
    /// after the message 600 at least.
    public var commandTimeout: Int
    /// Seconds an idle connection is kept for the next message (key
    /// `connection_cache_time`, default 2; 0 turns reuse off).
    public var connectionCacheTime: Int
    /// Seconds after which the sender is told once that delivery is
    /// delayed (key `delay_warning`, default 0: never).
    public var delayWarning: Int
    /// Accept and spool, but deliver nothing (key `suspended`, default false):
    /// like Postfix's `defer_transports` for every route. Benchmarks of
    /// intake and maintenance windows use it.
    public var suspended: Bool
}

extension DeliverySection {
    static let keys = [
        "route", "relays", "fallback_relays", "ca_file", "nameserver", "mx_port",
        "min_backoff", "max_backoff", "max_lifetime", "domain", "suspended", "concurrency", "rate", "global_rate",
        "connect_timeout", "command_timeout", "connection_cache_time", "delay_warning",
    ]

    init(reading reader: TOMLTableReader) throws(ConfigurationError) {
        try reader.checkKeys(Self.keys, in: "[delivery]")
        route = try reader.choice("route", default: .capture)

        relays = try Self.relays(reader, "relays")
        fallbackRelays = try Self.relays(reader, "fallback_relays")
        if route == .relay, relays.isEmpty {
            throw reader.error("route", "\"relay\" needs at least one entry in relays, e.g. relays = [ { host = \"smtp.example.net\" } ]")
        }
        for (offset, relay) in fallbackRelays.enumerated() where relay.tls == .none {
            throw reader.context.error(
                "\(reader.keyPath("fallback_relays"))[\(offset + 1)].tls",
                "\"none\" is not allowed for a fallback relay; expected one of starttls, implicit"
            )
        }

        caFile = try reader.optionalPath("ca_file")
        if let text = try reader.string("nameserver"), !text.isEmpty {
            guard ConfigurationSyntax.hostAndPort(text, ports: 1...65535) != nil else {
                throw reader.error("nameserver", "\"\(text)\" is not valid; expected IP:port, e.g. 127.0.0.1:53 or [::1]:53")
            }
            nameserver = text
        } else {
            nameserver = nil
        }
        mxPort = try reader.int("mx_port", default: 25, in: 1...65535)
        minBackoff = try reader.positiveInt("min_backoff", default: 300)
        maxBackoff = try reader.positiveInt("max_backoff", default: 3600)
        guard maxBackoff >= minBackoff else {
            throw reader.error("max_backoff", "\(maxBackoff) is less than min_backoff (\(minBackoff)); expected max_backoff ≥ min_backoff")
        }
        maxLifetime = try reader.positiveInt("max_lifetime", default: 432_000)
        suspended = try reader.bool("suspended", default: false)
        concurrency = try reader.positiveInt("concurrency", default: 20)
        rate = try RateSpec(reading: reader, "rate")
        globalRate = try RateSpec(reading: reader, "global_rate")
        connectTimeout = try reader.positiveInt("connect_timeout", default: 30)
        commandTimeout = try reader.positiveInt("command_timeout", default: 300)
        connectionCacheTime = try reader.int("connection_cache_time", default: 2, in: 0...300)
        delayWarning = try reader.int("delay_warning", default: 0, in: 0...Int(Int32.max))

        var domains: [DomainPolicySpec] = []
        for domainReader in try reader.tableArray("domain", expected: "an array of tables ([[delivery.domain]])") ?? [] {
            let domain = try DomainPolicySpec(reading: domainReader)
            if domains.contains(where: { $0.name == domain.name }) {
                throw domainReader.error("name", "\"\(domain.name)\" has more than one [[delivery.domain]]")
            }
            domains.append(domain)
        }
        self.domains = domains
    }

    private static func relays(_ reader: TOMLTableReader, _ key: String) throws(ConfigurationError) -> [RelaySpec] {
        let tables = try reader.tableArray(
            key, expected: "an array of inline tables, e.g. [ { host = \"smtp.example.net\", port = 587 } ]"
        ) ?? []
        var relays: [RelaySpec] = []
        for table in tables { relays.append(try RelaySpec(reading: table)) }
        return relays
    }
}
