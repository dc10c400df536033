import Foundation

/// Builds what a template renders from: the shop's JSON, plus the shop,
/// the locale, the year, the unsubscribe link, the `_formatted` siblings of
/// amounts and dates, and the `has_…` flags of the product blocks
/// (docs/templates.md, "The context every template gets").
struct TemplateContext {
    let shop: ShopIdentity
    let formatting: TemplateFormatting
    let localeCode: String

    /// The blocks whose emptiness templates test with `has_<name>`.
    static let blocks = ["related_products", "showcase_products", "favorite_products", "bestseller_products"]

    func build(_ data: [String: Any], unsubscribeURL: String?, now: Date) -> [String: Any] {
        var context = annotate(data, currency: shop.currency)
        context["shop"] = shop.context
        context["locale"] = localeCode
        context["year"] = Calendar(identifier: .gregorian).component(.year, from: now)
        if let unsubscribeURL { context["unsubscribe_url"] = unsubscribeURL }
        for block in Self.blocks {
            context["has_" + block] = !((context[block] as? [Any])?.isEmpty ?? true)
        }
        return context
    }

    /// Adds `<name>_formatted` next to every amount and date, in every
    /// object and list of the tree; an object's `currency` applies to the
    /// amounts in it and below.
    private func annotate(_ object: [String: Any], currency inherited: String) -> [String: Any] {
        let currency = (object["currency"] as? String) ?? inherited
        var result = object
        for (name, value) in object {
            switch value {
            case let nested as [String: Any]:
                result[name] = annotate(nested, currency: currency)
            case let list as [Any]:
                result[name] = list.map { element -> Any in
                    (element as? [String: Any]).map { annotate($0, currency: currency) } ?? element
                }
            default:
                if TemplateFormatting.moneyNames.contains(name), let amount = Self.number(value) {
                    result[name + "_formatted"] = formatting.money(amount, currency: currency)
                } else if TemplateFormatting.dateNames.contains(name), let text = value as? String,
                    let formatted = formatting.date(text)
                {
                    result[name + "_formatted"] = formatted
                }
            }
        }
        return result
    }

    /// JSON numbers arrive as NSNumber (or Double/Int).
    private static func number(_ value: Any) -> Double? {
        if let value = value as? Double { return value }
        if let value = value as? Int { return Double(value) }
        return (value as? NSNumber)?.doubleValue
    }
}
