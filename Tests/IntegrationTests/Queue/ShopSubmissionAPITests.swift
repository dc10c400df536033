import Foundation
import PoshtaTestSupport
import ShopStore
import Testing

/// The shop's HTTP door, asked with curl: `POST /v1/messages` renders and
/// spools as the SMTP door does, administrator notifications without a
/// recipient go to `[shop] admin_emails`, `POST /v1/events` records;
/// refusals carry the SMTP codes and the same sentence.
@Suite("admin API: messages and events from the shop")
struct ShopSubmissionAPITests {
    static let admins = #"admin_emails = ["owner@romashka.example", "orders@romashka.example"]"#

    private func sample(_ key: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: ShopMailTests.repository + "/conf/templates/samples/\(key).json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Pretty-printed: also sent over SMTP, whose lines stop at 998 octets.
    private func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]), as: UTF8.self)
    }

    @Test("a template message is queued (202) and arrives rendered; an administrator one without \"to\" goes to admin_emails")
    func templates() async throws {
        let daemon = try await ShopMailTests.shopDaemon(shop: Self.admins)
        let url = try await daemon.adminURL() + "/v1/messages"
        let token = try daemon.adminToken
        let order = try await curl(
            url, token: token, method: "POST",
            body: try json(["template": "order_paid", "locale": "bg", "to": "maria@example.bg", "data": try sample("order_paid")]))
        #expect(order.status == 202 && order.body.contains("\"queued\""), "\(order)")
        let admin = try await curl(
            url, token: token, method: "POST", body: try json(["template": "admin_new_order", "data": try sample("admin_new_order")]))
        #expect(admin.status == 202, "\(admin)")
        let files = try await daemon.waitForOutbox(count: 2)
        let texts = files.values.map { String(decoding: $0, as: UTF8.self) }
        #expect(texts.contains { $0.contains("To: =?UTF-8?") && $0.contains("<maria@example.bg>") && $0.contains("Subject: =?UTF-8?") })
        #expect(texts.contains { $0.contains("To: owner@romashka.example, orders@romashka.example\r\n") }, "\(texts)")
        try await daemon.waitForLog("template=admin_new_order")
        try await daemon.stop()
    }

    @Test("over SMTP an administrator notification to the events address goes to admin_emails; a customer one is refused")
    func adminOverSMTP() async throws {
        let daemon = try await ShopMailTests.shopDaemon(shop: Self.admins)
        let client = try await TestSMTPClient.afterEHLO(port: daemon.port())
        let data = try json(try sample("admin_new_order"))
        let reply = try await client.sendMail(
            from: "shop@romashka.example", to: ["events@mail.test"],
            message: "Subject: x\r\nX-Shop-Template: admin_new_order\r\nContent-Type: application/json\r\n\r\n\(data)\r\n")
        #expect(reply.code == 250, "\(reply)")
        let customer = try await client.sendMail(
            from: "shop@romashka.example", to: ["events@mail.test"],
            message: "Subject: x\r\nX-Shop-Template: order_paid\r\nContent-Type: application/json\r\n\r\n\(try ShopMailTests.orderData())\r\n")
        #expect(customer.code == 554 && customer.description.contains("only an administrator notification"), "\(customer)")
        await client.close()
        let files = try await daemon.waitForOutbox(count: 1)
        let text = String(decoding: try #require(files.values.first), as: UTF8.self)
        #expect(text.contains("To: owner@romashka.example, orders@romashka.example\r\n"), "\(text)")
        // The envelope went to the admins too, not to the events address.
        try await daemon.waitForLog("to=<owner@romashka.example>")
        try await daemon.waitForLog("to=<orders@romashka.example>")
        try await daemon.stop()
    }

    @Test("refusals: 422 with the SMTP codes and the sentence; 400 for a body that is not JSON; nothing spooled", arguments: [
        (#"{"template": "order_lost", "to": "a@example.com", "data": {}}"#, 422, "unknown template"),
        (#"{"template": "order_paid", "data": {"customer": {"name": "M"}}}"#, 422, "is missing; only an administrator notification"),
        (#"{"template": "order_paid", "to": "a@example.com", "data": {"customer": {"name": "M"}}}"#, 422, "needs the fields order.number"),
        (#"{"template": "order_paid", "to": "not an address", "data": {}}"#, 422, "is not an address"),
        (#"{"raw": "Subject: hi\r\n\r\nhello\r\n"}"#, 422, "a raw message needs"),
        (#"{"raw": "Subject: hi\r\nX-Shop-Blocks: confetti\r\n\r\nhello\r\n", "to": "a@example.com"}"#, 422, "unknown block"),
        ("[1, 2]", 400, "not a JSON object"),
    ])
    func refusals(_ body: String, _ status: Int, _ expected: String) async throws {
        let daemon = try await ShopMailTests.shopDaemon()
        let answer = try await curl(try await daemon.adminURL() + "/v1/messages", token: try daemon.adminToken, method: "POST", body: body)
        #expect(answer.status == status && answer.body.contains(expected), "\(answer)")
        if status == 422 { #expect(answer.body.contains("\"smtp_code\":55"), "\(answer.body)") }
        #expect(try await daemon.spool.stateCounts().values.reduce(0, +) == 0)
        try await daemon.stop()
    }

    @Test("a raw message asking for best sellers is enriched as over SMTP")
    func rawMessage() async throws {
        let daemon = try await ShopMailTests.shopDaemon()
        let raw = "From: shop@romashka.example\r\nTo: maria@example.bg\r\nSubject: Новини\r\nX-Shop-Blocks: bestsellers\r\nX-Shop-Locale: bg\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nЗдравейте!\r\n"
        let answer = try await curl(
            try await daemon.adminURL() + "/v1/messages", token: try daemon.adminToken, method: "POST",
            body: try json(["raw": raw, "to": ["maria@example.bg"]]))
        #expect(answer.status == 202, "\(answer)")
        let text = String(decoding: try #require(try await daemon.waitForOutbox(count: 1).values.first), as: UTF8.self)
        #expect(!text.contains("X-Shop-"), "\(text)")
        try await daemon.waitForLog("enriched=bestsellers, locale=bg")
        try await daemon.stop()
    }

    @Test("an event is recorded (202) and kept in the store; one without a type or with a bad name is refused")
    func events() async throws {
        let daemon = try await ShopMailTests.shopDaemon()
        let url = try await daemon.adminURL() + "/v1/events"
        let token = try daemon.adminToken
        let event = #"{"type": "cart.updated", "id": "e-1", "email": "maria@example.bg", "cart_id": "c-7", "items": [{"sku": "TEA-SEN-100", "quantity": 1}]}"#
        let recorded = try await curl(url, token: token, method: "POST", body: event)
        #expect(recorded.status == 202 && recorded.body.contains("event cart.updated recorded as #1"), "\(recorded)")
        #expect(try await curl(url, token: token, method: "POST", body: #"{"id": "e-2"}"#).status == 422)
        let badName = try await curl(url, token: token, method: "POST", body: #"{"type": "Cart Updated!"}"#)
        #expect(badName.status == 422 && badName.body.contains("unknown event type"), "\(badName)")
        #expect(try await curl(url, token: nil, method: "POST", body: event).status == 401)
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        let events = try await store.events(limit: 10)
        #expect(events.map(\.name) == ["cart.updated"] && events.first?.customer == "maria@example.bg")
        try await daemon.stop()
    }

    @Test("stock.changed sets the stock; each threshold crossing sends one alert to admin_emails, over SMTP and the API")
    func stockAlerts() async throws {
        let daemon = try await ShopMailTests.shopDaemon(
            shop: Self.admins + "\nadmin_product_url = \"https://romashka.example/admin/p/{sku}\"\ndefault_locale = \"en\"")
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        try await store.upsert([
            Product(
                sku: "CER-TPT-BLU", names: ["en": "Blue clay teapot"], price: 64, currency: "BGN",
                url: "https://romashka.example/teapot", stock: 5, trackInventory: true, minQuantity: 3)
        ])
        let reply = try await ShopMailTests.send(
            "Subject: e\r\nX-Shop-Event: stock.changed\r\nContent-Type: application/json\r\n\r\n{\"sku\": \"CER-TPT-BLU\", \"stock\": 3}\r\n",
            to: ["events@mail.test"], port: daemon.port())
        #expect(reply.code == 250, "\(reply)")
        let url = try await daemon.adminURL() + "/v1/events"
        let token = try daemon.adminToken
        // Still low: nothing new. Then out: one more.
        #expect(try await curl(url, token: token, method: "POST", body: #"{"type": "stock.changed", "sku": "CER-TPT-BLU", "stock": 2}"#).status == 202)
        #expect(try await curl(url, token: token, method: "POST", body: #"{"type": "stock.changed", "items": [{"sku": "CER-TPT-BLU", "stock": 0}, {"sku": "NOPE", "stock": 1}]}"#).status == 202)
        let files = try await daemon.waitForOutbox(count: 2)
        let texts = files.values.map { String(decoding: $0, as: UTF8.self) }
        let low = try #require(texts.first { $0.contains("Blue clay teapot") && $0.contains("minimum") })
        #expect(low.contains("To: owner@romashka.example, orders@romashka.example\r\n"), "\(low)")
        #expect(low.contains("https://romashka.example/admin/p/CER-TPT-BLU"), "\(low)")
        #expect(texts.contains { $0.contains("Blue clay teapot") && !$0.contains("minimum") }, "no out-of-stock mail: \(texts)")
        try await daemon.waitForLog("template=admin_low_stock, sku=CER-TPT-BLU, stock=3")
        try await daemon.waitForLog("template=admin_out_of_stock, sku=CER-TPT-BLU, stock=0")
        try await daemon.waitForLog("NOPE is not in the catalog")
        #expect(try await store.product("CER-TPT-BLU")?.stock == 0)
        // Two crossings, two mails: the still-low event sent nothing.
        #expect(try await daemon.waitForOutbox(count: 2).count == 2)
        try await daemon.stop()
    }

    @Test("an event id seen before changes nothing; order.placed keeps the order; customer.registered gives later mail its locale")
    func eventsApplied() async throws {
        let daemon = try await ShopMailTests.shopDaemon()
        let url = try await daemon.adminURL()
        let token = try daemon.adminToken
        let placed = #"{"type": "order.placed", "id": "o-1", "number": "RM-7", "email": "maria@example.bg", "items": [{"sku": "TEA-SEN-100", "quantity": 2}], "total": 37.8, "currency": "BGN"}"#
        let first = try await curl(url + "/v1/events", token: token, method: "POST", body: placed)
        #expect(first.status == 202 && first.body.contains("recorded as #1"), "\(first)")
        let again = try await curl(url + "/v1/events", token: token, method: "POST", body: placed)
        #expect(again.status == 202 && again.body.contains("was recorded before as #1; nothing changed"), "\(again)")
        let registered = #"{"type": "customer.registered", "id": "c-1", "email": "maria@example.bg", "name": "Мария", "locale": "bg"}"#
        #expect(try await curl(url + "/v1/events", token: token, method: "POST", body: registered).status == 202)
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        #expect(try await store.events(limit: 10).count == 2)
        #expect(try await store.order("RM-7")?.items.map(\.quantity) == [2])
        let customer = try #require(try await store.customer("maria@example.bg"))
        #expect(customer.orderCount == 1 && customer.locale == "bg" && customer.name == "Мария")
        // No X-Shop-Locale: the locale the customer registered with.
        let reply = try await ShopMailTests.send(try ShopMailTests.orderPaid(), to: ["maria@example.bg"], port: daemon.port())
        #expect(reply.code == 250, "\(reply)")
        try await daemon.waitForLog("template=order_paid, locale=bg")
        try await daemon.stop()
    }
}
