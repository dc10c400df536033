/// When a recipient that failed temporarily is tried again, or that it has
/// been in the queue too long and expires.
///
/// The delay doubles with each attempt, from `minBackoff` to `maxBackoff`
/// (Postfix's `minimal_backoff_time`/`maximal_backoff_time`). The last retry
/// is moved up to the end of the lifetime, so that mail expires on time
/// rather than up to `maxBackoff` late.
public struct RetrySchedule: Sendable, Hashable {
    public var minBackoff: Double
    public var maxBackoff: Double
    public var maxLifetime: Double

    public init(minBackoff: Double, maxBackoff: Double, maxLifetime: Double) {
        self.minBackoff = minBackoff
        self.maxBackoff = maxBackoff
        self.maxLifetime = maxLifetime
    }

    public enum Decision: Sendable, Hashable {
        /// Try again at this time (seconds since 1970).
        case retry(at: Double)
        /// Give up: the message is older than the lifetime.
        case expire
    }

    /// - Parameters:
    ///   - attempts: attempts made before the one that just failed.
    ///   - arrival: when the message was accepted.
    public func afterTemporaryFailure(attempts: Int, arrival: Double, now: Double) -> Decision {
        let deadline = arrival + maxLifetime
        if now >= deadline { return .expire }
        let exponent = min(max(attempts, 0), 30)
        let delay = min(maxBackoff, minBackoff * Double(1 << exponent))
        return .retry(at: min(now + delay, deadline))
    }
}
