import Automations
import Foundation
import MIME
import PoshtaTestSupport
import ShopMail
import ShopStore
import Testing

/// Each automation walked through its life with the clock in the test's
/// hand: scheduled by the shop's events, not sent a minute early, sent at
/// its time with the data as it is then, once, or cancelled and moved as
/// DESIGN.md's table says. What is checked is what went onto the spool.
@Suite("automations: each through its life")
struct AutomationLifeTests {
    typealias F = MarketingFixture
    let t0 = MarketingFixture.start

    @Test("abandoned cart: 2 hours after the cart's last change, not a minute early, with the cart as it is then; once")
    func abandonedCart() async throws {
        let shop = try await F()
        try await shop.catalog()
        try await shop.event("customer.registered", at: t0 - F.day, ["email": "Maria@Example.bg", "name": "Мария", "locale": "bg"])
        try await shop.cart("c-7", of: "maria@example.bg", at: t0, skus: ["TEA-1"])
        // Touched again an hour later: the two hours count from then, and the mail shows both teas.
        try await shop.cart("c-7", of: "maria@example.bg", at: t0 + F.hour, skus: ["TEA-1", "TEA-2"])
        #expect(try await shop.fire(at: t0 + 2 * F.hour).isEmpty)
        #expect(try await shop.fire(at: t0 + 3 * F.hour - 60).isEmpty)
        let fired = try await shop.fire(at: t0 + 3 * F.hour)
        #expect(fired.map(\.automation) == ["abandoned_cart"] && fired.allSatisfy(\.outcome.isSent), "\(fired)")
        #expect(try await shop.fire(at: t0 + 30 * F.day).isEmpty)

        let spooled = try await shop.spooled()
        try #require(spooled.count == 1)
        let (entry, text) = spooled[0]
        let job = try #require(try await shop.jobs(of: "maria@example.bg").first)
        #expect(job.state == .sent && job.updated == t0 + 3 * F.hour)
        #expect(entry.tags == ["automation": "abandoned_cart", "template": "abandoned_cart", "customer": "maria@example.bg", "job": AutomationSender.tag(job)])
        #expect(entry.recipients.map(\.address) == ["maria@example.bg"] && entry.sender == "shop@romashka.example")
        let parsed = try F.python(text)
        #expect((parsed["defects"] as? [String]) == [])
        #expect(OutboundConformance.problems(in: Array(text.utf8)) == [])
        #expect((parsed["subject"] as? String)?.isEmpty == false)
        #expect(parsed["to"] as? String == "Мария <maria@example.bg>")
        #expect(parsed["message_id"] as? String == "<automation.\(AutomationSender.tag(job))@mail.romashka.example>")
        let token = shop.tokens.token(for: "maria@example.bg")
        #expect(
            parsed["list_unsubscribe"] as? [String]
                == ["<https://romashka.example/unsubscribe/\(token)>, <mailto:unsubscribe+\(token)@mail.romashka.example>"])
        #expect(parsed["list_unsubscribe_post"] as? [String] == ["List-Unsubscribe=One-Click"])
        #expect(parsed["auto_submitted"] is NSNull, "marketing is not marked auto-generated")
        let body = try #require(parsed["text"] as? String)
        #expect(body.contains("Здравейте, Мария!") && body.contains("Сенча") && body.contains("Улун"), "\(body)")
        #expect(body.contains("https://romashka.example/checkout/c-7") && body.contains("25,00"), "\(body)")
        #expect(body.contains("https://romashka.example/unsubscribe/\(token)"), "\(body)")
    }

    @Test("abandoned cart: an order from that customer cancels it; so does the cart cleared; a guest gets a greeting without a name")
    func abandonedCartCancelled() async throws {
        let shop = try await F()
        try await shop.cart("c-1", of: "a@example.com", at: t0, skus: ["TEA-1"])
        try await shop.order("R-1", by: "a@example.com", at: t0 + 600, skus: ["TEA-1"])
        try await shop.cart("c-2", of: "b@example.com", at: t0, skus: ["TEA-1"])
        try await shop.event("cart.cleared", at: t0 + 60, ["email": "b@example.com", "cart_id": "c-2"])
        try await shop.cart("c-3", of: "guest@example.com", at: t0, skus: ["TEA-9"])
        let fired = try await shop.fire(at: t0 + 3 * F.hour)
        #expect(fired.map(\.automation) == ["abandoned_cart"], "only the guest's: \(fired)")
        #expect(try await shop.jobs(of: "a@example.com").first { $0.automation == "abandoned_cart" }?.state == .cancelled)
        #expect(try await shop.jobs(of: "b@example.com").map(\.state) == [.cancelled])
        let text = try #require(try await shop.spooled().first?.text)
        let body = try #require(try F.python(text)["text"] as? String)
        // Not in the catalog: the cart's own line, named by its sku.
        #expect(body.contains("Hello,") && body.contains("TEA-9"), "\(body)")
    }

    @Test("favorites reminder: 3 days on, only the favorites not bought since; cancelled when none are left")
    func favorites() async throws {
        let shop = try await F()
        try await shop.catalog()
        try await shop.event("favorites.added", at: t0, ["email": "a@example.com", "items": [["sku": "TEA-1"], ["sku": "CUP-2"]]])
        try await shop.order("R-1", by: "a@example.com", at: t0 + F.day, skus: ["TEA-1"])
        try await shop.event("favorites.added", at: t0, ["email": "b@example.com", "items": [["sku": "POT-1"]]])
        try await shop.event("favorites.removed", at: t0 + F.hour, ["email": "b@example.com", "items": [["sku": "POT-1"]]])
        #expect(try await shop.fire(at: t0 + 3 * F.day - 1).isEmpty)
        let fired = try await shop.fire(at: t0 + 3 * F.day)
        #expect(fired.map(\.automation) == ["favorites_reminder"] && fired[0].outcome.isSent, "\(fired)")
        #expect(try await shop.jobs(of: "b@example.com").map(\.state) == [.cancelled])
        let body = try #require(try F.python(try await shop.spooled()[0].text)["text"] as? String)
        #expect(body.contains("Rose cups") && !body.contains("Sencha"), "\(body)")
    }

    @Test("feedback request: 4 weeks after shipping or 1 day after delivery, whichever first; once per order")
    func feedback() async throws {
        let shop = try await F()
        try await shop.catalog()
        try await shop.order("R-7", by: "a@example.com", at: t0, skus: ["TEA-1"])
        try await shop.event("order.status_changed", at: t0 + F.day, ["number": "R-7", "status": "shipped"])
        try await shop.event("order.status_changed", at: t0 + 3 * F.day, ["number": "R-7", "status": "delivered"])
        #expect(try await shop.fire(at: t0 + 4 * F.day - 60).filter { $0.automation == "feedback_request" }.isEmpty)
        let fired = try await shop.fire(at: t0 + 4 * F.day)
        #expect(fired.map(\.automation) == ["feedback_request"] && fired[0].outcome.isSent, "\(fired)")
        // Delivered again, shipped again: never a second request for R-7.
        try await shop.event("order.status_changed", at: t0 + 5 * F.day, ["number": "R-7", "status": "delivered"])
        #expect(try await shop.fire(at: t0 + 40 * F.day).filter { $0.automation == "feedback_request" }.isEmpty)
        let mail = try await shop.spooled().map(\.text).first { $0.contains("automation.") } ?? ""
        let body = try #require(try F.python(mail)["text"] as? String)
        #expect(body.contains("hello@romashka.example") && body.contains("R-7"), "\(body)")
    }

    @Test("loyalty thanks: the day after the second order, not after the first; inactive reminder moved by each order")
    func loyaltyAndInactive() async throws {
        let shop = try await F()
        try await shop.catalog()
        try await shop.order("R-1", by: "a@example.com", at: t0, skus: ["TEA-1"])
        #expect(try await shop.fire(at: t0 + 2 * F.day).isEmpty, "no thanks for a first order")
        try await shop.order("R-2", by: "a@example.com", at: t0 + 10 * F.day, skus: ["CUP-1"])
        #expect(try await shop.fire(at: t0 + 11 * F.day - 1).isEmpty)
        let thanks = try await shop.fire(at: t0 + 11 * F.day)
        #expect(thanks.map(\.automation) == ["loyalty_thanks"] && thanks[0].outcome.isSent, "\(thanks)")
        #expect(try F.python(try await shop.spooled()[0].text)["text"] as? String ?? "" != "")

        // Six months after R-1 nothing: R-2 moved the reminder to six months after itself.
        let sixMonthsAfterFirst = AutomationDelay(6, .months).after(t0)
        let reminders = try await shop.fire(at: sixMonthsAfterFirst)
        #expect(!reminders.contains { $0.automation == "inactive_reminder" }, "\(reminders)")
        let due = AutomationDelay(6, .months).after(t0 + 10 * F.day)
        #expect(try await shop.fire(at: due - 60).filter { $0.automation == "inactive_reminder" }.isEmpty)
        let fired = try await shop.fire(at: due)
        #expect(fired.map(\.automation) == ["inactive_reminder"] && fired[0].outcome.isSent, "\(fired)")
        let body = try #require(try F.python(try await shop.spooled().last!.text)["text"] as? String)
        // The last order, and the storefront's most expensive product.
        #expect(body.contains("R-2") && body.contains("Blue clay teapot"), "\(body)")
    }

    @Test("anniversary: one year after an order, with the showcase; related products right after an order when separate")
    func anniversaryAndRelated() async throws {
        var settings = AutomationSettings(enabled: true, frequencyCap: FrequencyCap(maxPerDay: 0), timeZone: .gmt)
        settings.orderRelatedMode = .separate
        let shop = try await F(settings)
        try await shop.catalog()
        try await shop.order("R-1", by: "a@example.com", at: t0, skus: ["TEA-1"])
        let now = try await shop.fire(at: t0)
        #expect(now.map(\.automation) == ["order_related"] && now[0].outcome.isSent, "\(now)")
        let related = try #require(try F.python(try await shop.spooled()[0].text)["text"] as? String)
        #expect(related.contains("Tenmoku cup") && related.contains("Rose cups"), "the hand-assigned related products: \(related)")

        let year = AutomationDelay(1, .years).after(t0)
        // Meanwhile the win-back reminder (six months) went; not the anniversary.
        #expect(try await shop.fire(at: year - 60).map(\.automation) == ["inactive_reminder"])
        let fired = try await shop.fire(at: year)
        #expect(fired.map(\.automation) == ["purchase_anniversary"] && fired[0].outcome.isSent, "\(fired)")
        let body = try #require(try F.python(try await shop.spooled().last!.text)["text"] as? String)
        #expect(body.contains("Blue clay teapot") && body.contains("R-1"), "\(body)")
    }
}
