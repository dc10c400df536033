import Foundation
import GRDB

/// Everything the store keeps about one customer: what `poshta customer
/// show` lays out as a timeline, and what `poshta customer forget` erases.
extension SQLiteShopStore {
    public func events(of customer: String, limit: Int) async throws -> [ShopEvent] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM event WHERE customer = ? ORDER BY id DESC LIMIT ?", arguments: [customer.lowercased(), limit]
            ).map { row in
                ShopEvent(id: row["id"], name: row["name"], data: row["data"], customer: row["customer"], time: row["time"])
            }
        }
    }

    public func orders(of customer: String, limit: Int) async throws -> [Order] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM shop_order WHERE email = ? ORDER BY placed DESC LIMIT ?",
                arguments: [customer.lowercased(), limit]
            ).map(Self.order)
        }
    }

    public func coupons(issuedTo customer: String) async throws -> [Coupon] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM coupon WHERE issued_to = ? COLLATE NOCASE ORDER BY issued_at", arguments: [customer]
            ).map(Self.coupon)
        }
    }

    public func suppression(of customer: String) async throws -> Suppression? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM suppression WHERE email = ?", arguments: [customer.lowercased()]).map { row in
                Suppression(email: row["email"], reason: row["reason"], time: row["time"])
            }
        }
    }

    public func forget(_ customer: String) async throws -> ForgetReport {
        let email = customer.lowercased()
        return try await database.write { db in
            var report = ForgetReport()
            func delete(_ sql: String) throws -> Int {
                try db.execute(sql: sql, arguments: [email])
                return db.changesCount
            }
            report.customer = try delete("DELETE FROM customer WHERE email = ?")
            report.orders = try delete("DELETE FROM shop_order WHERE email = ?")
            report.carts = try delete("DELETE FROM cart WHERE customer = ?")
            report.favorites = try delete("DELETE FROM favorite WHERE customer = ?")
            report.jobs = try delete("DELETE FROM automation_job WHERE customer = ?")
            report.events = try delete("DELETE FROM event WHERE customer = ?")
            // The codes stay valid for the shop's checkout; who got them does not stay.
            try db.execute(sql: "UPDATE coupon SET issued_to = 'forgotten' WHERE issued_to = ? COLLATE NOCASE", arguments: [email])
            report.coupons = db.changesCount
            return report
        }
    }
}

/// An address on the suppression list, why and since when.
public struct Suppression: Codable, Sendable, Hashable {
    public var email: String
    public var reason: String
    public var time: Double

    public init(email: String, reason: String, time: Double) {
        self.email = email
        self.reason = reason
        self.time = time
    }
}

/// What `forget` erased, row counts by kind. The suppression list keeps
/// the address: erasing it would let marketing reach someone who asked for
/// none (the one thing kept, as the GDPR allows for honouring an objection).
public struct ForgetReport: Codable, Sendable, Hashable {
    public var customer = 0
    public var orders = 0
    public var carts = 0
    public var favorites = 0
    public var jobs = 0
    public var events = 0
    public var coupons = 0
    /// Queued marketing mail taken off the spool (the daemon's part).
    public var queuedMail = 0

    public init() {}
}
