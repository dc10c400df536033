import Foundation
import MIME
import PoshtaTestSupport
import ShopStore
import Testing

/// A message the shop rendered itself asks for blocks (`X-Shop-Blocks`) or
/// the layout (`X-Shop-Layout`): the outbox gets the shop's own message with
/// the product blocks and the coupon inside its HTML and text, its
/// attachment and fields untouched, and no X-Shop-* header.
@Suite("enrichment of the shop's own messages")
struct ShopEnrichmentTests {
    /// What Python's email package (policy default) reads in a message.
    private func read(_ bytes: [UInt8]) async throws -> [String: Any] {
        let script = """
            import email, email.policy, json, sys
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
            attachments = list(m.iter_attachments())
            # A base64 text part decodes with the CRLF of its canonical form; compare lines with LF.
            body = lambda kind: m.get_body((kind,)).get_content().replace("\\r\\n", "\\n")
            print(json.dumps({"type": m.get_content_type(), "subject": m["Subject"], "from": str(m["From"]),
                "defects": [str(d) for p in m.walk() for d in p.defects],
                "shop_headers": [k for k in m.keys() if k.lower().startswith("x-shop")],
                "text": body("plain"), "html": body("html"),
                "attachment": attachments[0].get_content().hex() if attachments else ""}))
            """
        let result = try await ExternalProcess.run(
            "/usr/bin/python3", ["-c", script], input: String(decoding: bytes, as: UTF8.self), timeout: .seconds(30))
        #expect(result.status == 0, "\(result.error)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    /// Sends with smtplib: the shop's own text + HTML, a PDF attachment, the given X-Shop fields.
    private func sendOwnMessage(port: Int, shopFields: [String: String]) async throws {
        let script = """
            import smtplib, sys, json
            from email.message import EmailMessage
            m = EmailMessage()
            m["From"] = "Ромашка <shop@romashka.example>"; m["To"] = "maria@example.bg"; m["Subject"] = "Пратката Ви е на път"
            for k, v in json.loads(sys.argv[2]).items(): m[k] = v
            m.set_content("Здравейте, Мария!\\nПратката Ви е на път.\\n")
            m.add_alternative("<html><head><title>x</title></head><body><p>Здравейте, Мария!</p><p>Пратката Ви е на път.</p></body></html>", subtype="html")
            m.add_attachment(b"%PDF-1.4 invoice \\x00\\x01\\x02", maintype="application", subtype="pdf", filename="invoice.pdf")
            with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=20) as s:
                s.send_message(m)
            """
        let fields = String(decoding: try JSONSerialization.data(withJSONObject: shopFields), as: UTF8.self)
        let result = try await ExternalProcess.run(
            "/usr/bin/python3", ["-c", script, String(port), fields], timeout: .seconds(30))
        #expect(result.status == 0, "\(result.error)")
    }

    @Test("related, best sellers and a coupon go into the shop's HTML before </body> and at the end of its text; the attachment is untouched")
    func blocksIntoOwnMessage() async throws {
        let daemon = try await ShopMailTests.shopDaemon()
        try await sendOwnMessage(
            port: daemon.port(),
            shopFields: [
                "X-Shop-Blocks": "related, bestsellers, coupon=order_paid", "X-Shop-Items": "TEA-SEN-100",
                "X-Shop-Locale": "bg",
            ])
        let files = try await daemon.waitForOutbox(count: 1)
        let mail = try await read(try #require(files.values.first))
        #expect((mail["defects"] as? [String]) == [])
        let problems = OutboundConformance.problems(in: try #require(files.values.first))
        #expect(problems == [], "\(problems)")
        #expect((mail["shop_headers"] as? [String]) == [])
        #expect(mail["subject"] as? String == "Пратката Ви е на път")
        #expect(mail["type"] as? String == "multipart/mixed")
        #expect(mail["attachment"] as? String == Array("%PDF-1.4 invoice \u{0}\u{1}\u{2}".utf8).map { String(format: "%02x", $0) }.joined())
        let html = try #require(mail["html"] as? String)
        let text = try #require(mail["text"] as? String)
        // The shop's own words first, then the blocks: the tea's two assigned products, the best seller, the coupon.
        #expect(html.hasPrefix("<html><head><title>x</title></head><body><p>Здравейте, Мария!</p>"), "\(html)")
        #expect(text.hasPrefix("Здравейте, Мария!\nПратката Ви е на път.\n"), "\(text)")
        for name in ["Генмайча, 100 г", "Купа за мача", "Ваза „Лале“", "PAID-"] {
            #expect(text.contains(name), "\(name) not in the text:\n\(text)")
            let position = try #require(html.range(of: name), "\(name) not in the HTML")
            #expect(position.lowerBound < html.range(of: "</body>")!.lowerBound)
        }
        try await daemon.waitForLog("enriched=related, bestsellers, coupon=order_paid, locale=bg")
        try await daemon.stop()
    }

    @Test("an order confirmation is kept: a later message with X-Shop-Order gets its related products, in the customer's locale, in the layout")
    func orderAndLayout() async throws {
        let daemon = try await ShopMailTests.shopDaemon()
        let confirmation = try await ShopMailTests.send(
            try ShopMailTests.orderPaid(locale: "bg"), to: ["maria.georgieva@abv.bg"], port: daemon.port())
        #expect(confirmation.code == 250, "\(confirmation)")
        // No X-Shop-Locale now: the customer's locale from the confirmation is used.
        let reply = try await ShopMailTests.send(
            "From: shop@romashka.example\r\nTo: maria.georgieva@abv.bg\r\nSubject: Shipped\r\nX-Shop-Blocks: related\r\nX-Shop-Order: RM-10482\r\nX-Shop-Layout: default\r\n\r\nYour parcel is on its way.\r\n\r\nTrack it: <https://romashka.example/t/1>\r\n",
            to: ["maria.georgieva@abv.bg"], port: daemon.port())
        #expect(reply.code == 250, "\(reply)")
        let files = try await daemon.waitForOutbox(count: 2)
        var mails: [[String: Any]] = []
        for bytes in files.values { mails.append(try await read(bytes)) }
        let shipped = try #require(mails.first { $0["subject"] as? String == "Shipped" })
        #expect(shipped["type"] as? String == "multipart/alternative")
        #expect((shipped["defects"] as? [String]) == [])
        let html = try #require(shipped["html"] as? String)
        let text = try #require(shipped["text"] as? String)
        #expect(html.contains("Your parcel is on its way.") && html.contains("&lt;https://romashka.example/t/1&gt;"), "\(html)")
        #expect(html.contains("Чаена къща Ромашка"), "the layout names the shop")
        #expect(text.contains("Your parcel is on its way."))
        // The order's items' related products, headed in Bulgarian.
        for name in ["Генмайча, 100 г", "Купа за мача", "Може да Ви харесат още"] {
            #expect(html.contains(name) && text.contains(name), "\(name) missing:\n\(text)")
        }
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        let order = try #require(try await store.order("RM-10482"))
        #expect(order.email == "maria.georgieva@abv.bg" && order.items.map(\.sku) == ["TEA-SEN-100", "CER-TPT-BLU", "SET-CUP-ROZ"])
        #expect(try await store.customer("maria.georgieva@abv.bg")?.orderCount == 1)
        try await daemon.stop()
    }

    @Test("bad enrichment requests are refused with 554 5.6.0 naming the problem; nothing is spooled", arguments: [
        ("X-Shop-Blocks: sparkles\r\n", "unknown block \"sparkles\""),
        ("X-Shop-Blocks: related\r\n", "related needs the order"),
        ("X-Shop-Blocks: coupon=nope\r\n", "coupon=nope has no coupon rule ([coupons.nope] in the configuration"),
        ("X-Shop-Layout: fancy\r\n", "\"fancy\" is not a layout"),
        ("X-Shop-Blocks: bestsellers\r\nContent-Type: image/png\r\n", "no text/plain or text/html part"),
    ])
    func badRequests(_ fields: String, _ expected: String) async throws {
        let daemon = try await ShopMailTests.shopDaemon()
        let client = try await TestSMTPClient.afterEHLO(port: daemon.port())
        let reply = try await client.sendMail(
            from: "shop@romashka.example", to: ["maria@example.bg"], message: "Subject: x\r\n\(fields)\r\nhello\r\n")
        #expect(reply.code == 554 && reply.description.contains("5.6.0") && reply.description.contains(expected), "\(reply)")
        await client.close()
        #expect(try await daemon.spool.stateCounts().values.reduce(0, +) == 0)
        try await daemon.stop()
    }

    @Test("a stray X-Shop-* field on a plain message is dropped; the rest arrives as sent")
    func strayField() async throws {
        let daemon = try await ShopMailTests.shopDaemon()
        let client = try await TestSMTPClient.afterEHLO(port: daemon.port())
        let body = "Subject: Hello\r\nX-Shop-Locale: bg\r\nMessage-ID: <1@romashka.example>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0200\r\n\r\nHello\r\n"
        #expect(try await client.sendMail(from: "shop@romashka.example", to: ["maria@example.bg"], message: body).code == 250)
        await client.close()
        let bytes = try #require(try await daemon.waitForOutbox(count: 1).values.first)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("Subject: Hello\r\nMessage-ID: <1@romashka.example>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0200\r\n\r\nHello\r\n"), "\(text)")
        try await daemon.stop()
    }
}
