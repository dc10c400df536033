import Automations
import Foundation
import PoshtaTestSupport
import ShopStore
import Spool
import Testing

/// The running daemon sends the automations' mail when due, with the
/// RFC 8058 headers; an unsubscribe — a real one-click POST, mail to the
/// unsubscribe address, a hard bounce — stops the marketing mail to that
/// address, takes what is still queued off the queue, and leaves
/// transactional mail alone.
@Suite("marketing mail from the running daemon")
struct MarketingDeliveryTests {
    static func marketing(_ extra: String = "") -> String {
        """

        [marketing]
        enabled = true
        max_per_day = 0
        unsubscribe_address = "127.0.0.1:0"
        unsubscribe_url = "https://romashka.example/u"
        \(extra)
        """
    }

    /// A cart left three hours ago: its reminder is due as soon as the event is in.
    static func staleCart(_ email: String, _ id: String) -> String {
        let time = Date.now.addingTimeInterval(-3 * 3_600).formatted(.iso8601)
        return #"{"type": "cart.updated", "time": "\#(time)", "email": "\#(email)", "cart_id": "\#(id)", "items": [{"sku": "TEA-SEN-100", "quantity": 2, "price": "18.90"}], "checkout_url": "https://romashka.example/c/\#(id)"}"#
    }

    static func post(_ event: String, to daemon: TestDaemon) async throws {
        let reply = try await curl(try await daemon.adminURL() + "/v1/events", token: try daemon.adminToken, method: "POST", body: event)
        #expect(reply.status == 202, "\(reply)")
    }

    /// Waits (bounded) until the job of `automation` for `email` has left `scheduled` and `sending`.
    static func settledJob(_ store: SQLiteShopStore, _ email: String) async throws -> AutomationJob {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if let job = try await store.automationJobs(customer: email, limit: 1).first, job.state != .scheduled, job.state != .sending {
                return job
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw SinkServerError(description: "the job for \(email) did not fire within 15 s")
    }

    @Test("a due abandoned cart goes out; Python reads both List-Unsubscribe headers; a one-click POST stops the next; transactional mail still goes")
    func dueJobOneClickTransactional() async throws {
        let daemon = try await ShopMailTests.shopDaemon(extra: Self.marketing())
        let line = try await daemon.waitForLog("unsubscribe page on http://")
        let page = try #require(line.range(of: "http://").map { String(line[$0.lowerBound...].prefix { $0 != " " }) })
        try await Self.post(Self.staleCart("maria@example.bg", "c-7"), to: daemon)
        let files = try await daemon.waitForOutbox(count: 1)
        let raw = try #require(files.values.first)

        let script = """
            import email, email.policy, json, sys
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
            print(json.dumps({"lu": m.get_all("list-unsubscribe"), "post": m.get_all("list-unsubscribe-post"),
                              "defects": [type(d).__name__ for d in m.defects], "to": str(m["to"]),
                              "text": m.get_body(preferencelist=("plain",)).get_content()}))
            """
        let parsed = try ExternalProcess.runBlocking("python3", ["-c", script], input: raw)
        #expect(parsed.status == 0, "\(parsed.error)")
        let headers = try #require(try JSONSerialization.jsonObject(with: Data(parsed.output)) as? [String: Any])
        #expect(headers["defects"] as? [String] == [] && headers["to"] as? String == "maria@example.bg")
        let unsubscribe = try #require((headers["lu"] as? [String])?.first)
        #expect(headers["post"] as? [String] == ["List-Unsubscribe=One-Click"])
        // <https://romashka.example/u/TOKEN>, <mailto:unsubscribe+TOKEN@mail.test>
        let https = try #require(unsubscribe.split(separator: ",").first?.trimmingCharacters(in: .init(charactersIn: " <>")))
        let token = try #require(https.split(separator: "/").last.map(String.init))
        #expect(https == "https://romashka.example/u/\(token)")
        #expect(unsubscribe.hasSuffix(", <mailto:unsubscribe+\(token)@mail.test>"), "\(unsubscribe)")
        #expect((headers["text"] as? String)?.contains("https://romashka.example/c/c-7") == true)

        // The one-click POST a mailbox provider sends, at the page the shop's web server forwards to.
        let result = try await ExternalProcess.run(
            "curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", "-d", "List-Unsubscribe=One-Click", page + token],
            timeout: .seconds(30))
        #expect(result.output == "200", "\(result)")
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        #expect(try await store.isSuppressed("maria@example.bg"))

        // The next cart is left alone; the order confirmation still goes.
        try await Self.post(Self.staleCart("maria@example.bg", "c-8"), to: daemon)
        let job = try await Self.settledJob(store, "maria@example.bg")
        #expect(job.state == .skipped && job.note?.contains("suppression list") == true, "\(job)")
        let reply = try await ShopMailTests.send(try ShopMailTests.orderPaid(locale: "bg"), to: ["maria@example.bg"], port: daemon.port())
        #expect(reply.code == 250, "\(reply)")
        #expect(try await daemon.waitForOutbox(count: 2).count == 2)
        try await daemon.stop()
    }

