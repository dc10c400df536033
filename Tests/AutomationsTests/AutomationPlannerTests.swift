import Foundation
import PoshtaTestSupport
import ShopStore
import Testing

@testable import Automations

/// The automations' table as rules: what each event schedules and
/// cancels, and what the store makes of it — at fixed times, no waiting.
@Suite("automation planning: the DESIGN.md table")
struct AutomationPlannerTests {
    static let t0 = 1_795_420_800.0  // 2026-11-23T08:00:00Z
    let planner = AutomationPlanner(settings: AutomationSettings(enabled: true, orderRelatedMode: .separate))

    func event(_ json: String) throws -> ShopEventInput {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return try ShopEventInput(name: object["type"] as! String, object)
    }

    @Test("delays: fixed units, calendar months and years, words and short forms")
    func delays() {
        #expect(AutomationDelay(parsing: "2h")?.after(Self.t0) == Self.t0 + 7_200)
        #expect(AutomationDelay(parsing: "3 days")?.after(Self.t0) == Self.t0 + 259_200)
        #expect(AutomationDelay(parsing: "4w")?.after(Self.t0) == Self.t0 + 2_419_200)
        // 2026-11-23 + 6 months = 2027-05-23, + 1 year = 2027-11-23 (calendar, not 30-day months).
        #expect(AutomationDelay(parsing: "6mo")?.after(Self.t0) == 1_811_059_200)
        #expect(AutomationDelay(parsing: "1 year")?.after(Self.t0) == 1_826_956_800)
        #expect(AutomationDelay(parsing: "0")?.after(Self.t0) == Self.t0)
        for bad in ["", "soon", "-1d", "3 fortnights", "2.5h"] { #expect(AutomationDelay(parsing: bad) == nil, "\(bad)") }
    }

    @Test("a cart with an email waits two hours from its last change; clearing it cancels")
    func abandonedCart() throws {
        let updated = try event(#"{"type": "cart.updated", "time": "2026-11-23T08:00:00Z", "email": "a@example.com", "cart_id": "c-7", "items": [{"sku": "S1"}]}"#)
        #expect(planner.changes(for: updated, now: 0) == [
            .schedule(automation: "abandoned_cart", customer: "a@example.com", subject: "c-7", due: Self.t0 + 7_200, timing: .move)
        ])
        let cleared = try event(#"{"type": "cart.cleared", "email": "a@example.com", "cart_id": "c-7"}"#)
        #expect(planner.changes(for: cleared, now: Self.t0) == [.cancel(automation: "abandoned_cart", customer: "a@example.com", subject: "c-7")])
    }

    @Test("an order cancels the customer's cart mails and schedules related, loyalty (from the 2nd), win-back, anniversary")
    func orderPlaced() throws {
        let placed = try event(#"{"type": "order.placed", "time": "2026-11-23T08:00:00Z", "number": "1042", "email": "a@example.com", "items": [{"sku": "S1"}]}"#)
        let changes = planner.changes(for: placed, now: 0)
        #expect(changes.contains(.cancel(automation: "abandoned_cart", customer: "a@example.com", subject: nil)))
        #expect(changes.contains(.cancelWhenNoFavorites(automation: "favorites_reminder", customer: "a@example.com")))
        #expect(changes.contains(.schedule(automation: "order_related", customer: "a@example.com", subject: "1042", due: Self.t0, timing: .move, once: true)))
        #expect(changes.contains(.schedule(automation: "loyalty_thanks", customer: "a@example.com", subject: "1042", due: Self.t0 + 86_400, timing: .move, once: true, minimumOrders: 2)))
        #expect(changes.contains(.schedule(automation: "inactive_reminder", customer: "a@example.com", subject: "customer", due: 1_811_059_200, timing: .move)))
        #expect(changes.contains(.schedule(automation: "purchase_anniversary", customer: "a@example.com", subject: "1042", due: 1_826_956_800, timing: .move, once: true)))
        // "merge" (the default): the related products go in the confirmation; no mail of their own.
        let merged = AutomationPlanner(settings: AutomationSettings(enabled: true))
        #expect(!merged.changes(for: placed, now: 0).contains { if case .schedule("order_related", _, _, _, _, _, _) = $0 { true } else { false } })
    }

    @Test("feedback: four weeks after shipping or one day after delivery, the earlier, once per order")
    func feedback() {
        #expect(planner.statusChanged(number: "1042", status: "Shipped", customer: "a@example.com", at: Self.t0) == [
            .schedule(automation: "feedback_request", customer: "a@example.com", subject: "1042", due: Self.t0 + 2_419_200, timing: .keepEarlier, once: true)
        ])
        #expect(planner.statusChanged(number: "1042", status: "delivered", customer: "a@example.com", at: Self.t0 + 86_400) == [
            .schedule(automation: "feedback_request", customer: "a@example.com", subject: "1042", due: Self.t0 + 172_800, timing: .keepEarlier, once: true)
        ])
        #expect(planner.statusChanged(number: "1042", status: "packed", customer: "a@example.com", at: Self.t0).isEmpty)
    }

    @Test("switches: nothing while marketing is off; one automation off; a delay set in the configuration")
    func switches() throws {
        let updated = try event(#"{"type": "cart.updated", "time": "2026-11-23T08:00:00Z", "email": "a@example.com", "cart_id": "c-7", "items": [{"sku": "S1"}]}"#)
        #expect(AutomationPlanner(settings: AutomationSettings(enabled: false)).changes(for: updated, now: 0).isEmpty)
        #expect(AutomationPlanner(settings: AutomationSettings(enabled: true, disabled: [.abandonedCart])).changes(for: updated, now: 0).isEmpty)
        let slow = AutomationPlanner(settings: AutomationSettings(enabled: true, delays: [.abandonedCart: AutomationDelay(3, .hours)]))
        #expect(slow.changes(for: updated, now: 0) == [
            .schedule(automation: "abandoned_cart", customer: "a@example.com", subject: "c-7", due: Self.t0 + 10_800, timing: .move)
        ])
    }
}

