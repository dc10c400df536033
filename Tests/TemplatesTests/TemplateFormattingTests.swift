import Foundation
import Templates
import Testing

/// Money and dates as each locale writes them (CLDR through Foundation).
@Suite("template formatting: money and dates per locale")
struct TemplateFormattingTests {
    @Test("amounts: Bulgarian, Macedonian and English forms", arguments: [
        ("bg", "BGN", "1234,50\u{00A0}лв."),
        ("mk", "MKD", "1.234,50\u{00A0}ден."),
        ("en", "BGN", "BGN\u{00A0}1,234.50"),
        ("en", "EUR", "€1,234.50"),
    ])
    func money(_ locale: String, _ currency: String, _ expected: String) {
        #expect(TemplateFormatting(localeCode: locale).money(1234.5, currency: currency) == expected)
    }

    @Test("dates: numeric in bg and mk, day month year in English; dates and times both read")
    func dates() {
        #expect(TemplateFormatting(localeCode: "bg").date("2026-11-23") == "23.11.2026\u{202F}г.")
        #expect(TemplateFormatting(localeCode: "en").date("2026-11-23T10:00:00Z") == "23 Nov 2026")
        #expect(TemplateFormatting(localeCode: "mk").date("2026-11-23")?.hasPrefix("23.11.2026") == true)
        #expect(TemplateFormatting(localeCode: "en").date("next Tuesday") == nil)
    }
}

/// The schema's check: what a message lacks is named, path by path.
@Suite("template schema: required fields")
struct TemplateSchemaTests {
    let schema = TemplateSchema(
        key: "order_shipped", kind: .customer,
        required: ["customer.name", "order.number", "order.items", "shipment.tracking_number"])

    @Test("missing, empty and present fields")
    func missing() {
        let data: [String: Any] = [
            "customer": ["name": "Мария"], "order": ["number": "1042", "items": [] as [Any]],
            "shipment": ["tracking_number": ""],
        ]
        #expect(schema.missingFields(in: data) == ["order.items", "shipment.tracking_number"])
        let complete: [String: Any] = [
            "customer": ["name": "Мария"], "order": ["number": 1042, "items": [["sku": "T-1"]]],
            "shipment": ["tracking_number": "BG123"],
        ]
        #expect(schema.missingFields(in: complete).isEmpty)
    }
}
