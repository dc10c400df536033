import Foundation
import GRDB

/// Customers, their orders, and what one mail or event writes in one transaction.
extension SQLiteShopStore {
    public func updateCustomer(_ customer: Customer) async throws {
        try await database.write { db in try Self.updateCustomer(customer, in: db) }
    }

    static func updateCustomer(_ customer: Customer, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO customer (email, name, locale, marketing_consent) VALUES (?, ?, ?, ?)
                ON CONFLICT(email) DO UPDATE SET
                    name = coalesce(excluded.name, name), locale = coalesce(excluded.locale, locale),
                    marketing_consent = coalesce(excluded.marketing_consent, marketing_consent)
                """, arguments: [customer.email, customer.name, customer.locale, customer.marketingConsent])
    }

    public func record(_ facts: MailFacts) async throws -> Coupon? {
        guard !facts.isEmpty else { return nil }
        return try await database.write { db in
            var coupon: Coupon?
            if let request = facts.coupon {
                if request.policy.source == .pool {
                    coupon = try Self.handOutPoolCoupon(for: request.template, to: request.email, now: facts.now, in: db)
                }
                if coupon == nil && (request.policy.source == .generate || request.policy.generateWhenPoolEmpty) {
                    let generated = CouponIssuer.generated(request.policy, for: request.template, to: request.email, now: facts.now)
                    try Self.recordGeneratedCoupon(generated, in: db)
                    coupon = generated
                }
            }
            try Self.apply(facts, in: db)
            return coupon
        }
    }

    /// Writes many mails' or events' facts in one transaction (an import,
    /// the automation benchmark's million jobs); coupons are not handed out here.
    public func recordAll(_ all: [MailFacts]) async throws {
        precondition(all.allSatisfy { $0.coupon == nil }, "recordAll hands out no coupons")
        try await database.write { db in
            for facts in all { try Self.apply(facts, in: db) }
        }
    }

    /// Everything of `facts` but the coupon.
    static func apply(_ facts: MailFacts, in db: Database) throws {
        if let customer = facts.customer { try updateCustomer(customer, in: db) }
        if let order = facts.order {
            try recordOrder(order, in: db)
            // Bought: no longer a favorite to remind of.
            let bought = try db.cachedStatement(sql: "DELETE FROM favorite WHERE customer = ? AND sku = ?")
            for item in order.items { try bought.execute(arguments: [order.email, item.sku]) }
        }
        if let change = facts.orderStatus { try setOrderStatus(change.number, status: change.status, in: db) }
        if let cart = facts.cart {
            try db.execute(
                sql: "INSERT OR REPLACE INTO cart (id, customer, items, checkout_url, updated) VALUES (?, ?, ?, ?, ?)",
                arguments: [cart.id, cart.customer, try json(cart.items), cart.checkoutURL, cart.updated])
        }
        if let id = facts.clearedCart { try db.execute(sql: "DELETE FROM cart WHERE id = ?", arguments: [id]) }
        if let added = facts.favoritesAdded {
            for sku in added.skus {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO favorite (customer, sku, added) VALUES (?, ?, ?)",
                    arguments: [added.customer.lowercased(), sku, facts.now])
            }
        }
        if let removed = facts.favoritesRemoved {
            for sku in removed.skus {
                try db.execute(
                    sql: "DELETE FROM favorite WHERE customer = ? AND sku = ?", arguments: [removed.customer.lowercased(), sku])
            }
        }
        for change in facts.jobs { try apply(change, now: facts.now, in: db) }
    }

    /// One change to the automation jobs (see `JobChange`).
    static func apply(_ change: JobChange, now: Double, in db: Database) throws {
        switch change {
        case .schedule(let automation, let customer, let subject, let due, let timing, let once, let minimumOrders):
            let customer = customer.lowercased()
            if let minimumOrders {
                let orders = try Int.fetchOne(
                    db, sql: "SELECT order_count FROM customer WHERE email = ?", arguments: [customer]) ?? 0
                guard orders >= minimumOrders else { return }
            }
            if once, try Bool.fetchOne(
                db,
                sql: """
                    SELECT 1 FROM automation_job WHERE customer = ? AND automation = ? AND subject = ?
                    AND state IN ('sending', 'sent')
                    """, arguments: [customer, automation, subject]) == true
            {
                return
            }
            let scheduled = try Row.fetchOne(
                db,
                sql: """
                    SELECT id, due FROM automation_job WHERE customer = ? AND automation = ? AND subject = ?
                    AND state = 'scheduled'
                    """, arguments: [customer, automation, subject])
            if let scheduled {
                let id: Int64 = scheduled["id"]
                let old: Double = scheduled["due"]
                let new = timing == .move ? due : min(old, due)
                try db.execute(
                    sql: "UPDATE automation_job SET due = ?, updated = ? WHERE id = ?", arguments: [new, now, id])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO automation_job (automation, customer, subject, due, state, created, updated)
                        VALUES (?, ?, ?, ?, 'scheduled', ?, ?)
                        """, arguments: [automation, customer, subject, due, now, now])
            }
        case .cancel(let automation, let customer, let subject):
            try db.execute(
                sql: """
                    UPDATE automation_job SET state = 'cancelled', updated = ?
                    WHERE state = 'scheduled' AND customer = ? AND automation = ? AND (? IS NULL OR subject = ?)
                    """, arguments: [now, customer.lowercased(), automation, subject, subject])
        case .cancelWhenNoFavorites(let automation, let customer):
            let left = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM favorite WHERE customer = ? LIMIT 1", arguments: [customer.lowercased()]) ?? false
            if !left { try apply(.cancel(automation: automation, customer: customer, subject: nil), now: now, in: db) }
        }
    }
}
