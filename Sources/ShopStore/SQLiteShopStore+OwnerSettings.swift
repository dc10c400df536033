import Foundation
import GRDB

/// What the shop owner sets in the console, kept as JSON by name.
extension SQLiteShopStore {
    public func ownerSetting(_ name: String) async throws -> String? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM owner_setting WHERE name = ?", arguments: [name])
        }
    }

    public func saveOwnerSetting(_ name: String, json: String, now: Double) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO owner_setting (name, value, updated) VALUES (?, ?, ?)", arguments: [name, json, now])
        }
    }

    public func notificationSwitches() async throws -> NotificationSwitches? {
        try await ownerSetting("notifications").flatMap { Self.decode(NotificationSwitches.self, $0) }
    }

    public func saveNotificationSwitches(_ switches: NotificationSwitches, now: Double) async throws {
        try await saveOwnerSetting("notifications", json: try Self.json(switches), now: now)
    }
}
