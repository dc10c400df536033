/// The Delivery module: takes due mail off the spool and delivers it.
///
/// Input: the spool (woken by its doorbell after each group commit, like
/// Postfix's qmgr is by cleanup). Output: delivered mail (today: the capture
/// route's `.eml` files), per-recipient outcomes on the spool, one log line
/// per recipient and attempt. It never accepts mail and never speaks to the
/// SMTP server module.

/// What the queue manager needs to know.
public struct DeliveryConfiguration: Sendable {
    /// Where mail goes.
    public enum Route: String, Sendable {
        case capture, mx, relay
    }

    public var route: Route
    /// Accept but deliver nothing.
    public var suspended: Bool
    /// Seconds: the first retry delay and the longest.
    public var minBackoff: Int
    public var maxBackoff: Int
    /// Seconds after arrival when undeliverable mail bounces.
    public var maxLifetime: Int
    /// Recipients claimed per round.
    public var batchSize: Int

    public init(route: Route, suspended: Bool, minBackoff: Int, maxBackoff: Int, maxLifetime: Int, batchSize: Int = 256) {
        self.route = route
        self.suspended = suspended
        self.minBackoff = minBackoff
        self.maxBackoff = maxBackoff
        self.maxLifetime = maxLifetime
        self.batchSize = batchSize
    }
}
