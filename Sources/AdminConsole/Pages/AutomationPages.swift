import Automations
import Foundation
import HTTPListener
import Hummingbird
import ShopStore

/// The automations page: "enable marketing emails", then per automation its
/// switch, its delay (editable, "2 hours", "3 days"), its coupon and its
/// figures over the last 30 days. Saved to the store, in force at once.
struct AutomationPages {
    let console: Console

    static let pages = [ConsolePage(name: "automations", template: template)]

    static let template = """
        <h1>{{t.automations_title}}</h1>
        <p class="lead">{{t.automations_lead}}</p>
        <form method="post" action="/automations" id="automations-form">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <section class="card">
        <div class="switch master"><input type="checkbox" id="marketing" name="marketing"{{#enabled}} checked{{/enabled}}>
        <label for="marketing">{{t.enable_marketing}}</label></div>
        </section>
        <ul class="cards">
        {{#automations}}
        <li class="card" id="automation-{{key}}">
        <div class="switch"><input type="checkbox" id="a-{{key}}" name="on" value="{{key}}"{{#on}} checked{{/on}}>
        <label for="a-{{key}}">{{name}}</label></div>
        <p class="when">{{when}}</p>
        <div class="row">
        <div class="field"><label for="d-{{key}}">{{t.delay}}</label>
        <input type="text" id="d-{{key}}" name="delay_{{key}}" value="{{delay}}" size="12" aria-describedby="hint-{{key}}"></div>
        <p class="when" id="hint-{{key}}">{{t.delay_hint}}</p>
        </div>
        <p>{{t.coupon}}: {{coupon}} · <a href="/coupons?key={{key}}#rule-form">{{t.edit}}</a></p>
        <dl class="figures" aria-label="{{t.figures_30_days}}">
        <div><dt>{{t.scheduled}}</dt><dd>{{scheduled}}</dd></div>
        <div><dt>{{t.sent}}</dt><dd>{{sent}}</dd></div>
        <div><dt>{{t.cancelled}}</dt><dd>{{cancelled}}</dd></div>
        <div><dt>{{t.converted}}</dt><dd>{{converted}}</dd></div>
        </dl>
        </li>
        {{/automations}}
        </ul>
        <div class="actions"><button type="submit" class="primary" id="save">{{t.save}}</button></div>
        </form>
        """

    func register(on router: Router<PoshtaRequestContext>) {
        console.get("/automations", on: router) { call in
            guard let mail = console.submission?.mail, let store = console.store else {
                return NotificationPages.unavailable(call)
            }
            let stats = AutomationStats.everyAutomation(
                try await store.automationStats(since: Date.now.timeIntervalSince1970 - 30 * 86_400))
            return call.page(
                "automations", title: call.t("automations_title"),
                values: values(call, mail.switches.automations, stats: stats, coupons: mail.couponPolicies))
        }
        console.post("/automations", on: router) { call in
            guard let mail = console.submission?.mail, let store = console.store else {
                return NotificationPages.unavailable(call)
            }
            let on = Set(call.form.all("on"))
            var entries: [String: Any] = [:]
            for automation in Automation.allCases {
                var entry: [String: Any] = ["enabled": on.contains(automation.rawValue)]
                // Only a changed delay is the owner's: an unchanged one keeps following [marketing].
                if let delay = call.form["delay_\(automation.rawValue)"]?.trimmingCharacters(in: .whitespaces), !delay.isEmpty,
                    AutomationDelay(parsing: delay) != mail.switches.automations.delay(automation)
                {
                    entry["delay"] = delay
                }
                entries[automation.rawValue] = entry
            }
            let settings: AutomationSettings
            do {
                settings = try await mail.changeAutomations(
                    ["enabled": call.form.isChecked("marketing"), "automations": entries], in: store)
            } catch let error as ShopEventError {
                let stats = AutomationStats.everyAutomation(
                    try await store.automationStats(since: Date.now.timeIntervalSince1970 - 30 * 86_400))
                return call.page(
                    "automations", title: call.t("automations_title"),
                    values: values(call, mail.switches.automations, stats: stats, coupons: mail.couponPolicies),
                    error: "\(error)", status: .badRequest)
            }
            console.logger.notice("console: \(call.session.user) changed the automations: marketing \(settings.enabled ? "on" : "off"), off: \(settings.disabled.map(\.rawValue).sorted().joined(separator: ",").nonEmpty ?? "none")")
            return call.done("/automations", notice: "saved")
        }
    }

