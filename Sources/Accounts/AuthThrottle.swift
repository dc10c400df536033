import Synchronization

/// Brute-force throttle for AUTH, per client IP address (shared by all
/// listeners and, later, the web console).
///
/// Each failure within `window` doubles the wait before the 535 reply
/// (`baseDelay`, 2×, 4×, … up to `maxDelay`); the `maxFailures`-th failure
/// within the window disconnects the client and blocks its address for
/// `coolDown`, during which listeners refuse its connections. A success
/// forgets the failures.
///
/// Memory stays bounded whatever an attacker does: entries are forgotten once
/// their failures are older than the window and their block is over (swept
/// once a minute), and the table holds at most `maxAddresses`, the least
/// recently seen tenth going first when it is full.
///
/// - Note: the address is whatever string the caller passes. For IPv6, where
///   one client owns a whole /64, the caller may pass the /64 prefix.
public final class AuthThrottle: Sendable {
    /// The numbers of the throttle. Defaults: 5 failures in 10 minutes block
    /// for 10 minutes; delays 0.5 s, 1 s, 2 s, 4 s, then at most 8 s.
    public struct Policy: Sendable {
        public var maxFailures: Int
        public var window: Duration
        public var coolDown: Duration
        public var baseDelay: Duration
        public var maxDelay: Duration
        /// How many addresses the throttle remembers at most.
        public var maxAddresses: Int

        public init(
            maxFailures: Int = 5, window: Duration = .seconds(600), coolDown: Duration = .seconds(600),
            baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8), maxAddresses: Int = 100_000
        ) {
            self.maxFailures = max(1, maxFailures)
            self.window = window
            self.coolDown = coolDown
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
            self.maxAddresses = max(1, maxAddresses)
        }
    }

    /// What to do after a failed AUTH.
    public enum Verdict: Sendable, Equatable {
        /// Wait this long, then answer `535 5.7.8`.
        case retry(after: Duration)
        /// Answer `421 4.7.0` and close: the address is blocked now.
        case disconnect
    }

    private struct Entry {
        /// Times of the failures still inside the window, oldest first.
        var failures: [ContinuousClock.Instant] = []
        var blockedUntil: ContinuousClock.Instant?
        /// When the address was last heard of, as a counter: unlike clock
        /// readings, two are never equal, so the oldest is well defined.
        var lastSeen: UInt64 = 0
    }

    private struct Table {
        var entries: [String: Entry] = [:]
        var lastSweep: ContinuousClock.Instant
        var touches: UInt64 = 0
    }

    /// How often stale entries are swept out of the table.
    private static let sweepInterval: Duration = .seconds(60)

    public let policy: Policy
    private let now: @Sendable () -> ContinuousClock.Instant
    private let table: Mutex<Table>

    public init(policy: Policy = .init(), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.policy = policy
        self.now = now
        table = Mutex(Table(lastSweep: now()))
    }

    /// After a failed AUTH: the delay before answering 535 (baseDelay
    /// doubling with each failure in the window, capped at maxDelay), or
    /// `.disconnect` when this failure is the maxFailures-th within the
    /// window — the address is then blocked for coolDown. A failure from an
    /// address already blocked (a connection opened before the block) also
    /// gets `.disconnect`.
    public func recordFailure(address: String) -> Verdict {
        let instant = now()
        return table.withLock { table in
            sweepIfDue(&table, at: instant)
            var entry = table.entries[address] ?? Entry()
            defer { store(entry, for: address, in: &table, at: instant) }
            if let until = entry.blockedUntil, instant < until { return .disconnect }
            entry.blockedUntil = nil
            entry.failures.removeAll { instant - $0 >= policy.window }
            entry.failures.append(instant)
            if entry.failures.count >= policy.maxFailures {
                entry.failures = []
                entry.blockedUntil = instant + policy.coolDown
                return .disconnect
            }
            return .retry(after: delay(afterFailures: entry.failures.count))
        }
    }

    /// After a successful AUTH: forgets the address's failures. A block in
    /// force stays (the caller should not have let the client in).
    public func recordSuccess(address: String) {
        let instant = now()
        table.withLock { table in
            guard var entry = table.entries[address] else { return }
            if let until = entry.blockedUntil, instant < until {
                entry.failures = []
                table.entries[address] = entry
            } else {
                table.entries[address] = nil
            }
        }
    }

    /// Whether the address is in its cool-down: refuse its connections.
    public func isBlocked(address: String) -> Bool {
        let instant = now()
        return table.withLock { table in
            guard let until = table.entries[address]?.blockedUntil else { return false }
            return instant < until
        }
    }

    /// How many addresses the throttle remembers (for tests and metrics).
    public var trackedAddresses: Int { table.withLock { $0.entries.count } }

    /// baseDelay · 2^(failures − 1), at most maxDelay; doubling step by step
    /// so that a large failure count cannot overflow.
    private func delay(afterFailures failures: Int) -> Duration {
        var delay = policy.baseDelay
        for _ in 1..<max(1, failures) where delay < policy.maxDelay { delay *= 2 }
        return min(delay, policy.maxDelay)
    }

    private func store(_ entry: Entry, for address: String, in table: inout Table, at instant: ContinuousClock.Instant) {
        if table.entries[address] == nil && table.entries.count >= policy.maxAddresses {
            makeRoom(&table, at: instant)
        }
        var entry = entry
        table.touches += 1
        entry.lastSeen = table.touches
        table.entries[address] = entry
    }

    /// Forgets stale entries; when the table is still full, the least
    /// recently seen tenth. Dropping a tenth at once keeps the sort's cost
    /// spread over many insertions.
    private func makeRoom(_ table: inout Table, at instant: ContinuousClock.Instant) {
        sweep(&table, at: instant)
        guard table.entries.count >= policy.maxAddresses else { return }
        let excess = table.entries.count - policy.maxAddresses + 1
        let dropCount = max(excess, policy.maxAddresses / 10)
        let oldest = table.entries.sorted { $0.value.lastSeen < $1.value.lastSeen }.prefix(dropCount)
        for (address, _) in oldest { table.entries[address] = nil }
    }

    private func sweepIfDue(_ table: inout Table, at instant: ContinuousClock.Instant) {
        if instant - table.lastSweep >= Self.sweepInterval { sweep(&table, at: instant) }
    }

    /// Drops entries with no failure inside the window and no block in force.
    private func sweep(_ table: inout Table, at instant: ContinuousClock.Instant) {
        table.lastSweep = instant
        table.entries = table.entries.filter { _, entry in
            if let until = entry.blockedUntil, instant < until { return true }
            return entry.failures.contains { instant - $0 < policy.window }
        }
    }
}
