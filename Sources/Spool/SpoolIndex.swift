import Foundation
import GRDB

/// The spool's SQLite index: one row per message (where its record is, its
/// envelope) and one per recipient (state, next attempt, last reply).
///
/// It can be rebuilt from the segment files; it exists so that the queue
/// manager and the admin find due mail and answer questions without reading
/// segments. WAL mode, `synchronous = FULL`: each commit is durable, so a
/// recipient marked delivered stays delivered after a power cut (the cost is
/// one WAL fsync per commit, which group commit shares among many messages).
final class SpoolIndex: Sendable {
    let database: DatabasePool

    init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "spool-index"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        database = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(database)
    }

    /// Migrations are never edited once released; add new ones at the end.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: messages and recipients") { db in
            try db.execute(
                sql: """
                    CREATE TABLE message (
                        id TEXT PRIMARY KEY NOT NULL,
                        segment INTEGER NOT NULL,
                        offset INTEGER NOT NULL,
                        header_length INTEGER NOT NULL,
                        body_length INTEGER NOT NULL,
                        sender TEXT NOT NULL,
                        arrival REAL NOT NULL,
                        envelope TEXT NOT NULL,
                        finished INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX message_segment ON message(segment, finished);
                    CREATE TABLE recipient (
                        message_id TEXT NOT NULL REFERENCES message(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        address TEXT NOT NULL,
                        state TEXT NOT NULL,
                        not_before REAL NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        last_reply TEXT,
                        updated REAL NOT NULL,
                        PRIMARY KEY (message_id, position)
                    ) WITHOUT ROWID;
                    CREATE INDEX recipient_due ON recipient(state, not_before);
                    """)
        }
        migrator.registerMigration("v2: delivery attempts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE attempt (
                        message_id TEXT NOT NULL REFERENCES message(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        time REAL NOT NULL,
                        relay TEXT NOT NULL,
                        state TEXT NOT NULL,
                        status TEXT NOT NULL,
                        reply TEXT NOT NULL
                    );
                    CREATE INDEX attempt_recipient ON attempt(message_id, position, time);
                    """)
        }
        migrator.registerMigration("v3: delay warnings") { db in
            try db.execute(sql: "ALTER TABLE recipient ADD COLUMN warned INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v4: administration") { db in
            // What `poshta queue` filters and counts by: the recipient's
            // domain, the shop's tags, arrival and attempt times.
            try db.execute(
                sql: """
                    ALTER TABLE recipient ADD COLUMN domain TEXT NOT NULL DEFAULT '';
                    CREATE INDEX recipient_domain ON recipient(domain, state);
                    CREATE TABLE tag (
                        message_id TEXT NOT NULL REFERENCES message(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (message_id, name)
                    ) WITHOUT ROWID;
                    CREATE INDEX tag_value ON tag(name, value);
                    CREATE INDEX message_arrival ON message(finished, arrival);
                    CREATE INDEX attempt_time ON attempt(time);
                    """)
            let setDomain = try db.makeStatement(
                sql: "UPDATE recipient SET domain = ? WHERE message_id = ? AND position = ?")
            for row in try Row.fetchAll(db, sql: "SELECT message_id, position, address FROM recipient") {
                try setDomain.execute(arguments: [
                    recipientDomain(row["address"]), row["message_id"] as String, row["position"] as Int,
                ])
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, envelope FROM message") {
                let json: String = row["envelope"]
                guard let envelope = try? JSONDecoder().decode(SpoolEnvelope.self, from: Data(json.utf8)) else { continue }
                for (name, value) in envelope.tags {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO tag (message_id, name, value) VALUES (?, ?, ?)",
                        arguments: [row["id"] as String, name, value])
                }
            }
        }
        return migrator
    }

    /// Sets a message's `finished` flag (argument: its id) from its
    /// recipients: finished once none is left to deliver.
    static let markFinished = """
        UPDATE message SET finished = NOT EXISTS (
            SELECT 1 FROM recipient WHERE message_id = message.id
            AND state NOT IN ('delivered', 'bounced', 'expired', 'deleted'))
        WHERE id = ?
        """

    /// Adds messages just written to a segment, all recipients queued now.
    func insert(_ records: [(SpoolEnvelope, RecordLocation, envelopeJSON: String)], now: Double) throws {
        try database.write { db in
            let message = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO message (id, segment, offset, header_length, body_length, sender, arrival, envelope)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let recipient = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO recipient (message_id, position, address, domain, state, not_before, updated)
                    VALUES (?, ?, ?, ?, 'queued', ?, ?)
                    """)
            let tag = try db.cachedStatement(sql: "INSERT OR IGNORE INTO tag (message_id, name, value) VALUES (?, ?, ?)")
            for (envelope, location, json) in records {
                let id = envelope.queueID.description
                try message.execute(arguments: [
                    id, location.segment, location.offset, location.headerLength, location.bodyLength,
                    envelope.sender, envelope.arrival, json,
                ])
                for (position, address) in envelope.recipients.enumerated() {
                    try recipient.execute(arguments: [id, position, address, recipientDomain(address), now, now])
                }
                for (name, value) in envelope.tags { try tag.execute(arguments: [id, name, value]) }
            }
        }
    }
}

/// The lower-cased domain after a recipient's last "@", without a trailing
/// dot (a literal keeps its brackets): what mail is routed, counted and
/// filtered by.
public func recipientDomain(_ address: String) -> String {
    guard let at = address.lastIndex(of: "@") else { return address.lowercased() }
    var domain = address[address.index(after: at)...].lowercased()
    if domain.hasSuffix("."), !domain.hasPrefix("[") { domain.removeLast() }
    return domain
}
