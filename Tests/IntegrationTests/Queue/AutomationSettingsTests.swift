import Foundation
import PoshtaTestSupport
import ShopStore
import Testing

/// The owner's marketing switches and delays, changed while the daemon
/// runs (`/v1/automations/settings`, what the console's automations page
/// will call): a delay changed schedules by it, marketing switched off
/// holds a due job back, switched on again sends it.
@Suite("automation settings changed without a restart")
struct AutomationSettingsTests {
    @Test("a 5-second delay set; marketing off holds the due job; on again sends it; the store keeps the owner's word")
    func offHoldsDueJob() async throws {
        let daemon = try await ShopMailTests.shopDaemon(extra: MarketingDeliveryTests.marketing())
        let url = try await daemon.adminURL() + "/v1/automations/settings"
        let token = try daemon.adminToken
        let initial = try await curl(url, token: token)
        #expect(initial.status == 200 && initial.body.contains(#""abandoned_cart":{"delay":"2h","enabled":true"#), "\(initial)")

        let delay = try await curl(url, token: token, method: "PUT", body: #"{"automations": {"abandoned_cart": {"delay": "5s"}, "loyalty_thanks": {"enabled": false}}}"#)
        #expect(delay.status == 200 && delay.body.contains(#""abandoned_cart":{"delay":"5s""#), "\(delay)")
        #expect(delay.body.contains(#""loyalty_thanks":{"delay":"1d","enabled":false"#), "\(delay)")
        let cart = #"{"type": "cart.updated", "email": "maria@example.bg", "cart_id": "c-5", "items": [{"sku": "TEA-SEN-100"}], "checkout_url": "https://romashka.example/c/5"}"#
        #expect(try await curl(try await daemon.adminURL() + "/v1/events", token: token, method: "POST", body: cart).status == 202)
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        let job = try #require(try await store.automationJobs(customer: "maria@example.bg", limit: 1).first)
        #expect(abs(job.due - Date.now.timeIntervalSince1970 - 5) < 3, "due in five seconds: \(job)")

        #expect(try await curl(url, token: token, method: "PUT", body: #"{"enabled": false}"#).status == 200)
        try await Task.sleep(for: .seconds(7))
        #expect(try await store.automationJobs(customer: "maria@example.bg", limit: 1).first?.state == .scheduled)
        #expect(try await daemon.spool.stateCounts().values.reduce(0, +) == 0, "nothing sent while marketing is off")

        #expect(try await curl(url, token: token, method: "PUT", body: #"{"enabled": true}"#).status == 200)
        #expect(try await MarketingDeliveryTests.settledJob(store, "maria@example.bg").state == .sent)
        _ = try await daemon.waitForOutbox(count: 1)
        let checked = try await ExternalProcess.run(
            DaemonProcess.binary, ["check-config", "--config", daemon.configurationFile], timeout: .seconds(30))
        #expect(checked.output.contains("marketing in force (the owner's changes in the store"), "\(checked.output)")
        #expect(checked.output.contains("    abandoned_cart: on, 5s") && checked.output.contains("    loyalty_thanks: off"), "\(checked.output)")
        let saved = try #require(try await store.ownerSetting("marketing"))
        #expect(saved.contains(#""enabled":true"#) && saved.contains(#""delay":"5s""#), "\(saved)")

        for (body, sentence) in [
            (#"{"automations": {"black_friday": {"enabled": true}}}"#, "no automation is called black_friday"),
            (#"{"automations": {"abandoned_cart": {"delay": "soon"}}}"#, "abandoned_cart.delay is not a delay"),
            (#"{"enabled": "yes"}"#, "is true or false"),
        ] {
            let answer = try await curl(url, token: token, method: "PUT", body: body)
            let error = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])?["error"] as? String
            #expect(answer.status == 400 && error?.contains(sentence) == true, "\(body): \(answer)")
        }
        try await daemon.stop()
    }
}
