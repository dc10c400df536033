import Accounts
import Foundation
import PoshtaTestSupport
import SMTPProtocol
import ShopStore
import Testing

/// The shop's contract end to end: a template message over SMTP (swaks with
/// a JSON body, Python's smtplib with a JSON MIME part) becomes one finished
/// Bulgarian multipart/alternative mail in the outbox, with the order's
/// lines, a coupon and the related products the rules choose; bad input is
/// refused with a 554 that names the problem and nothing is spooled.
@Suite("shop template messages over SMTP")
struct ShopMailTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    private func daemon(extra: String = "") async throws -> TestDaemon {
        try await Self.shopDaemon(extra: extra)
    }

    /// A daemon with the shipped templates, a generated order_paid coupon and a small tea catalog.
    static func shopDaemon(
        extra: String = "", shop: String = "", templates: String = repository + "/conf/templates",
        users: [TestUsersFile.User] = [], roles: [String: UserRecord.Role] = [:]
    ) async throws -> TestDaemon {
        let daemon = try await TestDaemon(
            configuration: """
                [shop]
                name = "Чаена къща Ромашка"
                from = "shop@romashka.example"
                currency = "BGN"
                templates = "\(templates)"
                \(shop)

                [coupons.order_paid]
                source = "generate"
                percent = 10
                prefix = "PAID-"
                validity_days = 14
                \(extra)
                """, users: users, roles: roles)
        // The catalog: the order's tea has two related products assigned, the rest choose by category.
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        try await store.upsert([
            Product(sku: "TEA-SEN-100", names: ["bg": "Сенча"], price: 18.9, currency: "BGN", categories: ["Чай"], related: ["TEA-GEN-100", "CUP-MAT"]),
            Product(sku: "TEA-GEN-100", names: ["bg": "Генмайча, 100 г", "en": "Genmaicha"], price: 16.5, currency: "BGN", url: "https://romashka.example/genmaicha", categories: ["Чай"]),
            Product(sku: "CUP-MAT", names: ["bg": "Купа за мача", "en": "Matcha bowl"], price: 39, currency: "BGN", categories: ["Керамика"]),
            Product(sku: "CER-TPT-BLU", names: ["bg": "Чайник"], price: 64, currency: "BGN", categories: ["Керамика"]),
            Product(sku: "CER-VASE", names: ["bg": "Ваза „Лале“"], price: 55, currency: "BGN", categories: ["Керамика"], unitsSold: 80),
            Product(sku: "SET-CUP-ROZ", names: ["bg": "Чаши"], price: 42.5, currency: "BGN", categories: ["Сервизи"]),
        ])
        return daemon
    }

    /// The sample's data as the shop would send it, without the blocks Poshta fills in.
    static func orderData() throws -> String {
        let sample = try Data(contentsOf: URL(fileURLWithPath: Self.repository + "/conf/templates/samples/order_paid.json"))
        var object = try #require(try JSONSerialization.jsonObject(with: sample) as? [String: Any])
        object["related_products"] = nil
        object["coupon"] = nil
        // Pretty-printed: SMTP lines stop at 998 octets, and one line of JSON would pass that.
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]), as: UTF8.self)
    }

    /// `order_paid` with the sample's data as the shop sends it, in `locale` if given.
    static func orderPaid(locale: String? = nil) throws -> String {
        "X-Shop-Template: order_paid\r\n" + (locale.map { "X-Shop-Locale: \($0)\r\n" } ?? "")
            + "Content-Type: application/json\r\n\r\n\(try orderData())\r\n"
    }

    /// Sends one message from the shop over SMTP, on a connection of its own; the reply to DATA.
    static func send(_ message: String, to recipients: [String], port: Int) async throws -> SMTPReply {
        let client = try await TestSMTPClient.afterEHLO(port: port)
        let reply = try await client.sendMail(from: "shop@romashka.example", to: recipients, message: message)
        await client.close()
        return reply
    }

    /// Subject, parts and structure of a message, read by Python's email package.
    private func read(_ bytes: [UInt8]) async throws -> [String: String] {
        let script = """
            import email, email.policy, json, sys
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
            print(json.dumps({"type": m.get_content_type(), "subject": m["Subject"], "to": str(m["To"]),
                "from": str(m["From"]), "auto": m.get("Auto-Submitted", ""),
                "shop_headers": ",".join(k for k in m.keys() if k.lower().startswith("x-shop")),
                "text": m.get_body(("plain",)).get_content(), "html": m.get_body(("html",)).get_content()}))
            """
        let result = try await ExternalProcess.run(
            "/usr/bin/python3", ["-c", script], input: String(decoding: bytes, as: UTF8.self), timeout: .seconds(30))
        #expect(result.status == 0, "\(result.error)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: String])
    }

    private func checkOrderPaid(_ mail: [String: String]) {
        #expect(mail["type"] == "multipart/alternative")
        #expect(mail["subject"] == "Поръчка № RM-10482 е платена – благодарим Ви!")
        #expect(mail["to"] == "Мария Георгиева <maria@example.bg>")
        #expect(mail["from"] == "Чаена къща Ромашка <shop@romashka.example>")
        #expect(mail["auto"] == "auto-generated")
        #expect(mail["shop_headers"] == "")
        let text = mail["text"] ?? ""
        let html = mail["html"] ?? ""
        #expect(text.contains("RM-10482") && text.contains("Японски зелен чай Сенча"), "\(text)")
        #expect(text.contains("PAID-") && html.contains("PAID-"), "no coupon:\n\(text)")
        // Related: the two assigned to the tea, then the best seller of the teapot's category.
        for name in ["Генмайча, 100 г", "Купа за мача", "Ваза „Лале“"] {
            #expect(text.contains(name) && html.contains(name), "\(name) missing:\n\(text)")
        }
    }

    @Test("swaks sends order_paid with a JSON body: one Bulgarian mail with the order, a coupon and related products")
    func swaksJSONBody() async throws {
        let daemon = try await daemon()
        let directory = try TemporaryDirectory(prefix: "poshta-shopmail")
        let body = try directory.write(try Self.orderData(), to: "order.json")
        let result = try await ExternalProcess.run(
            "swaks",
            ["--server", "127.0.0.1:\(daemon.port())", "--from", "shop@romashka.example", "--to", "maria@example.bg",
             "--header", "X-Shop-Template: order_paid", "--header", "X-Shop-Locale: bg",
             "--header", "Content-Type: application/json; charset=utf-8", "--body", body], timeout: .seconds(30))
        #expect(result.status == 0, "\(result.output)\(result.error)")
        let files = try await daemon.waitForOutbox(count: 1)
        let mail = try await read(try #require(files.values.first))
        checkOrderPaid(mail)
        try await daemon.waitForLog("template=order_paid, locale=bg")
        try await daemon.stop()
    }

    @Test("smtplib sends a multipart message with an application/json part: the same mail")
    func smtplibJSONPart() async throws {
        let daemon = try await daemon()
        let script = """
            import smtplib, sys
            from email.message import EmailMessage
            m = EmailMessage()
            m["From"] = "Ромашка – поръчки <orders@romashka.example>"; m["To"] = "maria@example.bg"; m["Subject"] = "order"
            m["Reply-To"] = "help@romashka.example"
            m["X-Shop-Template"] = "order_paid"; m["X-Shop-Locale"] = "bg"
            m.set_content("The data is attached.")
            m.add_attachment(sys.stdin.read().encode(), maintype="application", subtype="json", filename="order.json")
            with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=20) as s:
                s.send_message(m)
            """
        let result = try await ExternalProcess.run(
            "/usr/bin/python3", ["-c", script, String(daemon.port())], input: try Self.orderData(), timeout: .seconds(30))
        #expect(result.status == 0, "\(result.error)")
        let files = try await daemon.waitForOutbox(count: 1)
        let bytes = try #require(files.values.first)
        var mail = try await read(bytes)
        // The shop's own From (an encoded-word name) and Reply-To are kept.
        #expect(mail["from"] == "Ромашка – поръчки <orders@romashka.example>")
        #expect(String(decoding: bytes, as: UTF8.self).contains("Reply-To: help@romashka.example\r\n"))
        mail["from"] = "Чаена къща Ромашка <shop@romashka.example>"
        checkOrderPaid(mail)
        try await daemon.stop()
    }

    @Test("bad input is refused at DATA with 554 5.6.0 naming the problem, and nothing is spooled", arguments: [
        ("X-Shop-Template: order_lost\r\nContent-Type: application/json\r\n\r\n{}\r\n", "unknown template \"order_lost\""),
        ("X-Shop-Template: order_paid\r\nContent-Type: application/json\r\n\r\n{\"order\": \r\n", "the JSON does not parse"),
        ("X-Shop-Template: order_paid\r\nContent-Type: application/json\r\n\r\n{\"customer\": {\"name\": \"Мария\"}}\r\n", "needs the fields order.number"),
        ("X-Shop-Template: order_paid\r\nContent-Type: text/plain\r\n\r\nhello\r\n", "carries its data as JSON"),
    ])
    func badInput(_ message: String, _ expected: String) async throws {
        let daemon = try await daemon()
        let client = try await TestSMTPClient.afterEHLO(port: daemon.port())
        let reply = try await client.sendMail(from: "shop@romashka.example", to: ["maria@example.bg"], message: "Subject: x\r\n" + message)
        #expect(reply.code == 554, "\(reply)")
        #expect(reply.description.contains("5.6.0") && reply.description.contains(expected), "\(reply)")
        await client.close()
        #expect(try await daemon.spool.stateCounts().values.reduce(0, +) == 0)
        try await daemon.stop()
    }

    @Test("a locale without templates falls back to the default, with a log line; the mail still goes")
    func unknownLocale() async throws {
        let daemon = try await daemon()
        let reply = try await Self.send(try Self.orderPaid(locale: "de"), to: ["maria@example.bg"], port: daemon.port())
        #expect(reply.code == 250, "\(reply)")
        try await daemon.waitForLog("template order_paid: no templates for locale de; rendered in en")
        let mail = try await read(try #require(try await daemon.waitForOutbox(count: 1).values.first))
        #expect(mail["subject"]?.contains("RM-10482") == true && mail["subject"]?.contains("Поръчка") == false, "\(mail)")
        try await daemon.stop()
    }

    @Test("a notification switched off gets 250 and a log line; nothing is spooled")
    func switchedOff() async throws {
        let daemon = try await daemon(extra: "\n[notifications]\ndisabled = [\"order_paid\"]\n")
        let client = try await TestSMTPClient.afterEHLO(port: daemon.port())
        let reply = try await client.sendMail(
            from: "shop@romashka.example", to: ["maria@example.bg"],
            message: "X-Shop-Template: order_paid\r\nContent-Type: application/json\r\n\r\n\(try Self.orderData())\r\n")
        #expect(reply.code == 250 && reply.description.contains("not sent"), "\(reply)")
        await client.close()
        try await daemon.waitForLog("suppressed", "notification order_paid is switched off")
        #expect(try await daemon.spool.stateCounts().values.reduce(0, +) == 0)
        try await daemon.stop()
    }

    @Test("poshta template send-test sends a key's sample through the daemon: the rendered mail arrives")
    func sendTest() async throws {
        let daemon = try await daemon()
        let directory = try TemporaryDirectory(prefix: "poshta-sendtest")
        let file = try directory.write(
            """
            [server]
            hostname = "mail.test"
            spool = "spool"
            [[listener]]
            address = "127.0.0.1:\(daemon.port())"
            [shop]
            from = "shop@romashka.example"
            templates = "\(Self.repository)/conf/templates"
            """, to: "poshta.toml")
        let result = try await ExternalProcess.run(
            DaemonProcess.binary,
            ["template", "send-test", "--config", file, "--locale", "bg", "--to", "maria@example.bg", "order_paid"],
            timeout: .seconds(30))
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("order_paid to maria@example.bg: 250 2.0.0 Ok: queued as "), "\(result.output)")
        let files = try await daemon.waitForOutbox(count: 1)
        let mail = try await read(try #require(files.values.first))
        #expect(mail["subject"] == "Поръчка № RM-10482 е платена – благодарим Ви!")
        try await daemon.stop()
    }

    @Test("an event to the events address is recorded for the automations, not delivered; a misaddressed one is refused")
    func events() async throws {
        let daemon = try await daemon()
        let client = try await TestSMTPClient.afterEHLO(port: daemon.port())
        let event = "X-Shop-Event: cart.updated\r\nContent-Type: application/json\r\n\r\n{\"email\": \"maria@example.bg\", \"cart_id\": \"c-7\", \"items\": [{\"sku\": \"TEA-SEN-100\"}]}\r\n"
        let reply = try await client.sendMail(from: "shop@romashka.example", to: ["events@mail.test"], message: "Subject: e\r\n" + event)
        #expect(reply.code == 250 && reply.description.contains("event cart.updated recorded as #1"), "\(reply)")
        let mixed = try await client.sendMail(
            from: "shop@romashka.example", to: ["events@mail.test", "maria@example.bg"], message: "Subject: e\r\n" + event)
        #expect(mixed.code == 554 && mixed.description.contains("goes to <events@mail.test> alone"), "\(mixed)")
        let badName = try await client.sendMail(
            from: "shop@romashka.example", to: ["events@mail.test"],
            message: "Subject: e\r\nX-Shop-Event: Cart Updated!\r\nContent-Type: application/json\r\n\r\n{}\r\n")
        #expect(badName.code == 554 && badName.description.contains("unknown event type \"Cart Updated!\""), "\(badName)")
        await client.close()
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        let events = try await store.events(limit: 10)
        #expect(events.map(\.name) == ["cart.updated"])
        #expect(events.first?.customer == "maria@example.bg")
        #expect(events.first?.data.contains("TEA-SEN-100") == true)
        #expect(try await daemon.spool.stateCounts().values.reduce(0, +) == 0)
        try await daemon.stop()
    }
}
