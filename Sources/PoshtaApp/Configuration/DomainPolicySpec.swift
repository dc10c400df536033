/// A sending rate such as "60/m": at most `count` messages per `perSeconds` seconds.
public struct RateSpec: Sendable, Equatable {
    public var count: Int
    public var perSeconds: Int

    public init(count: Int, perSeconds: Int) {
        self.count = count
        self.perSeconds = perSeconds
    }

    /// "N/s", "N/m" or "N/h" with N > 0; nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
              !parts[0].isEmpty, parts[0].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let count = Int(parts[0]), count > 0
        else { return nil }
        switch parts[1] {
        case "s": perSeconds = 1
        case "m": perSeconds = 60
        case "h": perSeconds = 3600
        default: return nil
        }
        self.count = count
    }
}

extension RateSpec {
    /// The rate under `key`; nil when absent or "".
    init?(reading reader: TOMLTableReader, _ key: String) throws(ConfigurationError) {
        guard let text = try reader.string(key), !text.isEmpty else { return nil }
        guard let rate = RateSpec(text) else {
            throw reader.error(key, "\"\(text)\" is not valid; expected N/s, N/m or N/h with N > 0, e.g. \"60/m\"")
        }
        self = rate
    }
}

/// One `[[delivery.domain]]`: how hard to push mail at one recipient domain.
public struct DomainPolicySpec: Sendable, Equatable {
    /// The recipient domain, lower-cased.
    public var name: String
    /// Most messages per period, e.g. "60/m".
    public var rate: RateSpec?
    /// Most simultaneous connections to the domain's hosts.
    public var concurrency: Int?
}

extension DomainPolicySpec {
    static let keys = ["name", "rate", "concurrency"]

    init(reading reader: TOMLTableReader) throws(ConfigurationError) {
        try reader.checkKeys(Self.keys, in: "[[delivery.domain]]")
        guard let name = try reader.string("name") else {
            throw reader.error("name", "missing; every [[delivery.domain]] needs a name such as \"gmail.com\"")
        }
        guard ConfigurationSyntax.isDomainName(name) else {
            throw reader.error("name", "\"\(name)\" is not a valid domain name")
        }
        self.name = name.lowercased()
        rate = try RateSpec(reading: reader, "rate")
        if reader.contains("concurrency") {
            concurrency = try reader.positiveInt("concurrency", default: 1)
        } else {
            concurrency = nil
        }
    }
}
