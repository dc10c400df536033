import Synchronization

/// A clock the test moves by hand, for the throttle's windows and the users
/// file's check interval.
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { instant.withLock { $0 } }

    func advance(by duration: Duration) {
        instant.withLock { $0 += duration }
    }

    /// The `now` closure to inject.
    var reading: @Sendable () -> ContinuousClock.Instant { { self.now } }
}