/// The store applies the changes: moving, keeping the earlier, once only,
/// the second order, cancelling, favorites bought or removed.
@Suite("automation jobs in the store")
struct AutomationJobStoreTests {
    func store() throws -> (TemporaryDirectory, SQLiteShopStore) {
        let directory = try TemporaryDirectory(prefix: "poshta-jobs")
        return (directory, try SQLiteShopStore(path: directory.path + "/store.sqlite"))
    }

    func apply(_ store: SQLiteShopStore, _ jobs: [JobChange], now: Double = 100, facts: (inout MailFacts) -> Void = { _ in }) async throws {
        var all = MailFacts(now: now)
        all.jobs = jobs
        facts(&all)
        _ = try await store.record(all)
    }

    @Test("move replaces the time, keepEarlier keeps the earlier, once skips a subject already sent, cancel ends it")
    func timing() async throws {
        let (folder, store) = try store()
        defer { withExtendedLifetime(folder) {} }
        try await apply(store, [.schedule(automation: "abandoned_cart", customer: "A@example.com", subject: "c", due: 500, timing: .move)])
        try await apply(store, [.schedule(automation: "abandoned_cart", customer: "a@example.com", subject: "c", due: 900, timing: .move)])
        var jobs = try await store.automationJobs(customer: "a@example.com", limit: 10)
        #expect(jobs.map(\.due) == [900] && jobs.map(\.state) == [.scheduled])
        try await apply(store, [.schedule(automation: "feedback_request", customer: "a@example.com", subject: "1", due: 800, timing: .keepEarlier, once: true)])
        try await apply(store, [.schedule(automation: "feedback_request", customer: "a@example.com", subject: "1", due: 300, timing: .keepEarlier, once: true)])
        try await apply(store, [.schedule(automation: "feedback_request", customer: "a@example.com", subject: "1", due: 700, timing: .keepEarlier, once: true)])
        jobs = try await store.automationJobs(customer: "a@example.com", limit: 10)
        #expect(jobs.first { $0.automation == "feedback_request" }?.due == 300)
        try await apply(store, [.cancel(automation: "abandoned_cart", customer: "a@example.com", subject: nil)])
        jobs = try await store.automationJobs(customer: "a@example.com", limit: 10)
        #expect(jobs.first { $0.automation == "abandoned_cart" }?.state == .cancelled)
        // A new cart activity after the cancel schedules afresh.
        try await apply(store, [.schedule(automation: "abandoned_cart", customer: "a@example.com", subject: "c", due: 2_000, timing: .move)])
        #expect(try await store.automationJobs(customer: "a@example.com", limit: 10).filter { $0.state == .scheduled }.count == 2)
    }

    @Test("loyalty thanks only from the second order; the order's own count included")
    func secondOrder() async throws {
        let (folder, store) = try store()
        defer { withExtendedLifetime(folder) {} }
        let planner = AutomationPlanner(settings: AutomationSettings(enabled: true))
        for number in ["1", "2"] {
            let order = Order(number: number, email: "a@example.com", items: [.init(sku: "S1")], placed: 100)
            try await apply(store, planner.orderPlaced(order, at: 100)) { $0.order = order }
        }
        let jobs = try await store.automationJobs(customer: "a@example.com", limit: 20)
        #expect(jobs.filter { $0.automation == "loyalty_thanks" }.map(\.subject) == ["2"])
        #expect(jobs.filter { $0.automation == "inactive_reminder" }.count == 1)
        #expect(jobs.filter { $0.automation == "purchase_anniversary" }.map(\.subject).sorted() == ["1", "2"])
    }

