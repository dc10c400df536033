/// `[limits]`: what one message, one session and the whole server may use.
public struct LimitsSection: Sendable, Equatable {
    /// Largest message accepted, in bytes (key `max_message_size`, default 25 MiB).
    public var maxMessageSize: Int
    /// Most RCPT TO per message (key `max_recipients`, default 100).
    public var maxRecipients: Int
    /// Most simultaneous SMTP connections (key `max_connections`, default 1000).
    public var maxConnections: Int
    /// Seconds a session may stay silent before it is closed (key `idle_timeout`, default 300).
    public var idleTimeout: Int
    /// Errors per session before the server answers 421 and closes (key `max_errors`, default 10).
    public var maxErrors: Int
}

extension LimitsSection {
    static let keys = ["max_message_size", "max_recipients", "max_connections", "idle_timeout", "max_errors"]

    init(reading reader: TOMLTableReader) throws(ConfigurationError) {
        try reader.checkKeys(Self.keys, in: "[limits]")
        maxMessageSize = try reader.positiveInt("max_message_size", default: 26_214_400)
        maxRecipients = try reader.positiveInt("max_recipients", default: 100)
        maxConnections = try reader.positiveInt("max_connections", default: 1000)
        idleTimeout = try reader.positiveInt("idle_timeout", default: 300)
        maxErrors = try reader.positiveInt("max_errors", default: 10)
    }
}
