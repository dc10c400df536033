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

    /// The context as typed values, for compiled templates (same content as `build`).
    func value(_ data: [String: Any], unsubscribeURL: String?, now: Date) -> ContextValue {
        var context = annotatedValues(data, currency: shop.currency)
        context["shop"] = .object(shop.context.mapValues(ContextValue.init))
        context["locale"] = .string(localeCode)
        context["year"] = ContextValue(Calendar(identifier: .gregorian).component(.year, from: now))
        if let unsubscribeURL { context["unsubscribe_url"] = .string(unsubscribeURL) }
        for block in Self.blocks {
            context["has_" + block] = ContextValue(!((data[block] as? [Any])?.isEmpty ?? true))
        }
        return .object(context)
    }

    /// `annotate`, made into typed values on the way.
    private func annotatedValues(_ object: [String: Any], currency inherited: String) -> [String: ContextValue] {
        let currency = (object["currency"] as? String) ?? inherited
        var result: [String: ContextValue] = [:]
        result.reserveCapacity(object.count + 4)
        var formatted: [(String, String)] = []
        for (name, value) in object {
            let kind = type(of: value)
            if kind == String.self {
                let text = value as! String
                result[name] = .string(text)
                if TemplateFormatting.dateNames.contains(name), let date = formatting.date(text) {
                    formatted.append((name + "_formatted", date))
                }
                continue
            }
            if kind is NSNumber.Type {
                // `number(_:)` of an NSNumber is its `doubleValue`.
                let number = value as! NSNumber
                result[name] = .number(number)
                if TemplateFormatting.moneyNames.contains(name) {
                    formatted.append((name + "_formatted", formatting.money(number.doubleValue, currency: currency)))
                }
                continue
            }
            if kind == [String: Any].self {
                result[name] = .object(annotatedValues(value as! [String: Any], currency: currency))
                continue
            }
            switch value {
            case let nested as [String: Any]:
                result[name] = .object(annotatedValues(nested, currency: currency))
            case let list as [Any]:
                result[name] = .list(list.map { element in
                    if type(of: element) == [String: Any].self, let object = element as? [String: Any] {
                        return .object(annotatedValues(object, currency: currency))
                    }
                    return (element as? [String: Any]).map { .object(annotatedValues($0, currency: currency)) } ?? ContextValue(element)
                })
            default:
                result[name] = ContextValue(value)
                if TemplateFormatting.moneyNames.contains(name), let amount = Self.number(value) {
                    formatted.append((name + "_formatted", formatting.money(amount, currency: currency)))
                } else if TemplateFormatting.dateNames.contains(name), let text = value as? String,
                    let date = formatting.date(text)
                {
                    formatted.append((name + "_formatted", date))
                }
            }
        }
        // As in `annotate`: a worked-out sibling replaces a field of that name.
        for (name, text) in formatted { result[name] = .string(text) }
        return result
    }

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
