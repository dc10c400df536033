import Foundation
import GRDB

/// Coupon pools, generated codes, hand-outs and redemptions.
extension SQLiteShopStore {
    public func importCoupons(_ codes: [String], for template: String) async throws -> Int {
        try await database.write { db in
            var next = (try Int.fetchOne(db, sql: "SELECT MAX(added) FROM coupon") ?? 0) + 1
            let insert = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO coupon (code, template, source, added) VALUES (?, ?, 'pool', ?)")
            var added = 0
            for code in codes {
                try insert.execute(arguments: [code, template, next])
                added += db.changesCount
                next += 1
            }
            return added
        }
    }

    public func handOutPoolCoupon(for template: String, to email: String, now: Double) async throws -> Coupon? {
        try await database.write { db in try Self.handOutPoolCoupon(for: template, to: email, now: now, in: db) }
    }

    static func handOutPoolCoupon(for template: String, to email: String, now: Double, in db: Database) throws -> Coupon? {
        try Row.fetchOne(
            db.cachedStatement(
            sql: """
                UPDATE coupon SET issued_to = ?, issued_at = ?
                WHERE code = (SELECT code FROM coupon WHERE template = ? AND source = 'pool' AND issued_to IS NULL
                              ORDER BY added LIMIT 1)
                RETURNING *
                """), arguments: [email, now, template]
        ).map(coupon)
    }

    public func recordGeneratedCoupon(_ coupon: Coupon) async throws {
        try await database.write { db in try Self.recordGeneratedCoupon(coupon, in: db) }
    }

    static func recordGeneratedCoupon(_ coupon: Coupon, in db: Database) throws {
        let added = (try Int.fetchOne(db, sql: "SELECT MAX(added) FROM coupon") ?? 0) + 1
        try db.execute(
            sql: """
                INSERT INTO coupon (code, template, source, value, expires, issued_to, issued_at, added)
                VALUES (?, ?, 'generated', ?, ?, ?, ?, ?)
                """,
            arguments: [
                coupon.code, coupon.template, try coupon.value.map(json), coupon.expires, coupon.issuedTo,
                coupon.issuedAt, added,
            ])
    }

    public func coupon(_ code: String) async throws -> Coupon? {
        try await database.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM coupon WHERE code = ?"), arguments: [code]).map(Self.coupon)
        }
    }

    public func coupons(for template: String?, limit: Int) async throws -> [Coupon] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM coupon WHERE ? IS NULL OR template = ? ORDER BY added DESC LIMIT ?",
                arguments: [template, template, limit]
            ).map(Self.coupon)
        }
    }

    public func handOuts(limit: Int) async throws -> [Coupon] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM coupon WHERE issued_at IS NOT NULL ORDER BY issued_at DESC LIMIT ?", arguments: [limit]
            ).map(Self.coupon)
        }
    }

    public func couponPools() async throws -> [CouponPool] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT template, SUM(issued_to IS NULL) AS left, SUM(issued_to IS NOT NULL) AS handed_out
                    FROM coupon WHERE source = 'pool' GROUP BY template ORDER BY template
                    """
            ).map { CouponPool(template: $0["template"], left: $0["left"], handedOut: $0["handed_out"]) }
        }
    }

    public func redeem(_ code: String, now: Double) async throws -> Coupon? {
        try await database.write { db in
            guard let before = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM coupon WHERE code = ?"), arguments: [code]).map(Self.coupon)
            else { return nil }
            if before.status(now: now) == .valid {
                try db.execute(sql: "UPDATE coupon SET redeemed_at = ? WHERE code = ?", arguments: [now, code])
            }
            return before
        }
    }
}