    @Test("the favorites reminder ends when the favorites are removed or bought, not before")
    func favorites() async throws {
        let (folder, store) = try store()
        defer { withExtendedLifetime(folder) {} }
        let reminder = JobChange.schedule(automation: "favorites_reminder", customer: "a@example.com", subject: "favorites", due: 500, timing: .move)
        let cancelIfNone = JobChange.cancelWhenNoFavorites(automation: "favorites_reminder", customer: "a@example.com")
        try await apply(store, [reminder]) { $0.favoritesAdded = ("a@example.com", ["S1", "S2"]) }
        try await apply(store, [cancelIfNone]) { $0.favoritesRemoved = ("a@example.com", ["S1"]) }
        #expect(try await store.favorites(of: "a@example.com") == ["S2"])
        #expect(try await store.automationJobs(customer: "a@example.com", limit: 5).first?.state == .scheduled)
        let order = Order(number: "9", email: "a@example.com", items: [.init(sku: "S2")], placed: 200)
        try await apply(store, [cancelIfNone]) { $0.order = order }
        #expect(try await store.favorites(of: "a@example.com").isEmpty)
        #expect(try await store.automationJobs(customer: "a@example.com", limit: 5).first?.state == .cancelled)
    }

    @Test("a cart is kept with its lines for the mail, and forgotten when cleared")
    func carts() async throws {
        let (folder, store) = try store()
        defer { withExtendedLifetime(folder) {} }
        let cart = Cart(id: "c-7", customer: "a@example.com", items: [.init(sku: "S1", name: "Mug", quantity: 2, price: 9.9)], checkoutURL: "https://x/c/7", updated: 100)
        try await apply(store, []) { $0.cart = cart }
        #expect(try await store.cart("c-7") == cart)
        try await apply(store, []) { $0.clearedCart = "c-7" }
        #expect(try await store.cart("c-7") == nil)
    }
}

/// Claiming due jobs: each job once, in due order, never early.
@Suite("automation jobs: claiming the due ones")
struct AutomationJobClaimTests {
    @Test("due jobs are claimed once, earliest first, none before its time; a claimed job ends sent, skipped or rescheduled")
    func claims() async throws {
        let directory = try TemporaryDirectory(prefix: "poshta-claims")
        let store = try SQLiteShopStore(path: directory.path + "/store.sqlite")
        var facts = MailFacts(now: 0)
        facts.jobs = (1...60).map { index in
            .schedule(automation: "abandoned_cart", customer: "c\(index)@example.com", subject: "cart", due: Double(1_000 + index), timing: .move)
        }
        _ = try await store.record(facts)
        #expect(try await store.claimDueJobs(now: 1_000.5, limit: 10).isEmpty)
        // Two senders at once: 40 due jobs between them, none twice.
        async let first = store.claimDueJobs(now: 1_040, limit: 25)
        async let second = store.claimDueJobs(now: 1_040, limit: 25)
        let claimed = try await first + second
        #expect(claimed.count == 40 && Set(claimed.map(\.id)).count == 40)
        #expect(try await store.claimDueJobs(now: 1_040, limit: 25).isEmpty)
        #expect(try await store.jobsInFlight().count == 40)
        let job = try #require(claimed.min { $0.due < $1.due })
        #expect(job.due == 1_001)
        try await store.finishJobs([JobResult(id: job.id, state: .sent)], now: 1_041)
        try await store.finishJobs([JobResult(id: claimed[1].id, state: .scheduled, due: 2_000)], now: 1_041)
        #expect(try await store.jobsInFlight().count == 38)
        #expect(try await store.claimDueJobs(now: 1_999, limit: 100).count == 20)
        #expect(try await store.claimDueJobs(now: 2_000, limit: 100).map(\.id) == [claimed[1].id])
    }
}

/// An unsubscribe takes effect at once: the scheduled jobs go with it.
@Suite("suppression cancels the scheduled jobs")
struct SuppressionJobTests {
    @Test("suppressing an address cancels its scheduled jobs, not other customers' nor its sent ones")
    func suppression() async throws {
        let directory = try TemporaryDirectory(prefix: "poshta-suppress")
        let store = try SQLiteShopStore(path: directory.path + "/store.sqlite")
        var facts = MailFacts(now: 0)
        facts.jobs = [
            .schedule(automation: "abandoned_cart", customer: "a@example.com", subject: "c1", due: 10, timing: .move),
            .schedule(automation: "inactive_reminder", customer: "a@example.com", subject: "customer", due: 500, timing: .move),
            .schedule(automation: "abandoned_cart", customer: "b@example.com", subject: "c2", due: 10, timing: .move),
        ]
        _ = try await store.record(facts)
        let sent = try #require(try await store.claimDueJobs(now: 10, limit: 1).first)
        try await store.finishJobs([JobResult(id: sent.id, state: .sent)], now: 11)
        try await store.suppress("A@example.com", reason: "one-click unsubscribe", now: 20)
        #expect(try await store.isSuppressed("a@example.com"))
        let states = try await store.automationJobs(customer: nil, limit: 10).map { "\($0.customer) \($0.automation) \($0.state)" }
        let expectedFirst = sent.customer == "a@example.com" ? "a@example.com abandoned_cart sent" : "a@example.com abandoned_cart cancelled"
        #expect(states.contains(expectedFirst) && states.contains("a@example.com inactive_reminder cancelled"), "\(states)")
        #expect(states.contains { $0.hasPrefix("b@example.com abandoned_cart") && !$0.hasSuffix("cancelled") }, "\(states)")
    }
}
