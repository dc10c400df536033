import Foundation
import GRDB

/// The shop store in SQLite (GRDB, WAL): `store.sqlite` beside the spool.
///
/// Products keep their lists (names, categories, related) as JSON in their
/// row and their categories also in `product_category`, which the rules
/// query. SQLite has one writer at a time, and a hand-out is one
/// `UPDATE … RETURNING` on the first free code: two messages never get the
/// same coupon.
public final class SQLiteShopStore: ShopStore {
    let database: DatabasePool

    /// Opens the store at `path`, creating it (and its folder) if needed.
    public init(path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        var configuration = Configuration()
        configuration.label = "shop-store"
        configuration.busyMode = .timeout(10)
        database = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(database)
    }

    /// Migrations are never edited once released; add new ones at the end.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: catalog, coupons, suppression") { db in
            try db.execute(
                sql: """
                    CREATE TABLE product (
                        sku TEXT PRIMARY KEY NOT NULL,
                        names TEXT NOT NULL,
                        price REAL NOT NULL,
                        old_price REAL,
                        currency TEXT NOT NULL,
                        url TEXT,
                        image_url TEXT,
                        categories TEXT NOT NULL,
                        related TEXT NOT NULL,
                        stock INTEGER,
                        track_inventory INTEGER NOT NULL DEFAULT 0,
                        min_quantity INTEGER,
                        units_sold INTEGER NOT NULL DEFAULT 0,
                        active INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE TABLE product_category (
                        sku TEXT NOT NULL REFERENCES product(sku) ON DELETE CASCADE,
                        category TEXT NOT NULL,
                        PRIMARY KEY (category, sku)
                    ) WITHOUT ROWID;
                    CREATE INDEX product_price ON product(active, price);
                    CREATE TABLE coupon (
                        code TEXT PRIMARY KEY NOT NULL,
                        template TEXT NOT NULL,
                        source TEXT NOT NULL,
                        value TEXT,
                        expires REAL,
                        issued_to TEXT,
                        issued_at REAL,
                        redeemed_at REAL,
                        added INTEGER NOT NULL
                    );
                    CREATE INDEX coupon_free ON coupon(template, issued_to, added);
                    CREATE TABLE suppression (
                        email TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
                        reason TEXT NOT NULL,
                        time REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2: shop events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE event (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL,
                        data TEXT NOT NULL,
                        customer TEXT,
                        time REAL NOT NULL,
                        processed INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX event_pending ON event(processed, id);
                    """)
        }
        migrator.registerMigration("v3: customers and orders") { db in
            try db.execute(
                sql: """
                    CREATE TABLE customer (
                        email TEXT PRIMARY KEY NOT NULL,
                        name TEXT,
                        locale TEXT,
                        marketing_consent INTEGER,
                        order_count INTEGER NOT NULL DEFAULT 0,
                        last_order REAL
                    );
                    CREATE TABLE shop_order (
                        number TEXT PRIMARY KEY NOT NULL,
                        email TEXT NOT NULL,
                        items TEXT NOT NULL,
                        total REAL,
                        currency TEXT,
                        status TEXT,
                        placed REAL NOT NULL
                    );
                    CREATE INDEX shop_order_email ON shop_order(email, placed);
                    CREATE INDEX product_sales ON product(active, units_sold);
                    """)
        }
        migrator.registerMigration("v4: event ids") { db in
            try db.execute(
                sql: """
                    ALTER TABLE event ADD COLUMN event_id TEXT;
                    CREATE UNIQUE INDEX event_shop_id ON event(event_id) WHERE event_id IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v5: carts, favorites, automation jobs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE cart (
                        id TEXT PRIMARY KEY NOT NULL,
                        customer TEXT NOT NULL,
                        items TEXT NOT NULL,
                        checkout_url TEXT,
                        updated REAL NOT NULL
                    );
                    CREATE TABLE favorite (
                        customer TEXT NOT NULL,
                        sku TEXT NOT NULL,
                        added REAL NOT NULL,
                        PRIMARY KEY (customer, sku)
                    ) WITHOUT ROWID;
                    CREATE TABLE automation_job (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        automation TEXT NOT NULL,
                        customer TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        due REAL NOT NULL,
                        state TEXT NOT NULL,
                        created REAL NOT NULL,
                        updated REAL NOT NULL
                    );
                    CREATE INDEX automation_job_due ON automation_job(state, due);
                    CREATE INDEX automation_job_key ON automation_job(customer, automation, subject);
                    """)
        }
        return migrator
    }

    // MARK: - Customers and orders

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

    // MARK: - Automation jobs, carts, favorites

    public func automationJobs(customer: String?, limit: Int) async throws -> [AutomationJob] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM automation_job WHERE ? IS NULL OR customer = ? ORDER BY id DESC LIMIT ?",
                arguments: [customer?.lowercased(), customer?.lowercased(), limit]
            ).map(Self.job)
        }
    }

    public func claimDueJobs(now: Double, limit: Int) async throws -> [AutomationJob] {
        try await database.write { db in
            try Row.fetchAll(
                db,
                sql: """
                    UPDATE automation_job SET state = 'sending', updated = ?
                    WHERE id IN (SELECT id FROM automation_job WHERE state = 'scheduled' AND due <= ? ORDER BY due, id LIMIT ?)
                    RETURNING *
                    """, arguments: [now, now, limit]
            ).map(Self.job).sorted { ($0.due, $0.id) < ($1.due, $1.id) }
        }
    }

    public func jobsInFlight() async throws -> [AutomationJob] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM automation_job WHERE state = 'sending' ORDER BY id").map(Self.job)
        }
    }

    public func finishJob(_ id: Int64, as state: AutomationJob.State, due: Double?, now: Double) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE automation_job SET state = ?, due = coalesce(?, due), updated = ? WHERE id = ?",
                arguments: [state.rawValue, due, now, id])
        }
    }

    static func job(_ row: Row) -> AutomationJob {
        AutomationJob(
            id: row["id"], automation: row["automation"], customer: row["customer"], subject: row["subject"],
            due: row["due"], state: AutomationJob.State(rawValue: row["state"]) ?? .scheduled)
    }

    public func cart(_ id: String) async throws -> Cart? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM cart WHERE id = ?", arguments: [id]).map { row in
                Cart(
                    id: row["id"], customer: row["customer"], items: Self.decode([Order.Item].self, row["items"]) ?? [],
                    checkoutURL: row["checkout_url"], updated: row["updated"])
            }
        }
    }

    public func favorites(of customer: String) async throws -> [String] {
        try await database.read { db in
            try String.fetchAll(
                db, sql: "SELECT sku FROM favorite WHERE customer = ? ORDER BY added, sku", arguments: [customer.lowercased()])
        }
    }

    public func customer(_ email: String) async throws -> Customer? {
        try await database.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM customer WHERE email = ?"), arguments: [email.lowercased()]).map { row in
                Customer(
                    email: row["email"], name: row["name"], locale: row["locale"],
                    marketingConsent: row["marketing_consent"], orderCount: row["order_count"], lastOrder: row["last_order"])
            }
        }
    }

    @discardableResult
    public func recordOrder(_ order: Order) async throws -> Bool {
        try await database.write { db in try Self.recordOrder(order, in: db) }
    }

    @discardableResult
    static func recordOrder(_ order: Order, in db: Database) throws -> Bool {
        let isNew = try Bool.fetchOne(db, sql: "SELECT 1 FROM shop_order WHERE number = ?", arguments: [order.number]) == nil
        try db.execute(
            sql: """
                INSERT INTO shop_order (number, email, items, total, currency, status, placed) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(number) DO UPDATE SET
                    items = excluded.items, total = coalesce(excluded.total, total),
                    currency = coalesce(excluded.currency, currency), status = coalesce(excluded.status, status)
                """,
            arguments: [
                order.number, order.email, try json(order.items), order.total, order.currency, order.status, order.placed,
            ])
        if isNew {
            try db.execute(
                sql: """
                    INSERT INTO customer (email, order_count, last_order) VALUES (?, 1, ?)
                    ON CONFLICT(email) DO UPDATE SET
                        order_count = order_count + 1, last_order = max(coalesce(last_order, 0), excluded.last_order)
                    """, arguments: [order.email, order.placed])
            let sold = try db.cachedStatement(sql: "UPDATE product SET units_sold = units_sold + ? WHERE sku = ?")
            for item in order.items { try sold.execute(arguments: [item.quantity, item.sku]) }
        }
        return isNew
    }

    public func order(_ number: String) async throws -> Order? {
        try await database.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM shop_order WHERE number = ?"), arguments: [number]).map { row in
                Order(
                    number: row["number"], email: row["email"], items: Self.decode([Order.Item].self, row["items"]) ?? [],
                    total: row["total"], currency: row["currency"], status: row["status"], placed: row["placed"])
            }
        }
    }

    @discardableResult
    public func setOrderStatus(_ number: String, status: String) async throws -> Bool {
        try await database.write { db in try Self.setOrderStatus(number, status: status, in: db) }
    }

    static func setOrderStatus(_ number: String, status: String, in db: Database) throws -> Bool {
        try db.execute(sql: "UPDATE shop_order SET status = ? WHERE number = ?", arguments: [status, number])
        return db.changesCount > 0
    }

    // MARK: - Events

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
                arguments: [name, id, data, customer, facts.now])
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

    // MARK: - Catalog

    public func upsert(_ products: [Product]) async throws {
        try await database.write { db in
            let row = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO product
                        (sku, names, price, old_price, currency, url, image_url, categories, related, stock,
                         track_inventory, min_quantity, units_sold, active)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let clear = try db.cachedStatement(sql: "DELETE FROM product_category WHERE sku = ?")
            let category = try db.cachedStatement(sql: "INSERT OR IGNORE INTO product_category (sku, category) VALUES (?, ?)")
            for product in products {
                try row.execute(arguments: [
                    product.sku, try Self.json(product.names), product.price, product.oldPrice, product.currency,
                    product.url, product.imageURL, try Self.json(product.categories), try Self.json(product.related),
                    product.stock, product.trackInventory, product.minQuantity, product.unitsSold, product.active,
                ])
                try clear.execute(arguments: [product.sku])
                for name in product.categories { try category.execute(arguments: [product.sku, name]) }
            }
        }
    }

    public func product(_ sku: String) async throws -> Product? {
        try await database.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE sku = ?"), arguments: [sku]).map(Self.product)
        }
    }

    public func deleteProduct(_ sku: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM product_category WHERE sku = ?", arguments: [sku])
            try db.execute(sql: "DELETE FROM product WHERE sku = ?", arguments: [sku])
            return db.changesCount > 0
        }
    }

    public func setStock(_ sku: String, to stock: Int) async throws -> StockChange? {
        try await database.write { db in
            guard var product = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE sku = ?"), arguments: [sku]).map(Self.product)
            else { return nil }
            let before = product.stock
            try db.execute(sql: "UPDATE product SET stock = ? WHERE sku = ?", arguments: [stock, sku])
            product.stock = stock
            return StockChange(before: before, product: product)
        }
    }

    public func products(after sku: String?, limit: Int) async throws -> [Product] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM product WHERE sku > ? ORDER BY sku LIMIT ?", arguments: [sku ?? "", limit]
            ).map(Self.product)
        }
    }

    public func productCount() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM product") ?? 0 }
    }

    public func relatedProducts(forOrder skus: [String]) async throws -> [Product] {
        try await database.read { db in
            var cache: [String: Product?] = [:]
            func lookup(_ sku: String) -> Product? {
                if let known = cache[sku] { return known }
                let found = try? Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE sku = ?"), arguments: [sku]).map(Self.product)
                cache[sku] = found ?? nil
                return found ?? nil
            }
            return ProductRules.related(for: skus, catalog: lookup) { category in
                // Enough to fill a block even if the order's items are among them.
                (try? Row.fetchAll(
                    db.cachedStatement(
                    sql: """
                        SELECT p.* FROM product p JOIN product_category c ON c.sku = p.sku
                        WHERE c.category = ? AND p.active = 1 ORDER BY p.units_sold DESC, p.sku LIMIT ?
                        """), arguments: [category, ProductRules.blockSize + skus.count]
                ).map(Self.product)) ?? []
            }
        }
    }

    public func showcaseProducts() async throws -> [Product] {
        try await database.read { db in
            let limit = ProductRules.blockSize
            let storefront = try Row.fetchAll(
                db.cachedStatement(
                sql: """
                    SELECT p.* FROM product p JOIN product_category c ON c.sku = p.sku
                    WHERE c.category = 'Storefront' AND p.active = 1 ORDER BY p.price DESC, p.sku LIMIT ?
                    """), arguments: [limit]
            ).map(Self.product)
            let all = try Row.fetchAll(
                db, sql: "SELECT * FROM product WHERE active = 1 ORDER BY price DESC, sku LIMIT ?", arguments: [limit]
            ).map(Self.product)
            return ProductRules.showcase(storefront: storefront, all: all)
        }
    }

    public func bestSellingProducts() async throws -> [Product] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM product WHERE active = 1 ORDER BY units_sold DESC, sku LIMIT ?",
                arguments: [ProductRules.blockSize]
            ).map(Self.product)
        }
    }

    // MARK: - Coupons

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

    // MARK: - Suppression

    public func suppress(_ email: String, reason: String, now: Double) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO suppression (email, reason, time) VALUES (?, ?, ?)",
                arguments: [email, reason, now])
            // At once, not at send time: nothing more is scheduled for them.
            try db.execute(
                sql: "UPDATE automation_job SET state = 'cancelled', updated = ? WHERE customer = ? AND state = 'scheduled'",
                arguments: [now, email.lowercased()])
        }
    }

    public func isSuppressed(_ email: String) async throws -> Bool {
        try await database.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM suppression WHERE email = ?", arguments: [email]) ?? false
        }
    }

    // MARK: - Rows

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    /// One for every row: a product row has three JSON columns, and making
    /// a decoder costs more than decoding them. JSONDecoder is thread-safe
    /// while its options are not changed.
    static let decoder = JSONDecoder()

    static func decode<Value: Decodable>(_ type: Value.Type, _ text: String?) -> Value? {
        text.flatMap { try? decoder.decode(type, from: Data($0.utf8)) }
    }

    static func product(_ row: Row) -> Product {
        Product(
            sku: row["sku"], names: decode([String: String].self, row["names"]) ?? [:], price: row["price"],
            oldPrice: row["old_price"], currency: row["currency"], url: row["url"], imageURL: row["image_url"],
            categories: decode([String].self, row["categories"]) ?? [], related: decode([String].self, row["related"]) ?? [],
            stock: row["stock"], trackInventory: row["track_inventory"], minQuantity: row["min_quantity"],
            unitsSold: row["units_sold"], active: row["active"])
    }

    static func coupon(_ row: Row) -> Coupon {
        Coupon(
            code: row["code"], template: row["template"], source: Coupon.Source(rawValue: row["source"]) ?? .pool,
            value: decode(Coupon.Value.self, row["value"]), expires: row["expires"], issuedTo: row["issued_to"],
            issuedAt: row["issued_at"], redeemedAt: row["redeemed_at"])
    }
}
