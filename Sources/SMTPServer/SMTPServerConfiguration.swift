public import SMTPProtocol

/// The SMTPServer module: listeners, sessions and the relay policy.
///
/// Input: TCP connections on the configured addresses. Output: messages
/// handed to Intake, replies on the wire, one log line per refusal. It
/// never decides how mail is finished or delivered, and never reads the
/// configuration file (PoshtaApp gives it this value).

/// What the SMTP server needs: its name, its listeners and the session limits.
public struct SMTPServerConfiguration: Sendable {
    /// How a listener treats its clients.
    public enum Mode: String, Sendable {
        /// Clients in `trustedNetworks` relay without AUTH.
        case relay
        /// AUTH required (and TLS before AUTH); nobody relays without it.
        case submission
    }

    /// TLS on a listener.
    public enum TLSMode: String, Sendable {
        /// Clear text only.
        case none
        /// STARTTLS offered, upgraded in place (RFC 3207).
        case starttls
        /// TLS from the first byte (RFC 8314, port 465).
        case implicit
    }

    /// One listening address.
    public struct Listener: Sendable {
        public var host: String
        /// 0 picks a free port (tests).
        public var port: Int
        public var mode: Mode
        public var trustedNetworks: [IPNetwork]
        public var tls: TLSMode
        /// AUTH offered before TLS (only ever on a loopback listener).
        public var authWithoutTLS: Bool

        public init(
            host: String, port: Int, mode: Mode, trustedNetworks: [IPNetwork], tls: TLSMode = .none,
            authWithoutTLS: Bool = false
        ) {
            self.host = host
            self.port = port
            self.mode = mode
            self.trustedNetworks = trustedNetworks
            self.tls = tls
            self.authWithoutTLS = authWithoutTLS
        }

        /// `127.0.0.1:25` or `[::1]:25`.
        public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    public var hostname: String
    public var listeners: [Listener]
    public var maxMessageSize: Int
    public var maxRecipients: Int
    /// Open sessions across all listeners; one more gets 421 4.7.0.
    public var maxConnections: Int
    /// Seconds without input before 421 4.4.2.
    public var idleTimeout: Int
    /// 5xx replies per session before 421 4.7.0.
    public var maxErrors: Int
    /// Seconds sessions get to finish after a stop signal.
    public var shutdownTimeout: Int
    /// Our own mailboxes that relay listeners take mail for from any client
    /// (the unsubscribe address: mailbox providers write to it).
    public var inboundMailboxes: [InboundMailbox] = []

    public init(
        hostname: String, listeners: [Listener], maxMessageSize: Int, maxRecipients: Int, maxConnections: Int,
        idleTimeout: Int, maxErrors: Int, shutdownTimeout: Int
    ) {
        self.hostname = hostname
        self.listeners = listeners
        self.maxMessageSize = maxMessageSize
        self.maxRecipients = maxRecipients
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.maxErrors = maxErrors
        self.shutdownTimeout = shutdownTimeout
    }
}
