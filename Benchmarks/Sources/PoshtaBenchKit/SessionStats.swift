/// What one session saw; sessions keep their own and they are merged at the end.
struct SessionStats: Sendable {
    /// DATA→250 of each accepted message, in nanoseconds.
    var latencies: [UInt64] = []
    var accepted = 0
    var failed = 0
    /// Messages begun but cut off by the time limit: neither accepted nor failed.
    var unfinished = 0
    var connections = 0
    /// TLS handshakes completed (`--starttls`), and how long each took, in nanoseconds.
    var handshakes = 0
    var handshakeLatencies: [UInt64] = []
    /// Connections whose STARTTLS or handshake failed (each also fails its message, if any).
    var tlsFailures = 0
    /// Negotiated TLS versions and how often each was seen.
    var tlsVersions: [String: Int] = [:]
    /// Failure reasons and how often each was seen (at most `maxReasons` distinct ones).
    var failureReasons: [String: Int] = [:]
    /// The first failures, in order, for the report.
    var firstFailures: [String] = []
    /// When this session finished its last message (for wall time).
    var lastEvent: UInt64 = 0
    /// When each message was accepted, if the run keeps them (`e2e`).
    var acceptTimes: [AcceptTime] = []

    static let maxReasons = 50
    static let maxFirstFailures = 5

    mutating func recordFailure(_ reason: String) {
        failed += 1
        if failureReasons[reason] != nil || failureReasons.count < Self.maxReasons {
            failureReasons[reason, default: 0] += 1
        }
        if firstFailures.count < Self.maxFirstFailures {
            firstFailures.append(reason)
        }
    }

    mutating func merge(_ other: SessionStats) {
        latencies.append(contentsOf: other.latencies)
        accepted += other.accepted
        failed += other.failed
        unfinished += other.unfinished
        connections += other.connections
        handshakes += other.handshakes
        handshakeLatencies.append(contentsOf: other.handshakeLatencies)
        tlsFailures += other.tlsFailures
        for (version, count) in other.tlsVersions { tlsVersions[version, default: 0] += count }
        for (reason, count) in other.failureReasons
        where failureReasons[reason] != nil || failureReasons.count < Self.maxReasons {
            failureReasons[reason, default: 0] += count
        }
        for reason in other.firstFailures where firstFailures.count < Self.maxFirstFailures {
            firstFailures.append(reason)
        }
        lastEvent = max(lastEvent, other.lastEvent)
        acceptTimes.append(contentsOf: other.acceptTimes)
    }
}

/// Message `index` was answered `250` at `at` (monotonic nanoseconds).
struct AcceptTime: Sendable, Equatable {
    var index: Int
    var at: UInt64
}

/// Order statistics of a latency sample, in milliseconds.
struct LatencySummary: Equatable {
    var count: Int
    var p50: Double
    var p90: Double
    var p99: Double
    var max: Double
    var mean: Double

    /// Nearest-rank percentiles of `nanoseconds` (sorted here); nil when empty.
    init?(nanoseconds: [UInt64]) {
        guard !nanoseconds.isEmpty else { return nil }
        let sorted = nanoseconds.sorted()
        func rank(_ p: Double) -> Double {
            let index = Swift.min(sorted.count - 1, Swift.max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))
            return Double(sorted[index]) / 1e6
        }
        count = sorted.count
        p50 = rank(0.50)
        p90 = rank(0.90)
        p99 = rank(0.99)
        max = Double(sorted[sorted.count - 1]) / 1e6
        mean = Double(sorted.reduce(0, +)) / Double(sorted.count) / 1e6
    }
}
