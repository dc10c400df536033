import Foundation
import GRDB

/// What the shop owner sets in the console, kept as JSON by name.
extension SQLiteShopStore {
    public func notificationSwitches() async throws -> NotificationSwitches? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM owner_setting WHERE name = 'notifications'")
        }.flatMap { Self.decode(NotificationSwitches.self, $0) }
    }

    public func saveNotificationSwitches(_ switches: NotificationSwitches, now: Double) async throws {
        let value = try Self.json(switches)
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO owner_setting (name, value, updated) VALUES ('notifications', ?, ?)",
                arguments: [value, now])
        }
    }
}
