import Foundation
import PoshtaTestSupport
import ShopStore
import Testing

/// The shop's events, sent as a shop sends them, schedule and cancel the
/// automations' jobs in the store (the firing of the jobs is tested apart).
@Suite("automation jobs from the shop's events")
struct AutomationSchedulingTests {
    static let marketing = """

        [marketing]
        enabled = true

        [marketing.abandoned_cart]
        delay = "3 hours"
        """

    @Test("a cart schedules its reminder at the event's time + the delay; an order cancels it and schedules the others; a repeat changes nothing")
    func cartThenOrder() async throws {
        let daemon = try await ShopMailTests.shopDaemon(extra: Self.marketing)
        let url = try await daemon.adminURL() + "/v1/events"
        let token = try daemon.adminToken
        let cart = #"{"type": "cart.updated", "id": "e-1", "time": "2030-01-07T08:00:00Z", "email": "maria@example.bg", "cart_id": "c-7", "items": [{"sku": "TEA-SEN-100", "quantity": 1}], "checkout_url": "https://romashka.example/c/7"}"#
        #expect(try await curl(url, token: token, method: "POST", body: cart).status == 202)
        #expect(try await curl(url, token: token, method: "POST", body: cart).status == 202)
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        var jobs = try await store.automationJobs(customer: "maria@example.bg", limit: 20)
        #expect(jobs.map(\.automation) == ["abandoned_cart"] && jobs.first?.due == 1_894_003_200 + 10_800, "\(jobs)")
        #expect(try await store.cart("c-7")?.checkoutURL == "https://romashka.example/c/7")

        // The order comes as an order confirmation over SMTP: an order.placed too.
        let reply = try await ShopMailTests.send(
            try ShopMailTests.orderPaid(locale: "bg"), to: ["maria.georgieva@abv.bg"], port: daemon.port())
        #expect(reply.code == 250, "\(reply)")
        // The sample's customer is maria.georgieva@abv.bg: her jobs, and Maria's cart job untouched.
        jobs = try await store.automationJobs(customer: "maria.georgieva@abv.bg", limit: 20)
        #expect(Set(jobs.map(\.automation)) == ["inactive_reminder", "purchase_anniversary"], "\(jobs)")
        let placed = #"{"type": "order.placed", "id": "o-2", "number": "RM-2", "email": "maria@example.bg", "items": [{"sku": "TEA-SEN-100"}]}"#
        #expect(try await curl(url, token: token, method: "POST", body: placed).status == 202)
        jobs = try await store.automationJobs(customer: "maria@example.bg", limit: 20)
        #expect(jobs.first { $0.automation == "abandoned_cart" }?.state == .cancelled, "\(jobs)")
        #expect(jobs.contains { $0.automation == "inactive_reminder" && $0.state == .scheduled })
        try await daemon.stop()
    }

    @Test("marketing off (the default): events are recorded and schedule nothing")
    func off() async throws {
        let daemon = try await ShopMailTests.shopDaemon()
        let cart = #"{"type": "cart.updated", "email": "maria@example.bg", "cart_id": "c-7", "items": [{"sku": "TEA-SEN-100"}]}"#
        #expect(try await curl(try await daemon.adminURL() + "/v1/events", token: try daemon.adminToken, method: "POST", body: cart).status == 202)
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        #expect(try await store.automationJobs(customer: nil, limit: 5).isEmpty)
        try await daemon.stop()
    }
}
