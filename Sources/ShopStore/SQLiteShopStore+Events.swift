import Foundation
import GRDB

/// The shop's events, kept once per shop id.
extension SQLiteShopStore {
    public func recordEvent(
        _ name: String, id: String?, data: String, customer: String?, facts: MailFacts
    ) async throws -> RecordedEvent {
        try await database.write { db in
            if let id, let first = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM event WHERE event_id = ?"), arguments: [id])
            {
                return RecordedEvent(sequence: first, isNew: false)
            }
            try db.execute(
                sql: "INSERT INTO event (name, event_id, data, customer, time) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, id, data, customer?.lowercased(), facts.now])
            let sequence = db.lastInsertedRowID
            try Self.apply(facts, in: db)
            return RecordedEvent(sequence: sequence, isNew: true)
        }
    }

    public func events(limit: Int) async throws -> [ShopEvent] {
        try await database.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM event ORDER BY id DESC LIMIT ?"), arguments: [limit]).map { row in
                ShopEvent(id: row["id"], name: row["name"], data: row["data"], customer: row["customer"], time: row["time"])
            }
        }
    }
}