    private func values(
        _ call: ConsoleCall, _ settings: AutomationSettings, stats: [AutomationStats], coupons: [String: CouponPolicy]
    ) -> [String: Any] {
        let locale = call.session.locale
        return [
            "enabled": settings.enabled,
            "automations": Automation.allCases.map { automation -> [String: Any] in
                let description = ConsoleDescriptions.automations[automation.rawValue]?[locale]
                    ?? ConsoleDescriptions.automations[automation.rawValue]?["en"]
                let figures = stats.first { $0.automation == automation.rawValue } ?? AutomationStats(automation: automation.rawValue)
                return [
                    "key": automation.rawValue, "name": description?.name ?? automation.rawValue,
                    "when": description?.when ?? automation.rule, "on": !settings.disabled.contains(automation),
                    "delay": Self.spelled(settings.delay(automation), locale: locale),
                    "coupon": coupons[automation.rawValue].map { Self.describe($0, call.strings) } ?? call.t("no_coupon"),
                    "scheduled": figures.scheduled, "sent": figures.sent, "cancelled": figures.cancelled,
                    "converted": figures.converted,
                ]
            },
        ]
    }

    /// "2 hours", "2 часа", "2 часа": a delay as the owner reads and types it.
    static func spelled(_ delay: AutomationDelay, locale: String) -> String {
        let words: [AutomationDelay.Unit: (one: String, many: String)]
        switch locale {
        case "bg":
            words = [
                .seconds: ("секунда", "секунди"), .minutes: ("минута", "минути"), .hours: ("час", "часа"),
                .days: ("ден", "дни"), .weeks: ("седмица", "седмици"), .months: ("месец", "месеца"), .years: ("година", "години"),
            ]
        case "mk":
            words = [
                .seconds: ("секунда", "секунди"), .minutes: ("минута", "минути"), .hours: ("час", "часа"),
                .days: ("ден", "дена"), .weeks: ("недела", "недели"), .months: ("месец", "месеци"), .years: ("година", "години"),
            ]
        default:
            words = [
                .seconds: ("second", "seconds"), .minutes: ("minute", "minutes"), .hours: ("hour", "hours"),
                .days: ("day", "days"), .weeks: ("week", "weeks"), .months: ("month", "months"), .years: ("year", "years"),
            ]
        }
        guard let word = words[delay.unit] else { return delay.description }
        return "\(delay.value) \(delay.value == 1 ? word.one : word.many)"
    }

    /// "10 % · a new code each time (CART-…) · valid 14 days", in the words of `strings`.
    static func describe(_ policy: CouponPolicy, _ strings: [String: String]) -> String {
        func t(_ key: String) -> String { strings[key] ?? key }
        var parts: [String] = []
        switch policy.value {
        case .percent(let percent)?: parts.append("\(percent.formatted()) %")
        case .fixed(let amount, let currency)?: parts.append("\(amount.formatted()) \(currency)")
        case nil: break
        }
        switch policy.source {
        case .pool: parts.append(t("coupon_from_list"))
        case .generate: parts.append(t("coupon_new_code") + (policy.prefix.isEmpty ? "" : " (\(policy.prefix)…)"))
        }
        if let days = policy.validityDays { parts.append(t("valid_days").replacingOccurrences(of: "%d", with: String(days))) }
        return parts.joined(separator: " · ")
    }
}
