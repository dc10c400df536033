import Foundation
import GRDB

/// Addresses that get no more marketing mail.
extension SQLiteShopStore {
    public func suppress(_ email: String, reason: String, now: Double) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO suppression (email, reason, time) VALUES (?, ?, ?)",
                arguments: [email.lowercased(), reason, now])
            // At once, not at send time: nothing more is scheduled for them.
            try db.execute(
                sql: "UPDATE automation_job SET state = 'cancelled', updated = ? WHERE customer = ? AND state = 'scheduled'",
                arguments: [now, email.lowercased()])
        }
    }

    public func isSuppressed(_ email: String) async throws -> Bool {
        try await database.read { db in try Self.isSuppressed(email, in: db) }
    }

    static func isSuppressed(_ email: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM suppression WHERE email = ?"), arguments: [email.lowercased()]) ?? false
    }
}
