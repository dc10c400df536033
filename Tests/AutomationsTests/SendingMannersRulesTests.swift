import Automations
import Foundation
import Testing

/// Quiet hours and the frequency cap as pure rules.
@Suite("quiet hours and the frequency cap")
struct SendingMannersRulesTests {
    /// 2026-03-28 12:00 UTC, the day before Sofia moves its clocks forward.
    let noon: Double = 1_774_699_200

    @Test("quiet hours read \"21:00-08:00\" and refuse what is not a window", arguments: [
        ("21:00-08:00", "21:00-08:00"), ("9:30 - 17:00", "09:30-17:00"), ("00:00-23:59", "00:00-23:59"),
    ])
    func parsing(text: String, written: String) {
        #expect(QuietHours(parsing: text)?.description == written)
    }

    @Test("not windows", arguments: ["", "21:00", "21-08", "25:00-08:00", "21:00-08:60", "08:00-08:00", "21:00-08:00-09:00", "a:00-08:00"])
    func notWindows(text: String) {
        #expect(QuietHours(parsing: text) == nil)
    }

    @Test("a window past midnight: quiet from its start to its end, the end exclusive")
    func pastMidnight() throws {
        let hours = try #require(QuietHours(parsing: "21:00-08:00"))
        let utc = TimeZone.gmt
        let nine = noon + 9 * 3_600  // 21:00 UTC
        #expect(hours.end(ifQuietAt: nine - 1, in: utc) == nil)
        #expect(hours.end(ifQuietAt: nine, in: utc) == noon + 20 * 3_600)
        #expect(hours.end(ifQuietAt: noon + 19 * 3_600, in: utc) == noon + 20 * 3_600)
        #expect(hours.end(ifQuietAt: noon + 20 * 3_600, in: utc) == nil)
    }

    @Test("the end is local time: across Sofia's spring-forward night the morning is 05:00 UTC, not 06:00")
    func daylightSaving() throws {
        let sofia = try #require(TimeZone(identifier: "Europe/Sofia"))
        let hours = try #require(QuietHours(parsing: "21:00-08:00"))
        // 22:00 in Sofia on the 28th is 20:00 UTC; 08:00 on the 29th (EEST, UTC+3) is 05:00 UTC.
        let evening = noon + 8 * 3_600
        #expect(hours.end(ifQuietAt: evening, in: sofia) == noon + 17 * 3_600)
    }

    @Test("the cap counts a rolling day: the next mail waits until the oldest counted one is a day old")
    func cap() {
        let cap = FrequencyCap(maxPerDay: 2)
        #expect(cap.nextAllowed(now: 1_000_000, sent: [999_000]) == nil)
        let dayAfterSecondLast: Double = 990_000 + 86_400
        #expect(cap.nextAllowed(now: 1_000_000, sent: [990_000, 999_000]) == dayAfterSecondLast)
        #expect(cap.nextAllowed(now: 1_000_000, sent: [900_000, 990_000, 999_000]) == dayAfterSecondLast)
        #expect(cap.nextAllowed(now: 1_000_000, sent: [1_000_000 - 86_400, 999_000]) == nil, "a day old no longer counts")
        #expect(FrequencyCap(maxPerDay: 0).nextAllowed(now: 1, sent: [1, 1, 1]) == nil)
    }

    @Test("the cap and quiet hours together: a mail the cap moves into the night waits for the morning")
    func together() throws {
        let settings = AutomationSettings(
            enabled: true, frequencyCap: FrequencyCap(maxPerDay: 1), quietHours: QuietHours(parsing: "21:00-08:00"), timeZone: .gmt)
        // Sent at 22:30 yesterday (say, before the hours were set): allowed again at 22:30 today, which is quiet.
        let sent = noon - 13.5 * 3_600
        #expect(settings.sendingTime(now: noon, sentToCustomer: [sent]) == noon + 20 * 3_600)
        #expect(settings.sendingTime(now: noon, sentToCustomer: []) == noon)
    }
}
