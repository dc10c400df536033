import Foundation
import PoshtaTestSupport
import ShopStore
import Spool
import Testing

/// `poshta customer show` lays out one customer's story and what their
/// scheduled marketing would say today; `poshta customer forget` erases
/// them through the daemon — store rows, jobs, queued marketing mail — and
/// the log keeps only a hash.
@Suite("poshta customer show and forget")
struct CustomerCommandTests {
    @Test("show: events, the order, the mail and its delivery, the coupon, the sent reminder, the scheduled one with its dry run; forget erases it all")
    func showThenForget() async throws {
        let daemon = try await ShopMailTests.shopDaemon(extra: MarketingDeliveryTests.marketing())
        func poshta(_ arguments: [String]) async throws -> ExternalProcess.Result {
            try await ExternalProcess.run(DaemonProcess.binary, arguments + ["--config", daemon.configurationFile], timeout: .seconds(30))
        }
        let events = try await daemon.adminURL() + "/v1/events"
        let token = try daemon.adminToken
        let registered = #"{"type": "customer.registered", "email": "Maria@Example.bg", "name": "Мария", "locale": "bg"}"#
        #expect(try await curl(events, token: token, method: "POST", body: registered).status == 202)
        // A cart left three hours ago goes at once; a new one waits two hours.
        try await MarketingDeliveryTests.post(MarketingDeliveryTests.staleCart("maria@example.bg", "c-1"), to: daemon)
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        #expect(try await MarketingDeliveryTests.settledJob(store, "maria@example.bg").state == .sent)
        let fresh = #"{"type": "cart.updated", "email": "maria@example.bg", "cart_id": "c-2", "items": [{"sku": "CUP-MAT", "quantity": 1}], "checkout_url": "https://romashka.example/c/2"}"#
        #expect(try await curl(events, token: token, method: "POST", body: fresh).status == 202)
        // The order confirmation with its generated coupon (the daemon's [coupons.order_paid]).
        let reply = try await ShopMailTests.send(try ShopMailTests.orderPaid(locale: "bg"), to: ["maria@example.bg"], port: daemon.port())
        #expect(reply.code == 250, "\(reply)")
        _ = try await daemon.waitForOutbox(count: 2)

        let shown = try await poshta(["customer", "show", "maria@example.bg"])
        #expect(shown.status == 0, "\(shown.error)")
        let text = shown.output
        #expect(text.contains("customer <maria@example.bg>") && text.contains("name: Мария; locale: bg"), "\(text)")
        #expect(text.contains("event customer.registered") && text.contains("event cart.updated"), "\(text)")
        #expect(text.contains("marketing abandoned_cart sent"), "\(text)")
        #expect(text.contains("mail abandoned_cart accepted") && text.contains("mail order_paid accepted"), "\(text)")
        #expect(text.contains("delivered"), "the capture route delivered both: \(text)")
        #expect(text.contains("coupon PAID-") && text.contains("handed out (order_paid)"), "\(text)")
        #expect(text.contains("- abandoned_cart due") && text.contains("would send now (bg):") && text.contains("Купа за мача"), "\(text)")

        let forgotten = try await poshta(["customer", "forget", "maria@example.bg", "--admin", try await daemon.adminURL()])
        #expect(forgotten.status == 0, "\(forgotten.error)")
        #expect(forgotten.output.contains("forgot <maria@example.bg>: 1 customer") && forgotten.output.contains("2 job(s)"), "\(forgotten.output)")
        #expect(try await store.customer("maria@example.bg") == nil)
        #expect(try await store.automationJobs(customer: "maria@example.bg", limit: 10).isEmpty)
        #expect(try await store.events(of: "maria@example.bg", limit: 10).isEmpty)
        #expect(try await store.coupons(issuedTo: "maria@example.bg").isEmpty)
        let line = try await daemon.waitForLog("forgotten:")
        #expect(line.contains("customer sha256:") && !line.contains("maria"), "\(line)")
        let after = try await poshta(["customer", "show", "maria@example.bg"])
        #expect(after.output.contains("(not in the store)") && !after.output.contains("event "), "\(after.output)")
        try await daemon.stop()
    }

    @Test("forget takes the customer's marketing mail off the queue; other mail to them stays")
    func forgetWithdrawsQueuedMarketing() async throws {
        let daemon = try await MarketingDeliveryTests.queuedMarketingAndPlainMail()
        let result = try await ExternalProcess.run(
            DaemonProcess.binary,
            ["customer", "forget", "ivan@example.bg", "--config", daemon.configurationFile, "--admin", try await daemon.adminURL()],
            timeout: .seconds(30))
        #expect(result.output.contains("1 queued marketing mail(s) removed"), "\(result.output)\(result.error)")
        let counts = try await daemon.spool.stateCounts()
        #expect(counts[.deleted] == 1 && counts[.queued] == 1, "\(counts)")
        try await daemon.stop()
    }
}
