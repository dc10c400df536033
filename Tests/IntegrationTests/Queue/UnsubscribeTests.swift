import Automations
import Foundation
import PoshtaTestSupport
import ShopStore
import Testing

/// One-click unsubscribe (RFC 8058) over real HTTP, and unsubscribe by mail:
/// the address is suppressed at once and its scheduled jobs cancelled; a
/// link or address Poshta did not sign changes nothing.
@Suite("unsubscribe: one click and by mail")
struct UnsubscribeTests {
    static let marketing = """

        [marketing]
        enabled = true
        unsubscribe_address = "127.0.0.1:0"
        unsubscribe_url = "https://romashka.example/u"
        """

    /// The daemon's signer, from the secret it made on its first start.
    static func tokens(of daemon: TestDaemon) throws -> UnsubscribeTokens {
        let secret = try String(contentsOfFile: daemon.directory.path + "/unsubscribe.key", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return UnsubscribeTokens(secret: Array(secret.utf8))
    }

    @Test("GET shows the page and changes nothing; POST List-Unsubscribe=One-Click unsubscribes and cancels the jobs; a forged token is 404")
    func oneClick() async throws {
        let daemon = try await ShopMailTests.shopDaemon(extra: Self.marketing)
        let line = try await daemon.waitForLog("unsubscribe page on http://")
        let base = try #require(line.range(of: "http://").map { String(line[$0.lowerBound...].prefix { $0 != " " }) })
        let tokens = try Self.tokens(of: daemon)
        let cart = #"{"type": "cart.updated", "email": "maria@example.bg", "cart_id": "c-7", "items": [{"sku": "TEA-SEN-100"}]}"#
        #expect(try await curl(try await daemon.adminURL() + "/v1/events", token: try daemon.adminToken, method: "POST", body: cart).status == 202)
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        #expect(try await store.automationJobs(customer: "maria@example.bg", limit: 5).first?.state == .scheduled)

        let url = base + tokens.token(for: "maria@example.bg")
        let page = try await curl(url, token: nil)
        #expect(page.status == 200 && page.body.contains("<form method=\"post\">") && page.body.contains("maria@example.bg"), "\(page)")
        #expect(try await store.isSuppressed("maria@example.bg") == false)

        let result = try await ExternalProcess.run(
            "curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", "-d", "List-Unsubscribe=One-Click", url],
            timeout: .seconds(30))
        #expect(result.output == "200", "\(result)")
        #expect(try await store.isSuppressed("maria@example.bg"))
        #expect(try await store.automationJobs(customer: "maria@example.bg", limit: 5).first?.state == .cancelled)
        try await daemon.waitForLog("unsubscribed <maria@example.bg> (one-click)")

        // Another address with Maria's MAC: not ours.
        let forged = tokens.token(for: "ivan@example.bg").split(separator: ".")[0] + "." + tokens.token(for: "maria@example.bg").split(separator: ".")[1]
        #expect(try await curl(base + forged, token: nil, method: "POST", body: "x").status == 404)
        #expect(try await store.isSuppressed("ivan@example.bg") == false)
        try await daemon.stop()
    }

    @Test("mail to unsubscribe+TOKEN@ suppresses the token's address and is not delivered; a forged one is refused with 550 5.1.1")
    func byMail() async throws {
        let daemon = try await ShopMailTests.shopDaemon(extra: Self.marketing)
        _ = try await daemon.waitForLog("unsubscribe page on http://")
        let token = try Self.tokens(of: daemon).token(for: "ivan@example.bg")
        let reply = try await ShopMailTests.send("Subject: unsubscribe\r\n\r\n", to: ["unsubscribe+\(token)@mail.test"], port: daemon.port())
        #expect(reply.code == 250 && reply.description.contains("unsubscribed <ivan@example.bg>"), "\(reply)")
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        #expect(try await store.isSuppressed("ivan@example.bg"))
        let forged = UnsubscribeTokens(secret: Array(repeating: 1, count: 32)).token(for: "petar@example.bg")
        let refused = try await ShopMailTests.send("Subject: unsubscribe\r\n\r\n", to: ["unsubscribe+\(forged)@mail.test"], port: daemon.port())
        #expect(refused.code == 550 && refused.description.contains("5.1.1"), "\(refused)")
        #expect(try await store.isSuppressed("petar@example.bg") == false)
        #expect(try await daemon.spool.stateCounts().values.reduce(0, +) == 0)
        try await daemon.stop()
    }

    @Test("a mailbox provider that may not relay still reaches the unsubscribe address, and nothing else")
    func fromTheInternet() async throws {
        // Loopback is not trusted here: the test client stands for Gmail's servers.
        let untrusted = Self.marketing + "\n[[listener]]\naddress = \"127.0.0.1:0\"\ntrusted_networks = [\"192.0.2.0/24\"]\n"
        let daemon = try await ShopMailTests.shopDaemon(extra: untrusted)
        _ = try await daemon.waitForLog("unsubscribe page on http://")
        let token = try Self.tokens(of: daemon).token(for: "ivan@example.bg")
        let reply = try await ShopMailTests.send("Subject: unsubscribe\r\n\r\n", to: ["unsubscribe+\(token)@mail.test"], port: daemon.port())
        #expect(reply.code == 250 && reply.description.contains("unsubscribed <ivan@example.bg>"), "\(reply)")
        let relay = try await ShopMailTests.send("Subject: hi\r\n\r\nhi\r\n", to: ["someone@example.org"], port: daemon.port())
        #expect(relay.code == 554 && relay.description.contains("Relay access denied"), "\(relay)")
        try await daemon.stop()
    }
}
