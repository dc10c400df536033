import Foundation
import GRDB

extension Spool {
    /// Claims up to `limit` due recipients (queued or deferred, time come),
    /// marks them active, and returns them grouped by message.
    public func claimDue(now: Double, limit: Int) async throws -> [SpooledMessage] {
        try await index.database.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.message_id, r.position, r.address, r.attempts, r.warned, m.segment, m.offset, m.header_length,
                           m.body_length, m.envelope
                    FROM recipient r JOIN message m ON m.id = r.message_id
                    WHERE r.state IN ('queued', 'deferred') AND r.not_before <= ?
                    ORDER BY r.not_before, r.message_id, r.position LIMIT ?
                    """, arguments: [now, limit])
            var messages: [String: SpooledMessage] = [:]
            var order: [String] = []
            let activate = try db.cachedStatement(
                sql: "UPDATE recipient SET state = 'active', updated = ? WHERE message_id = ? AND position = ?")
            for row in rows {
                let id: String = row["message_id"]
                let recipient = SpooledRecipient(
                    position: row["position"], address: row["address"], attempts: row["attempts"], warned: row["warned"])
                try activate.execute(arguments: [now, id, recipient.position])
                if messages[id] == nil {
                    let json: String = row["envelope"]
                    let envelope = try JSONDecoder().decode(SpoolEnvelope.self, from: Data(json.utf8))
                    let location = RecordLocation(
                        segment: row["segment"], offset: row["offset"], headerLength: row["header_length"],
                        bodyLength: row["body_length"])
                    messages[id] = SpooledMessage(envelope: envelope, location: location, recipients: [])
                    order.append(id)
                }
                messages[id]?.recipients.append(recipient)
            }
            return order.compactMap { messages[$0] }
        }
    }

    /// The message bytes of a spooled message, as they will leave.
    public func readMessage(at location: RecordLocation) throws -> [UInt8] {
        let file = try SegmentFile(path: SegmentWriter.path(segmentsDirectory, location.segment), create: false)
        return try file.read(at: location.bodyOffset, count: location.bodyLength)
    }

    /// The message bytes, read on a reader thread rather than on the event
    /// loop that asks (reads of different messages run in parallel).
    public func loadMessage(at location: RecordLocation) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            Self.readers.async {
                continuation.resume(with: Result { try self.readMessage(at: location) })
            }
        }
    }

    private static let readers = DispatchQueue(label: "poshta.spool.read", attributes: .concurrent)

    /// Records the outcomes of delivery attempts in one transaction. A
    /// recipient an administrator held or deleted during the attempt stays
    /// so when the attempt only deferred it.
    public func record(_ outcomes: [RecipientOutcome], now: Double) async throws {
        guard !outcomes.isEmpty else { return }
        try await index.database.write { db in
            let update = try db.cachedStatement(
                sql: """
                    UPDATE recipient SET
                        state = CASE WHEN state IN ('hold', 'deleted') AND ? = 'deferred' THEN state ELSE ? END,
                        not_before = ?, attempts = attempts + 1, last_reply = ?, updated = ?, warned = warned OR ?
                    WHERE message_id = ? AND position = ?
                    """)
            let finish = try db.cachedStatement(sql: SpoolIndex.markFinished)
            let attempt = try db.cachedStatement(
                sql: "INSERT INTO attempt (message_id, position, time, relay, state, status, reply) VALUES (?, ?, ?, ?, ?, ?, ?)")
            var touched = Set<String>()
            for outcome in outcomes {
                let id = outcome.queueID.description
                try update.execute(arguments: [
                    outcome.state.rawValue, outcome.state.rawValue, outcome.notBefore ?? now, outcome.reply, now, outcome.warned, id,
                    outcome.position,
                ])
                try attempt.execute(arguments: [
                    id, outcome.position, now, outcome.relay, outcome.state.rawValue, outcome.status, outcome.reply,
                ])
                touched.insert(id)
            }
            for id in touched { try finish.execute(arguments: [id]) }
        }
    }

    /// When the next deferred recipient is due, if any is waiting.
    public func nextDueTime() async throws -> Double? {
        try await index.database.read { db in
            try Double.fetchOne(
                db, sql: "SELECT MIN(not_before) FROM recipient WHERE state IN ('queued', 'deferred')")
        }
    }

    /// Removes segment files whose messages are all finished (never the one
    /// being written), then their index rows. Returns how many were removed.
    ///
    /// Files go first: a crash between the two leaves finished rows without
    /// a file, which recovery drops, never a file without rows, which
    /// recovery would queue again.
    @discardableResult
    public func collectGarbage() async throws -> Int {
        let current = writer.currentSegment
        let segmentsDirectory = self.segmentsDirectory
        let onDisk = try await SpoolFiles.offEventLoop {
            try SegmentWriter.segmentNumbers(in: segmentsDirectory).filter { $0 < current }
        }
        guard !onDisk.isEmpty else { return 0 }
        let busy = try await index.database.read { db in
            Set(try Int.fetchAll(db, sql: "SELECT DISTINCT segment FROM message WHERE finished = 0"))
        }
        let removable = onDisk.filter { !busy.contains($0) }
        guard !removable.isEmpty else { return 0 }
        try await SpoolFiles.offEventLoop {
            for number in removable { try SpoolFiles.remove(SegmentWriter.path(segmentsDirectory, number)) }
            try SpoolFiles.syncDirectory(segmentsDirectory)
        }
        try await index.database.write { db in
            try db.execute(
                sql: "DELETE FROM message WHERE finished = 1 AND segment IN (\(removable.map(String.init).joined(separator: ",")))"
            )
        }
        return removable.count
    }

    /// Per-recipient states of one message, for tests and the admin.
    public func recipientStates(of id: QueueID) async throws -> [(address: String, state: RecipientState, reply: String?)] {
        try await index.database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT address, state, last_reply FROM recipient WHERE message_id = ? ORDER BY position",
                arguments: [id.description]
            ).map { row in
                (row["address"], RecipientState(rawValue: row["state"]) ?? .hold, row["last_reply"])
            }
        }
    }

    /// Every delivery attempt of one recipient, oldest first (kept until the
    /// message's segment is removed).
    public func attempts(of id: QueueID, position: Int) async throws -> [DeliveryAttempt] {
        try await index.database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT time, relay, state, status, reply FROM attempt WHERE message_id = ? AND position = ? ORDER BY time, rowid",
                arguments: [id.description, position]
            ).map { row in
                DeliveryAttempt(
                    time: row["time"], relay: row["relay"], state: RecipientState(rawValue: row["state"]) ?? .deferred,
                    status: row["status"], reply: row["reply"])
            }
        }
    }

    /// Counts of recipients by state.
    public func stateCounts() async throws -> [RecipientState: Int] {
        try await index.database.read { db in
            var counts: [RecipientState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM recipient GROUP BY state") {
                if let state = RecipientState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }
}
