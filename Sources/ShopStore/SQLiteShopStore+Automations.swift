import Foundation
import GRDB

/// Automation jobs, carts and favorites.
extension SQLiteShopStore {
    public func automationJobs(_ filter: JobFilter, limit: Int) async throws -> [AutomationJob] {
        let (condition, arguments) = Self.condition(filter)
        return try await database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM automation_job WHERE \(condition) ORDER BY \(filter.byDueTime ? "due, id" : "id DESC") LIMIT ?",
                arguments: arguments + [limit]
            ).map(Self.job)
        }
    }

    public func job(_ id: Int64) async throws -> AutomationJob? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM automation_job WHERE id = ?", arguments: [id]).map(Self.job)
        }
    }

    public func cancelJobs(ids: [Int64]?, matching filter: JobFilter, reason: String, now: Double) async throws -> Int {
        let (scheduled, arguments) = Self.condition(JobFilter(automation: filter.automation, customer: filter.customer, states: [.scheduled]))
        let condition = scheduled + (ids.map { " AND id IN (\($0.map(String.init).joined(separator: ",")))" } ?? "")
        return try await database.write { db in
            try db.execute(
                sql: "UPDATE automation_job SET state = 'cancelled', note = ?, updated = ? WHERE \(condition)",
                arguments: [reason, now] + arguments)
            return db.changesCount
        }
    }

    public func automationStats(since: Double) async throws -> [AutomationStats] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT automation,
                        count(*) FILTER (WHERE state = 'scheduled') AS scheduled,
                        count(*) FILTER (WHERE state = 'sent' AND updated >= ?1) AS sent,
                        count(*) FILTER (WHERE state = 'cancelled' AND updated >= ?1) AS cancelled,
                        count(*) FILTER (WHERE state = 'skipped' AND updated >= ?1) AS skipped,
                        count(*) FILTER (WHERE state = 'sent' AND updated >= ?1 AND EXISTS (
                            SELECT 1 FROM shop_order o WHERE o.email = j.customer AND o.placed > j.updated AND o.placed <= j.updated + ?2
                        )) AS converted
                    FROM automation_job j GROUP BY automation ORDER BY automation
                    """, arguments: [since, AutomationStats.conversionWindow]
            ).map { row in
                AutomationStats(
                    automation: row["automation"], scheduled: row["scheduled"], sent: row["sent"], cancelled: row["cancelled"],
                    skipped: row["skipped"], converted: row["converted"])
            }
        }
    }

    /// The WHERE clause of a filter, with its arguments.
    static func condition(_ filter: JobFilter) -> (String, StatementArguments) {
        var clauses = ["1"]
        var arguments = StatementArguments()
        if let automation = filter.automation {
            clauses.append("automation = ?")
            arguments += [automation]
        }
        if let customer = filter.customer {
            clauses.append("customer = ?")
            arguments += [customer]
        }
        if let states = filter.states {
            clauses.append("state IN (\(states.map { "'\($0.rawValue)'" }.joined(separator: ",")))")
        }
        return (clauses.joined(separator: " AND "), arguments)
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

    public func finishJobs(_ results: [JobResult], now: Double) async throws {
        guard !results.isEmpty else { return }
        try await database.write { db in
            let finish = try db.cachedStatement(
                sql: "UPDATE automation_job SET state = ?, due = coalesce(?, due), note = ?, updated = ? WHERE id = ?")
            for result in results {
                try finish.execute(arguments: [result.state.rawValue, result.due, result.note, now, result.id])
            }
        }
    }

    public func automationContext(for job: AutomationJob, sentSince time: Double) async throws -> AutomationContext {
        try await database.read { db in
            let email = job.customer
            var context = AutomationContext()
            context.customer = try Self.customer(email, in: db)
            context.suppressed = try Self.isSuppressed(email, in: db)
            context.sent = try Double.fetchAll(
                db.cachedStatement(
                    sql: "SELECT updated FROM automation_job WHERE customer = ? AND state = 'sent' AND updated >= ? ORDER BY updated"),
                arguments: [email.lowercased(), time])
            context.cart = try Self.cart(job.subject, in: db)
            context.order = try Self.order(job.subject, in: db)
            context.latestOrder = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM shop_order WHERE email = ? ORDER BY placed DESC, number DESC LIMIT 1"),
                arguments: [email.lowercased()]
            ).map(Self.order)
            context.favorites = try Self.favorites(of: email, in: db)
            let skus = Set(
                (context.cart?.items ?? []).map(\.sku) + (context.order?.items ?? []).map(\.sku)
                    + (context.latestOrder?.items ?? []).map(\.sku) + context.favorites)
            for sku in skus {
                if let found = try Self.product(sku, in: db) { context.products[sku] = found }
            }
            return context
        }
    }

    static func job(_ row: Row) -> AutomationJob {
        AutomationJob(
            id: row["id"], automation: row["automation"], customer: row["customer"], subject: row["subject"],
            due: row["due"], state: AutomationJob.State(rawValue: row["state"]) ?? .scheduled, note: row["note"],
            updated: row["updated"])
    }

    public func cart(_ id: String) async throws -> Cart? {
        try await database.read { db in try Self.cart(id, in: db) }
    }

    static func cart(_ id: String, in db: Database) throws -> Cart? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM cart WHERE id = ?"), arguments: [id]).map(Self.cart)
    }

    static func cart(_ row: Row) -> Cart {
        Cart(
            id: row["id"], customer: row["customer"], items: Self.decode([Order.Item].self, row["items"]) ?? [],
            checkoutURL: row["checkout_url"], updated: row["updated"])
    }

    public func favorites(of customer: String) async throws -> [String] {
        try await database.read { db in try Self.favorites(of: customer, in: db) }
    }

    static func favorites(of customer: String, in db: Database) throws -> [String] {
        try String.fetchAll(
            db.cachedStatement(sql: "SELECT sku FROM favorite WHERE customer = ? ORDER BY added, sku"), arguments: [customer.lowercased()])
    }

    public func customer(_ email: String) async throws -> Customer? {
        try await database.read { db in try Self.customer(email, in: db) }
    }

    static func customer(_ email: String, in db: Database) throws -> Customer? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM customer WHERE email = ?"), arguments: [email.lowercased()])
            .map(Self.customer)
    }

    static func customer(_ row: Row) -> Customer {
        Customer(
            email: row["email"], name: row["name"], locale: row["locale"], marketingConsent: row["marketing_consent"],
            orderCount: row["order_count"], lastOrder: row["last_order"])
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
        try await database.read { db in try Self.order(number, in: db) }
    }

    static func order(_ number: String, in db: Database) throws -> Order? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM shop_order WHERE number = ?"), arguments: [number]).map(Self.order)
    }

    static func order(_ row: Row) -> Order {
        Order(
            number: row["number"], email: row["email"], items: Self.decode([Order.Item].self, row["items"]) ?? [],
            total: row["total"], currency: row["currency"], status: row["status"], placed: row["placed"])
    }

    @discardableResult
    public func setOrderStatus(_ number: String, status: String) async throws -> Bool {
        try await database.write { db in try Self.setOrderStatus(number, status: status, in: db) }
    }

    static func setOrderStatus(_ number: String, status: String, in db: Database) throws -> Bool {
        try db.execute(sql: "UPDATE shop_order SET status = ? WHERE number = ?", arguments: [status, number])
        return db.changesCount > 0
    }
}
