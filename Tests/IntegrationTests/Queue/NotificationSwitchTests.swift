import Foundation
import PoshtaTestSupport
import ShopStore
import Spool
import Testing

/// The owner's notification switches, changed while the daemon runs
/// (`PUT /v1/notifications`, what the console will call): the next
/// template message obeys, the store keeps them, `check-config` says where
/// they come from; `[notifications]` only seeds a new store.
@Suite("notification switches in force, changed without a restart")
struct NotificationSwitchTests {
    @Test("customer notifications off: order_paid gets 250 and nothing is spooled; on again: it goes; the store and check-config agree")
    func switchOffAndOn() async throws {
        let daemon = try await ShopMailTests.shopDaemon(extra: "\n[notifications]\ndisabled = [\"order_shipped\"]\n")
        let url = try await daemon.adminURL() + "/v1/notifications"
        let token = try daemon.adminToken
        let seeded = try await curl(url, token: token)
        #expect(seeded.status == 200 && seeded.body.contains(#""disabled":["order_shipped"]"#), "\(seeded)")

        let off = try await curl(url, token: token, method: "PUT", body: #"{"customer": false}"#)
        #expect(off.status == 200 && off.body.contains(#""customer":false"#), "\(off)")
        let suppressed = try await ShopMailTests.send(try ShopMailTests.orderPaid(locale: "bg"), to: ["maria@example.bg"], port: daemon.port())
        #expect(suppressed.code == 250, "\(suppressed)")
        try await daemon.waitForLog("suppressed", "customer notifications are switched off")
        #expect(try await daemon.spool.stateCounts().values.reduce(0, +) == 0)

        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        #expect(try await store.notificationSwitches() == NotificationSwitches(customer: false, disabled: ["order_shipped"]))
        let checked = try await ExternalProcess.run(
            DaemonProcess.binary, ["check-config", "--config", daemon.configurationFile], timeout: .seconds(30))
        #expect(checked.output.contains("notifications: customer=off admin=on unfinished_order_reminders=off disabled=[order_shipped] (from the store"), "\(checked.output)")

        #expect(try await curl(url, token: token, method: "PUT", body: #"{"customer": true, "disabled": []}"#).status == 200)
        let sent = try await ShopMailTests.send(try ShopMailTests.orderPaid(locale: "bg"), to: ["maria@example.bg"], port: daemon.port())
        #expect(sent.code == 250 && sent.description.contains("queued as"), "\(sent)")
        #expect(try await daemon.waitForOutbox(count: 1).count == 1)
        try await daemon.stop()
    }

    @Test("a bad PUT is refused with a sentence and changes nothing")
    func badInput() async throws {
        let daemon = try await ShopMailTests.shopDaemon()
        let url = try await daemon.adminURL() + "/v1/notifications"
        let token = try daemon.adminToken
        for (body, sentence) in [
            (#"{"customer": 0}"#, #""customer" is true or false"#),
            (#"{"disabled": ["order_paid", "black_friday"]}"#, #""black_friday" is not a notification's template key"#),
            (#"{"disabled": ["abandoned_cart"]}"#, #""abandoned_cart" is not a notification's template key"#),
            (#"{"colour": "red"}"#, #"unknown field "colour""#),
            ("[1]", "the body is a JSON object"),
        ] {
            let answer = try await curl(url, token: token, method: "PUT", body: body)
            let error = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])?["error"] as? String
            #expect(answer.status == 400 && error?.contains(sentence) == true, "\(body): \(answer)")
        }
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        #expect(try await store.notificationSwitches() == NotificationSwitches())
        try await daemon.stop()
    }
}
