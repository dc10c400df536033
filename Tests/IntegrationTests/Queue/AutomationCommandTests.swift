import Foundation
import PoshtaTestSupport
import ShopStore
import Testing

/// `poshta automation list|show|cancel|stats` (the real binary, beside the
/// running daemon) and `/v1/automations`: upcoming jobs with their due
/// time, one job's dry run in the customer's language, cancelling, and the
/// figures per automation with conversions.
@Suite("poshta automation and /v1/automations")
struct AutomationCommandTests {
    func poshta(_ daemon: TestDaemon, _ arguments: [String]) async throws -> ExternalProcess.Result {
        try await ExternalProcess.run(DaemonProcess.binary, arguments + ["--config", daemon.configurationFile], timeout: .seconds(30))
    }

    @Test("list --json, show's dry run, cancel, stats with a conversion; the API agrees")
    func lifecycle() async throws {
        let daemon = try await ShopMailTests.shopDaemon(extra: MarketingDeliveryTests.marketing())
        let events = try await daemon.adminURL() + "/v1/events"
        let token = try daemon.adminToken
        // Ivana, in Bulgarian, leaves a cart for later (due in two hours) and favorites (due in three days).
        let registered = #"{"type": "customer.registered", "email": "ivana@example.bg", "name": "Ивана", "locale": "bg"}"#
        #expect(try await curl(events, token: token, method: "POST", body: registered).status == 202)
        let cart = #"{"type": "cart.updated", "email": "ivana@example.bg", "cart_id": "c-9", "items": [{"sku": "TEA-SEN-100", "quantity": 1, "price": "18.90"}], "checkout_url": "https://romashka.example/c/9"}"#
        #expect(try await curl(events, token: token, method: "POST", body: cart).status == 202)
        let favorites = #"{"type": "favorites.added", "email": "ivana@example.bg", "items": [{"sku": "CUP-MAT"}]}"#
        #expect(try await curl(events, token: token, method: "POST", body: favorites).status == 202)

        let listed = try await poshta(daemon, ["automation", "list", "--json"])
        #expect(listed.status == 0, "\(listed.error)")
        let jobs = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        #expect(jobs.map { $0["automation"] as? String } == ["abandoned_cart", "favorites_reminder"], "\(jobs)")
        #expect(jobs.allSatisfy { $0["email"] as? String == "ivana@example.bg" && $0["state"] as? String == "scheduled" })
        let due = try #require(jobs.first?["due"] as? String)
        let dueTime = try Date(due, strategy: .iso8601).timeIntervalSince1970
        #expect(abs(dueTime - (Date.now.timeIntervalSince1970 + 7_200)) < 60, "due \(due): two hours from now")

        let id = try #require((jobs.first?["id"] as? NSNumber)?.intValue)
        let shown = try await poshta(daemon, ["automation", "show", "\(id)"])
        #expect(shown.status == 0, "\(shown.error)")
        #expect(shown.output.contains("would send now (bg):") && shown.output.contains("Здравейте, Ивана!"), "\(shown.output)")
        #expect(shown.output.contains("Сенча") && shown.output.contains("https://romashka.example/c/9"), "\(shown.output)")

        let cancelled = try await poshta(daemon, ["automation", "cancel", "--customer", "ivana@example.bg", "--automation", "favorites_reminder"])
        #expect(cancelled.output == "cancelled 1 scheduled job(s)\n", "\(cancelled.error)")
        let left = try await poshta(daemon, ["automation", "list"])
        #expect(left.output.contains("abandoned_cart\tivana@example.bg") && !left.output.contains("favorites_reminder"), "\(left.output)")
        let none = try await poshta(daemon, ["automation", "list", "--automation", "black_friday"])
        #expect(none.status == 64 && none.error.contains("no automation is called black_friday"))

        // Maria's cart was left three hours ago: it goes at once; her order two days later converts it.
        try await MarketingDeliveryTests.post(MarketingDeliveryTests.staleCart("maria@example.bg", "c-7"), to: daemon)
        _ = try await daemon.waitForOutbox(count: 1)
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        #expect(try await MarketingDeliveryTests.settledJob(store, "maria@example.bg").state == .sent)
        let later = Date.now.addingTimeInterval(2 * 86_400).formatted(.iso8601)
        let order = #"{"type": "order.placed", "time": "\#(later)", "number": "RM-77", "email": "maria@example.bg", "items": [{"sku": "TEA-SEN-100"}]}"#
        #expect(try await curl(events, token: token, method: "POST", body: order).status == 202)

        let stats = try await poshta(daemon, ["automation", "stats", "--json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(stats.output.utf8)) as? [[String: Any]])
        #expect(rows.count == 7, "one row per automation")
        let cartRow = try #require(rows.first { $0["automation"] as? String == "abandoned_cart" })
        #expect(cartRow["sent"] as? Int == 1 && cartRow["converted"] as? Int == 1 && cartRow["scheduled"] as? Int == 1, "\(cartRow)")
        #expect(rows.first { $0["automation"] as? String == "favorites_reminder" }?["cancelled"] as? Int == 1)

        let api = try await curl(try await daemon.adminURL() + "/v1/automations/stats?days=7", token: token)
        #expect(api.status == 200 && api.body.contains(#""converted":1"#), "\(api)")
        let upcoming = try await curl(try await daemon.adminURL() + "/v1/automations?customer=IVANA@example.bg", token: token)
        #expect(upcoming.status == 200 && upcoming.body.contains(#""automation":"abandoned_cart""#), "\(upcoming)")
        let bad = try await curl(try await daemon.adminURL() + "/v1/automations?state=waiting", token: token)
        #expect(bad.status == 400 && bad.body.contains("not a job state"), "\(bad)")
        try await daemon.stop()
    }
}
