public import Foundation

/// Money and dates as the mail's locale writes them (CLDR, through
/// Foundation): `1234,50 лв.` in Bulgarian, `1.234,50 ден.` in Macedonian,
/// `BGN 1,234.50` in English; `23.11.2026 г.` and `23 Nov 2026`.
///
/// Templates never format: the renderer adds a `_formatted` sibling for
/// every amount and date in the data (docs/templates.md).
public struct TemplateFormatting: Sendable {
    public let locale: Locale
    private let timeZone: TimeZone
    /// How dates are written, made once.
    private let dateStyle: Date.FormatStyle

    /// The names whose values are amounts of money.
    static let moneyNames: Set<String> = [
        "price", "old_price", "total", "subtotal", "shipping", "discount", "tax", "amount", "value",
    ]
    /// The names whose values are ISO 8601 dates or times.
    static let dateNames: Set<String> = ["date", "expires", "delivery_date", "due_date", "changed_at"]

    /// - Parameter localeCode: `bg`, `mk`, `en`, … (a region is added for CLDR's formats).
    public init(localeCode: String, timeZone: TimeZone = TimeZone(identifier: "Europe/Sofia") ?? .gmt) {
        let regions = ["bg": "bg_BG", "mk": "mk_MK", "en": "en_GB"]
        let locale = Locale(identifier: regions[localeCode] ?? localeCode)
        self.locale = locale
        self.timeZone = timeZone
        // Bulgarian and Macedonian mail writes 23.11.2026; English 23 Nov 2026 (never 11/23).
        let numeric = locale.language.languageCode?.identifier != "en"
        dateStyle = Date.FormatStyle(date: numeric ? .numeric : .abbreviated, time: .omitted, locale: locale, timeZone: timeZone)
    }

    public func money(_ amount: Double, currency: String) -> String {
        amount.formatted(.currency(code: currency).locale(locale))
    }

    /// A date (`2026-11-23`) or time (`2026-11-23T10:00:00Z`) as a date; nil if it is neither.
    public func date(_ text: String) -> String? {
        guard let date = Self.parse(text) else { return nil }
        return date.formatted(dateStyle)
    }

    private static let dateOnly = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .gmt).year().month().day()

    static func parse(_ text: String) -> Date? {
        if let time = try? Date(text, strategy: .iso8601) { return time }
        return try? Date(text, strategy: dateOnly)
    }
}
