/// `[server]`: who this server is and where it keeps mail.
public struct ServerSection: Sendable, Equatable {
    /// Used in the greeting, Received fields and Message-IDs. Default: the
    /// machine's host name, or "localhost" when that is not a valid domain name.
    public var hostname: String
    /// The spool folder, absolute. Default "../spool" next to the file's folder.
    public var spool: String
    /// Seconds to wait for sessions and deliveries to finish on shutdown (key `shutdown_timeout`).
    public var shutdownTimeout: Int
    /// The least important log lines printed (key `log_level`, default info).
    public var logLevel: LogLevelSetting
}

/// `[server] log_level`: swift-log's levels by name.
public enum LogLevelSetting: String, Sendable, Equatable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

extension ServerSection {
    static let keys = ["hostname", "spool", "shutdown_timeout", "log_level"]

    static var defaultHostname: String {
        if let name = ConfigurationPaths.hostName(), ConfigurationSyntax.isDomainName(name) {
            return name
        }
        return "localhost"
    }

    init(reading reader: TOMLTableReader) throws(ConfigurationError) {
        try reader.checkKeys(Self.keys, in: "[server]")
        if let name = try reader.string("hostname") {
            guard ConfigurationSyntax.isDomainName(name) else {
                throw reader.error(
                    "hostname",
                    "\"\(name)\" is not a valid host name; expected letters, digits and hyphens in dot-separated labels, e.g. mail.example.com"
                )
            }
            hostname = name
        } else {
            hostname = Self.defaultHostname
        }
        spool = try reader.path("spool", default: "../spool")
        shutdownTimeout = try reader.positiveInt("shutdown_timeout", default: 30)
        logLevel = try reader.choice("log_level", default: .info)
    }
}
