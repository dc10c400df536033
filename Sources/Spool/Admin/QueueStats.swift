import GRDB

/// `poshta queue stats` and the figures `watch` refreshes: the queue by
/// state and by destination, its oldest message, and what happened in the
/// last minute and hour.
public struct QueueStats: Codable, Sendable, Hashable {
    /// When the figures were taken (seconds since 1970).
    public var time: Double
    /// Messages with at least one recipient still to deliver.
    public var messages: Int
    /// Pending recipients by state (queued, deferred, active, hold).
    public var recipients: [String: Int]
    /// Arrival of the oldest message still queued.
    public var oldestArrival: Double?
    /// The destinations with the most pending recipients, largest first.
    public var destinations: [DestinationCount]
    public var lastMinute: Activity
    public var lastHour: Activity
    /// The most recent failed attempts (deferred, bounced, expired), newest first.
    public var latestErrors: [RecentError]

    /// Pending recipients of one recipient domain.
    public struct DestinationCount: Codable, Sendable, Hashable {
        public var domain: String
        public var recipients: Int
        public var deferred: Int
    }

    /// Messages received and recipient outcomes in a time window.
    public struct Activity: Codable, Sendable, Hashable {
        public var received: Int
        public var delivered: Int
        public var deferred: Int
        public var bounced: Int
        public var expired: Int
    }

    /// One failed attempt, for the operator's eye.
    public struct RecentError: Codable, Sendable, Hashable {
        public var id: String
        public var recipient: String
        public var time: Double
        public var state: RecipientState
        public var status: String
        public var reply: String
    }
}

extension QueueInspector {
    /// The figures, in one read transaction (a consistent picture).
    public func stats(now: Double, topDestinations: Int = 10, latestErrors: Int = 5) async throws -> QueueStats {
        try await reader.read { db in
            var recipients: [String: Int] = [:]
            for state in RecipientState.pending { recipients[state.rawValue] = 0 }
            for row in try Row.fetchAll(
                db,
                sql: "SELECT state, COUNT(*) AS n FROM recipient WHERE state IN ('queued', 'deferred', 'active', 'hold') GROUP BY state"
            ) {
                recipients[row["state"]] = row["n"]
            }
            let messages = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message WHERE finished = 0") ?? 0
            let oldest = try Double.fetchOne(db, sql: "SELECT MIN(arrival) FROM message WHERE finished = 0")
            let destinations = try Row.fetchAll(
                db,
                sql: """
                    SELECT domain, COUNT(*) AS n, SUM(state = 'deferred') AS deferred FROM recipient
                    WHERE state IN ('queued', 'deferred', 'active', 'hold')
                    GROUP BY domain ORDER BY n DESC, domain LIMIT ?
                    """, arguments: [topDestinations]
            ).map { QueueStats.DestinationCount(domain: $0["domain"], recipients: $0["n"], deferred: $0["deferred"]) }
            func activity(since: Double) throws -> QueueStats.Activity {
                var outcomes: [String: Int] = [:]
                for row in try Row.fetchAll(
                    db, sql: "SELECT state, COUNT(*) AS n FROM attempt WHERE time > ? GROUP BY state", arguments: [since])
                {
                    outcomes[row["state"]] = row["n"]
                }
                let received = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM message WHERE arrival > ?", arguments: [since]) ?? 0
                return QueueStats.Activity(
                    received: received, delivered: outcomes["delivered"] ?? 0, deferred: outcomes["deferred"] ?? 0,
                    bounced: outcomes["bounced"] ?? 0, expired: outcomes["expired"] ?? 0)
            }
            let errors = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.message_id, r.address, a.time, a.state, a.status, a.reply FROM attempt a
                    JOIN recipient r ON r.message_id = a.message_id AND r.position = a.position
                    WHERE a.state IN ('deferred', 'bounced', 'expired')
                    ORDER BY a.time DESC LIMIT ?
                    """, arguments: [latestErrors]
            ).map { row in
                QueueStats.RecentError(
                    id: row["message_id"], recipient: row["address"], time: row["time"],
                    state: RecipientState(rawValue: row["state"]) ?? .deferred, status: row["status"], reply: row["reply"])
            }
            return QueueStats(
                time: now, messages: messages, recipients: recipients, oldestArrival: oldest,
                destinations: destinations, lastMinute: try activity(since: now - 60),
                lastHour: try activity(since: now - 3600), latestErrors: errors)
        }
    }
}
