import GRDB

/// What happened on the queue per time bucket (a minute, say): messages
/// received, and recipient attempts delivered, deferred and bounced — the
/// console's plots. Counted from the index, so a window reaches back only
/// as far as the spool still keeps finished messages.
public struct QueueActivity: Codable, Sendable, Hashable {
    /// The start of the first bucket (seconds since 1970) and each bucket's length.
    public var start: Double
    public var bucket: Double
    public var received: [Int]
    public var delivered: [Int]
    public var deferred: [Int]
    /// Bounced and expired together: mail that did not arrive.
    public var bounced: [Int]
}

extension QueueInspector {
    /// `buckets` buckets of `bucket` seconds aligned on the clock (whole
    /// minutes, whole quarter hours), the last one holding `now`.
    public func activity(now: Double, bucket: Double, buckets: Int) async throws -> QueueActivity {
        let end = ((now / bucket).rounded(.down) + 1) * bucket
        let start = end - bucket * Double(buckets)
        return try await reader.read { db in
            var activity = QueueActivity(
                start: start, bucket: bucket, received: Array(repeating: 0, count: buckets),
                delivered: Array(repeating: 0, count: buckets), deferred: Array(repeating: 0, count: buckets),
                bounced: Array(repeating: 0, count: buckets))
            for row in try Row.fetchAll(
                db,
                sql: "SELECT CAST((arrival - ?) / ? AS INTEGER) AS slot, COUNT(*) AS n FROM message WHERE arrival >= ? GROUP BY slot",
                arguments: [start, bucket, start])
            {
                let index: Int = row["slot"]
                if (0..<buckets).contains(index) { activity.received[index] += row["n"] }
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT CAST((time - ?) / ? AS INTEGER) AS slot, state, COUNT(*) AS n FROM attempt
                    WHERE time >= ? AND state IN ('delivered', 'deferred', 'bounced', 'expired') GROUP BY slot, state
                    """,
                arguments: [start, bucket, start])
            {
                let index: Int = row["slot"]
                guard (0..<buckets).contains(index) else { continue }
                let count: Int = row["n"]
                switch row["state"] as String {
                case "delivered": activity.delivered[index] += count
                case "deferred": activity.deferred[index] += count
                default: activity.bounced[index] += count
                }
            }
            return activity
        }
    }
}
