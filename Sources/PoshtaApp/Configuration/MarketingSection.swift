import Automations

/// `[marketing]`: the automations — off until the shop switches them on.
///
/// ```toml
/// [marketing]
/// enabled = true
/// default_consent = true         # customers the shop said nothing about may get marketing
/// max_per_day = 1                # per customer, in any 24 hours; 0: no cap
/// quiet_hours = "21:00-08:00"    # in [shop] time_zone; default: none
///
/// [marketing.order_related]
/// mode = "separate"              # or "merge" (the default): in the order confirmation
///
/// [marketing.abandoned_cart]
/// delay = "3h"                   # s, m, h, d, w, mo, y, or "3 hours"
///
/// [marketing.loyalty_thanks]
/// enabled = false
/// ```
enum MarketingSection {
    static let keys = ["enabled", "default_consent", "max_per_day", "quiet_hours"] + UnsubscribeSection.keys + Automation.allCases.map(\.rawValue)
    static let automationKeys = ["enabled", "delay"]

    static func read(_ reader: TOMLTableReader, shop: ShopSection) throws(ConfigurationError) -> AutomationSettings {
        try reader.checkKeys(keys, in: "[marketing]")
        var settings = AutomationSettings(
            enabled: try reader.bool("enabled", default: false),
            defaultConsent: try reader.bool("default_consent", default: true),
            frequencyCap: FrequencyCap(maxPerDay: try reader.int("max_per_day", default: 1, in: 0...1_000)),
            timeZone: shop.timeZone)
        if let text = try reader.string("quiet_hours"), !text.isEmpty {
            guard let hours = QuietHours(parsing: text) else {
                throw reader.error("quiet_hours", "\"\(text)\" is not a window of the day; expected e.g. \"21:00-08:00\"")
            }
            settings.quietHours = hours
        }
        for automation in Automation.allCases where reader.contains(automation.rawValue) {
            let table = try reader.table(automation.rawValue)
            try table.checkKeys(
                automation == .orderRelated ? automationKeys + ["mode"] : automationKeys, in: "[marketing.\(automation.rawValue)]")
            if automation == .orderRelated { settings.orderRelatedMode = try table.choice("mode", default: .merge) }
            if !(try table.bool("enabled", default: true)) { settings.disabled.insert(automation) }
            if let text = try table.string("delay") {
                guard let delay = AutomationDelay(parsing: text) else {
                    throw table.error("delay", "\"\(text)\" is not a delay; expected e.g. \"2h\", \"3d\", \"4w\", \"6mo\" or \"3 days\"")
                }
                settings.delays[automation] = delay
            }
        }
        return settings
    }
}
