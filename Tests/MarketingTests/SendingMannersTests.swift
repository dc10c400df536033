import Automations
import Foundation
import PoshtaTestSupport
@testable import ShopMail
import ShopStore
import Spool
import Testing

/// Who may get marketing mail and when: consent, the suppression list, the
/// frequency cap, quiet hours; and exactly once across a crash.
@Suite("automations: consent, suppression, cap, quiet hours, crashes")
struct SendingMannersTests {
    typealias F = MarketingFixture
    let t0 = MarketingFixture.start

    @Test("no consent, no mail: the customer's word first, else default_consent; a suppressed address is skipped")
    func consent() async throws {
        var settings = AutomationSettings(enabled: true, frequencyCap: FrequencyCap(maxPerDay: 0), timeZone: .gmt)
        settings.defaultConsent = false
        let shop = try await F(settings)
        for email in ["silent@example.com", "yes@example.com", "no@example.com", "gone@example.com"] {
            try await shop.cart("c-\(email)", of: email, at: t0, skus: ["TEA-1"])
        }
        try await shop.event("customer.consent", at: t0, ["email": "yes@example.com", "marketing": true])
        try await shop.event("customer.registered", at: t0, ["email": "gone@example.com", "marketing": true])
        try await shop.event("customer.consent", at: t0, ["email": "no@example.com", "marketing": false])
        try await shop.store.suppress("Gone@Example.com", reason: "test", now: t0 + 1)
        let fired = try await shop.fire(at: t0 + 2 * F.hour)
        #expect(fired.count == 3, "the suppressed address's job was cancelled at once: \(fired)")
        #expect(try await shop.spooled().map { $0.entry.recipients[0].address } == ["yes@example.com"])
        let skipped = try await shop.jobs(of: "no@example.com")
        #expect(skipped.map(\.state) == [.skipped] && skipped[0].note?.contains("not consented") == true, "\(skipped)")
        #expect(try await shop.jobs(of: "silent@example.com").map(\.state) == [.skipped])
        #expect(try await shop.jobs(of: "gone@example.com").map(\.state) == [.cancelled])

        // Suppressed after the job was claimed and before it fires: skipped, not sent.
        try await shop.cart("c-late", of: "late@example.com", at: t0, skus: ["TEA-1"])
        try await shop.event("customer.consent", at: t0, ["email": "late@example.com", "marketing": true])
        let job = try #require(try await shop.store.claimDueJobs(now: t0 + 2 * F.hour, limit: 10).first)
        try await shop.store.suppress("late@example.com", reason: "test", now: t0 + 2 * F.hour)
        let outcome = await shop.sender.fire([job], now: t0 + 2 * F.hour).first?.outcome
        #expect(outcome == .skipped(reason: "<late@example.com> is on the suppression list (unsubscribed or bounced)"))
        #expect(try await shop.spooled().count == 1)
    }

    @Test("frequency cap: one a day; the second job waits until the first mail is a day old")
    func frequencyCap() async throws {
        let settings = AutomationSettings(enabled: true, frequencyCap: FrequencyCap(maxPerDay: 1), timeZone: .gmt)
        let shop = try await F(settings)
        try await shop.catalog()
        try await shop.cart("c-1", of: "a@example.com", at: t0, skus: ["TEA-1"])
        try await shop.event("favorites.added", at: t0 - 3 * F.day + 2 * F.hour + 30, ["email": "a@example.com", "items": [["sku": "CUP-1"]]])
        let first = try await shop.fire(at: t0 + 2 * F.hour)
        #expect(first.map(\.automation) == ["abandoned_cart"] && first[0].outcome.isSent, "\(first)")
        let second = try await shop.fire(at: t0 + 2 * F.hour + 30)
        #expect(second.map(\.automation) == ["favorites_reminder"])
        #expect(second.first?.outcome == .moved(to: t0 + 26 * F.hour, reason: "frequency cap: 1 in the last day"))
        #expect(try await shop.fire(at: t0 + 26 * F.hour - 1).isEmpty)
        let third = try await shop.fire(at: t0 + 26 * F.hour)
        #expect(third.map(\.automation) == ["favorites_reminder"] && third[0].outcome.isSent, "\(third)")
        #expect(try await shop.spooled().count == 2)
    }

