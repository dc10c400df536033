public import DKIM
/// The Delivery module: takes due mail off the spool and delivers it.
///
/// Input: the spool (woken by its doorbell after each group commit, like
/// Postfix's qmgr is by cleanup). Output: delivered mail — `.eml` files of
/// the capture route, or SMTP transactions with MX hosts and relays —,
/// per-recipient outcomes on the spool, bounces (DSNs) back onto the spool,
/// one log line per recipient and attempt. It never accepts mail from
/// clients and never speaks to the SMTP server module.

/// What the queue manager needs to know.
public struct DeliveryConfiguration: Sendable {
    /// Where mail goes.
    public enum Route: String, Sendable {
        case capture, mx, relay
    }

    /// One upstream relay (`relays`, `fallback_relays`).
    public struct Relay: Sendable, Hashable {
        public var host: String
        public var port: Int
        /// `none` is never used for a fallback relay, and the configuration refuses it.
        public var tls: NextHop.TLSPolicy
        public var credentials: NextHop.Credentials?

        public init(host: String, port: Int, tls: NextHop.TLSPolicy, credentials: NextHop.Credentials? = nil) {
            self.host = host
            self.port = port
            self.tls = tls
            self.credentials = credentials
        }
    }

    /// At most `count` messages per `perSeconds` seconds ("60/m").
    public struct Rate: Sendable, Hashable {
        public var count: Int
        public var perSeconds: Int

        public init(count: Int, perSeconds: Int) {
            self.count = count
            self.perSeconds = perSeconds
        }
    }

    /// Limits for one destination (a recipient domain under `mx`, the relay
    /// chain under `relay`).
    public struct Politeness: Sendable, Hashable {
        /// Most connections open at once.
        public var concurrency: Int
        /// Messages spaced evenly to keep this rate; nil: no limit.
        public var rate: Rate?

        public init(concurrency: Int, rate: Rate? = nil) {
            self.concurrency = concurrency
            self.rate = rate
        }
    }

    public var route: Route
    /// Accept but deliver nothing.
    public var suspended: Bool
    /// Our name in EHLO, DSNs and Message-IDs.
    public var hostname: String
    /// Seconds: the first retry delay and the longest.
    public var minBackoff: Int
    public var maxBackoff: Int
    /// Seconds after arrival when undeliverable mail bounces.
    public var maxLifetime: Int
    /// Seconds after arrival when the sender is told once that some
    /// recipients are still being retried; nil: never (the default, as
    /// Postfix's `delay_warning_time = 0h`).
    public var delayWarning: Double?
    /// Recipients claimed per round.
    public var batchSize: Int
    /// Recipients in the queue manager's memory at most (Postfix's active queue).
    public var maxActiveRecipients: Int

    public var relays: [Relay]
    public var fallbackRelays: [Relay]
    /// PEM bundle trusted besides the system CAs when verifying relays.
    public var caFile: String?
    /// DNS server "ip:port" for MX lookups; nil reads /etc/resolv.conf.
    public var nameserver: String?
    /// Port of MX hosts (25; tests change it).
    public var mxPort: Int
    public var timeouts: SMTPClientTimeouts

    /// Limits of destinations without a policy of their own.
    public var defaultPoliteness: Politeness
    /// Per-destination limits by lower-case name.
    public var politeness: [String: Politeness]
    /// All destinations together at most this many messages per period.
    public var globalRate: Rate?
    /// Seconds an idle connection waits for the next message to its server.
    public var connectionCacheTime: Double
    /// Consecutive failed sessions (no connection, timeout, 421) after which
    /// a whole destination is set aside until `minBackoff` has passed.
    public var deadDestinationThreshold: Int
    /// Signs the reports Poshta writes (DSNs) as it signs everything it
    /// spools; nil: no `[dkim]` keys.
    public var dkim: DKIMKeyring?

    public init(
        route: Route, suspended: Bool = false, hostname: String = "localhost", minBackoff: Int = 300,
        maxBackoff: Int = 3600, maxLifetime: Int = 432_000, batchSize: Int = 256, maxActiveRecipients: Int = 10_000,
        relays: [Relay] = [], fallbackRelays: [Relay] = [], caFile: String? = nil, nameserver: String? = nil,
        mxPort: Int = 25, timeouts: SMTPClientTimeouts = SMTPClientTimeouts(),
        defaultPoliteness: Politeness = Politeness(concurrency: 20), politeness: [String: Politeness] = [:],
        globalRate: Rate? = nil, connectionCacheTime: Double = 2,
        deadDestinationThreshold: Int = 3, delayWarning: Double? = nil
    ) {
        self.delayWarning = delayWarning
        self.route = route
        self.suspended = suspended
        self.hostname = hostname
        self.minBackoff = minBackoff
        self.maxBackoff = maxBackoff
        self.maxLifetime = maxLifetime
        self.batchSize = batchSize
        self.maxActiveRecipients = maxActiveRecipients
        self.relays = relays
        self.fallbackRelays = fallbackRelays
        self.caFile = caFile
        self.nameserver = nameserver
        self.mxPort = mxPort
        self.timeouts = timeouts
        self.defaultPoliteness = defaultPoliteness
        self.politeness = politeness
        self.globalRate = globalRate
        self.connectionCacheTime = connectionCacheTime
        self.deadDestinationThreshold = deadDestinationThreshold
    }

    var retrySchedule: RetrySchedule {
        RetrySchedule(minBackoff: Double(minBackoff), maxBackoff: Double(maxBackoff), maxLifetime: Double(maxLifetime))
    }

    /// The limits that apply to `destination`.
    func politeness(for destination: String) -> Politeness {
        politeness[destination] ?? defaultPoliteness
    }
}
