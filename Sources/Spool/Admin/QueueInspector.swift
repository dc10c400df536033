import Foundation
import GRDB

/// Read-only questions about the queue: the listing, one message, its
/// bytes, the statistics. The daemon asks through its spool; `poshta queue`
/// opens the spool read-only itself when the daemon is down.
public struct QueueInspector: Sendable {
    let reader: any DatabaseReader
    let segmentsDirectory: String

    init(reader: any DatabaseReader, segmentsDirectory: String) {
        self.reader = reader
        self.segmentsDirectory = segmentsDirectory
    }

    /// Opens the spool at `directory` read-only, without recovery: it never
    /// changes a thing, so it is safe beside a running daemon too.
    public init(spoolDirectory directory: String) throws {
        let path = directory + "/index.sqlite"
        guard FileManager.default.fileExists(atPath: path) else {
            throw SpoolError.index("there is no spool index at \(path)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "spool-index-readonly"
        do {
            reader = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw SpoolError.index("cannot open \(path) read-only: \(error)")
        }
        segmentsDirectory = directory + "/segments"
    }

    /// Messages still in the queue that match, oldest first, after `cursor`
    /// if given; at most `limit` of them, with the number that matched in
    /// all (cursor aside) and, when more remain, where the next page starts.
    public func list(_ filter: QueueFilter, limit: Int? = nil, after cursor: QueueCursor? = nil, now: Double)
        async throws -> QueueListing
    {
        let condition = filter.condition(now: now)
        return try await reader.read { db in
            let total = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM message m WHERE \(condition.sql)", arguments: condition.arguments) ?? 0
            var arguments = condition.arguments
            var page = ""
            if let cursor {
                // `arrival >= ?` first, so that the (finished, arrival) index
                // starts the scan at the cursor instead of at the oldest message.
                page += " AND m.arrival >= ? AND (m.arrival > ? OR m.id > ?)"
                arguments += [cursor.arrival, cursor.arrival, cursor.id]
            }
            page += " ORDER BY m.arrival, m.id"
            if let limit {
                // One more than asked: whether it exists says if there is a next page.
                page += " LIMIT ?"
                arguments += [limit + 1]
            }
            // One pass over the matching messages and their pending
            // recipients; tags only where a message has any.
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT m.id, m.arrival, m.body_length, m.sender,
                           r.position, r.address, r.state, r.attempts, r.not_before, r.last_reply,
                           (SELECT json_group_object(t.name, t.value) FROM tag t WHERE t.message_id = m.id) AS tags
                    FROM (SELECT * FROM message m WHERE \(condition.sql)\(page)) m
                    JOIN recipient r ON r.message_id = m.id AND r.state IN ('queued', 'deferred', 'active', 'hold')
                    ORDER BY m.arrival, m.id, r.position
                    """, arguments: arguments)
            var messages: [QueueEntry] = []
            while let row = try rows.next() {
                let id: String = row["id"]
                if messages.last?.id != id {
                    messages.append(
                        QueueEntry(
                            id: id, arrival: row["arrival"], size: row["body_length"], sender: row["sender"],
                            tags: Self.decodeTags(row["tags"]), recipients: []))
                }
                messages[messages.count - 1].recipients.append(Self.recipient(row))
            }
            var next: QueueCursor?
            if let limit, messages.count > limit {
                messages.removeLast(messages.count - limit)
                next = messages.last.map { QueueCursor(arrival: $0.arrival, id: $0.id) }
            }
            return QueueListing(messages: messages, total: total, next: next)
        }
    }

    /// The ids of every message that matches, oldest first: what a bulk
    /// action works through, a chunk at a time.
    public func ids(_ filter: QueueFilter, now: Double) async throws -> [String] {
        let condition = filter.condition(now: now)
        return try await reader.read { db in
            try String.fetchAll(
                db, sql: "SELECT m.id FROM message m WHERE \(condition.sql) ORDER BY m.arrival, m.id",
                arguments: condition.arguments)
        }
    }

    /// The ids of the messages carrying the tag, finished or not, as long as
    /// the spool still has them: whether a job's mail got onto the spool
    /// before a crash.
    public func ids(taggedWith name: String, value: String) async throws -> [String] {
        try await reader.read { db in
            try String.fetchAll(
                db, sql: "SELECT message_id FROM tag WHERE name = ? AND value = ? ORDER BY message_id",
                arguments: [name, value])
        }
    }

    /// One message with all its recipients and their attempt history; nil
    /// when the spool does not know the id (any more).
    public func message(_ id: String) async throws -> QueueMessage? {
        try await reader.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT body_length, envelope, finished FROM message WHERE id = ?",
                    arguments: [id.uppercased()])
            else { return nil }
            let json: String = row["envelope"]
            let envelope = try JSONDecoder().decode(SpoolEnvelope.self, from: Data(json.utf8))
            let key = envelope.queueID.description
            var recipients = try Row.fetchAll(
                db,
                sql: """
                    SELECT position, address, state, attempts, not_before, last_reply FROM recipient
                    WHERE message_id = ? ORDER BY position
                    """, arguments: [key]
            ).map(Self.recipient)
            for index in recipients.indices {
                recipients[index].history = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT time, relay, state, status, reply FROM attempt
                        WHERE message_id = ? AND position = ? ORDER BY time, rowid
                        """, arguments: [key, recipients[index].position]
                ).map(DeliveryAttempt.init(row:))
            }
            return QueueMessage(
                id: key, arrival: envelope.arrival, size: row["body_length"], sender: envelope.sender,
                client: envelope.client, heloName: envelope.heloName, bodyType: envelope.bodyType,
                smtpUTF8: envelope.smtpUTF8, tags: envelope.tags, finished: row["finished"], recipients: recipients)
        }
    }

    /// The message's bytes as they will leave (postcat); nil for an unknown id.
    public func messageBytes(_ id: String) async throws -> [UInt8]? {
        let location = try await reader.read { db -> RecordLocation? in
            try Row.fetchOne(
                db, sql: "SELECT segment, offset, header_length, body_length FROM message WHERE id = ?",
                arguments: [id.uppercased()]
            ).map { row in
                RecordLocation(
                    segment: row["segment"], offset: row["offset"], headerLength: row["header_length"],
                    bodyLength: row["body_length"])
            }
        }
        guard let location else { return nil }
        let path = SegmentWriter.path(segmentsDirectory, location.segment)
        return try await SpoolFiles.offEventLoop {
            try SegmentFile(path: path, create: false).read(at: location.bodyOffset, count: location.bodyLength)
        }
    }

    static func recipient(_ row: Row) -> QueueRecipient {
        QueueRecipient(
            position: row["position"], address: row["address"],
            state: RecipientState(rawValue: row["state"]) ?? .hold, attempts: row["attempts"],
            nextAttempt: row["not_before"], lastReply: row["last_reply"], history: nil)
    }

    static func decodeTags(_ json: String?) -> [String: String] {
        guard let json, json != "{}" else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? [:]
    }
}

extension DeliveryAttempt {
    init(row: Row) {
        self.init(
            time: row["time"], relay: row["relay"], state: RecipientState(rawValue: row["state"]) ?? .deferred,
            status: row["status"], reply: row["reply"])
    }
}