    @Test("frequency cap within one round: of a customer's jobs due together one goes, the other waits a day; other customers are not held")
    func capWithinRound() async throws {
        let shop = try await F(AutomationSettings(enabled: true, frequencyCap: FrequencyCap(maxPerDay: 1), timeZone: .gmt))
        try await shop.catalog()
        try await shop.cart("c-1", of: "a@example.com", at: t0, skus: ["TEA-1"])
        try await shop.event("favorites.added", at: t0 - 3 * F.day + 2 * F.hour, ["email": "a@example.com", "items": [["sku": "CUP-1"]]])
        for index in 0..<20 { try await shop.cart("c-b\(index)", of: "b\(index)@example.com", at: t0, skus: ["TEA-1"]) }
        let fired = try await shop.fire(at: t0 + 2 * F.hour)
        #expect(fired.count == 22)
        let forA = try await shop.jobs(of: "a@example.com")
        #expect(forA.filter { $0.state == .sent }.count == 1, "\(forA)")
        #expect(forA.filter { $0.state == .scheduled && $0.due == t0 + 26 * F.hour }.count == 1, "\(forA)")
        #expect(try await shop.spooled().count == 21)
    }

    @Test("quiet hours 21:00-08:00 in the shop's time zone: a job due at night goes at 08:00")
    func quietHours() async throws {
        let sofia = try #require(TimeZone(identifier: "Europe/Sofia"))
        let settings = AutomationSettings(
            enabled: true, frequencyCap: FrequencyCap(maxPerDay: 0), quietHours: QuietHours(parsing: "21:00-08:00"), timeZone: sofia)
        let shop = try await F(settings)
        // t0 is 12:00 in Sofia (UTC+2 in November); the cart waits 2 h from 19:30 → due 21:30 Sofia.
        let cartTime = t0 + 7.5 * F.hour
        try await shop.cart("c-1", of: "a@example.com", at: cartTime, skus: ["TEA-1"])
        let due = cartTime + 2 * F.hour
        let morning = t0 + 20 * F.hour  // 08:00 Sofia the next day
        #expect(try await shop.fire(at: due).first?.outcome == .moved(to: morning, reason: "quiet hours"))
        #expect(try await shop.fire(at: morning - 60).isEmpty)
        let fired = try await shop.fire(at: morning)
        #expect(fired.count == 1 && fired[0].outcome.isSent, "\(fired)")
    }

    @Test("a crash between spooling and marking: after the restart no duplicate and no miss")
    func crashBetweenSpoolAndMark() async throws {
        let shop = try await F()
        try await shop.cart("c-1", of: "spooled@example.com", at: t0, skus: ["TEA-1"])
        try await shop.cart("c-2", of: "lost@example.com", at: t0 + 1, skus: ["TEA-1"])
        let claimed = try await shop.store.claimDueJobs(now: t0 + 3 * F.hour, limit: 10)
        try #require(claimed.count == 2)
        // The first reached the spool, the process died before the store heard; the second never got that far.
        let outcome = try await shop.sender.decide(claimed[0], now: t0 + 3 * F.hour)
        #expect(outcome.isSent)
        #expect(try await shop.store.jobsInFlight().count == 2)

        // The restart: a new sender over the same store and spool.
        let restarted = AutomationSender(mail: shop.mail, intake: shop.intake)
        let recovered = try await restarted.recover(
            isOnSpool: { job in !(try await shop.spool.inspector.ids(taggedWith: "job", value: AutomationSender.tag(job))).isEmpty },
            now: t0 + 4 * F.hour)
        #expect(recovered.sent == 1 && recovered.again == 1)
        #expect(try await shop.jobs(of: "spooled@example.com").map(\.state) == [.sent])
        let again = try await restarted.fireDueJobs(now: t0 + 4 * F.hour)
        #expect(again.map(\.job.customer) == ["lost@example.com"] && again[0].outcome.isSent)
        #expect(try await restarted.fireDueJobs(now: t0 + 40 * F.day).isEmpty)
        #expect(try await shop.spooled().map { $0.entry.recipients[0].address }.sorted() == ["lost@example.com", "spooled@example.com"])
    }

    @Test("an automation switched off after scheduling: its due job is skipped, not sent")
    func switchedOff() async throws {
        let on = try await F()
        try await on.cart("c-1", of: "a@example.com", at: t0, skus: ["TEA-1"])
        var settings = on.mail.settings
        settings.automations.disabled = [.abandonedCart]
        let off = ShopMessageTransformer(templates: on.mail.templates, store: on.store, settings: settings, logger: on.mail.logger)
        let sender = AutomationSender(mail: off, intake: on.intake)
        let fired = try await sender.fireDueJobs(now: t0 + 2 * F.hour)
        #expect(fired.first?.outcome == .skipped(reason: "abandoned_cart is switched off"))
        #expect(try await on.spooled().isEmpty)
    }
}