    @Test("order_related mode separate: the order confirmation goes without related products, a mail of their own brings them")
    func relatedSeparately() async throws {
        let daemon = try await ShopMailTests.shopDaemon(extra: Self.marketing("[marketing.order_related]\nmode = \"separate\""))
        let reply = try await ShopMailTests.send(try ShopMailTests.orderPaid(locale: "bg"), to: ["maria.georgieva@abv.bg"], port: daemon.port())
        #expect(reply.code == 250, "\(reply)")
        let files = try await daemon.waitForOutbox(count: 2)
        let texts = files.values.map { String(decoding: $0, as: UTF8.self) }
        let confirmation = try #require(texts.first { !$0.contains("Message-ID: <automation.") })
        let related = try #require(texts.first { $0.contains("Message-ID: <automation.") })
        // Quoted-printable or not, a product name shows in the raw text only where it is (Cyrillic is QP-encoded; the sku is not).
        #expect(!confirmation.contains("genmaicha"), "no related products in the confirmation")
        #expect(related.contains("https://romashka.example/genmaicha"), "the related product's link")
        try await daemon.stop()
    }

    /// A daemon that delivers nothing, with Ivan's abandoned-cart mail and a plain mail to him waiting in its queue.
    static func queuedMarketingAndPlainMail() async throws -> TestDaemon {
        let daemon = try await ShopMailTests.shopDaemon(extra: Self.marketing() + "\n[delivery]\nsuspended = true\n")
        try await Self.post(Self.staleCart("ivan@example.bg", "c-1"), to: daemon)
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        #expect(try await Self.settledJob(store, "ivan@example.bg").state == .sent)
        let other = try await ShopMailTests.send("Subject: hello\r\n\r\nhi\r\n", to: ["ivan@example.bg"], port: daemon.port())
        #expect(other.code == 250)
        #expect(try await daemon.spool.stateCounts()[.queued] == 2)
        return daemon
    }

    @Test("mail to the unsubscribe address withdraws the customer's marketing mail still in the queue, logged; other mail stays")
    func withdrawnFromQueue() async throws {
        let daemon = try await Self.queuedMarketingAndPlainMail()

        let token = try UnsubscribeTests.tokens(of: daemon).token(for: "ivan@example.bg")
        let reply = try await ShopMailTests.send("Subject: unsubscribe\r\n\r\n", to: ["unsubscribe+\(token)@mail.test"], port: daemon.port())
        #expect(reply.code == 250, "\(reply)")
        try await daemon.waitForLog("<ivan@example.bg>: 1 queued marketing mail(s) withdrawn: unsubscribed by mail")
        let counts = try await daemon.spool.stateCounts()
        #expect(counts[.deleted] == 1 && counts[.queued] == 1, "\(counts)")
        try await daemon.stop()
    }

    @Test("a 5xx for a marketing mail suppresses the address; a 5xx for a plain mail does not")
    func hardBounce() async throws {
        var behavior = SinkBehavior()
        behavior.failures = [.unknownRecipient(localPart: "gone")]
        let sink = try await SinkServer.start(behavior: behavior)
        let daemon = try await ShopMailTests.shopDaemon(
            extra: Self.marketing() + "\n[delivery]\n" + DeliveryFixture.quickRetries + "\nroute = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink)) ]\n")
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        let plain = try await ShopMailTests.send("Subject: hello\r\n\r\nhi\r\n", to: ["gone@example.org"], port: daemon.port())
        #expect(plain.code == 250)
        try await daemon.waitForLog("to=<gone@example.org>", "bounced")
        #expect(try await store.isSuppressed("gone@example.org") == false, "a plain mail's bounce says nothing about marketing")

        try await Self.post(Self.staleCart("gone@example.bg", "c-1"), to: daemon)
        try await daemon.waitForLog("<gone@example.bg> bounced a marketing mail (abandoned_cart): suppressed")
        #expect(try await store.isSuppressed("gone@example.bg"))
        try await daemon.stop()
        await sink.stop()
    }
}
