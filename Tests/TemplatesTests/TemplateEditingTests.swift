import Foundation
import PoshtaTestSupport
import Templates
import Testing

/// The console's template editor underneath: a trial render refuses a
/// syntax error with its part and line and an edit that stops showing a
/// required field; a saved edit is a file under `custom/<locale>/` that the
/// renderer puts over the shipped one; a revert removes it.
@Suite("editing templates: trial, save, revert")
struct TemplateEditingTests {
    /// A copy of the shipped templates, so that the edits land in a temporary folder.
    static func copy() throws -> (TemporaryDirectory, String) {
        let folder = try TemporaryDirectory()
        let path = folder.path + "/templates"
        try FileManager.default.copyItem(atPath: ShippedTemplatesTests.templates, toPath: path)
        return (folder, path)
    }

    static func parts(_ renderer: TemplateRenderer, _ key: String, _ locale: String) -> [String: String] {
        var parts: [String: String] = [:]
        for part in TemplateRenderer.parts { parts[part] = renderer.source(key: key, locale: locale, part: part)?.text }
        return parts
    }

    @Test("an unclosed section is refused with the part, line and column; the shipped text passes unchanged")
    func syntaxError() async throws {
        let (folder, path) = try Self.copy()
        let renderer = try await TemplateRenderer(directory: path, shop: ShippedTemplatesTests.shop)
        var parts = Self.parts(renderer, "order_paid", "bg")
        let trial = try await renderer.trial(key: "order_paid", locale: "bg", parts: parts)
        #expect(trial.subject == "Поръчка № RM-10482 е платена – благодарим Ви!")
        parts["text"] = "{{% CONTENT_TYPE: TEXT}}\nЗдравейте!\n{{#order}}\nПоръчка {{number}}\n"
        do {
            _ = try await renderer.trial(key: "order_paid", locale: "bg", parts: parts)
            Issue.record("an unclosed section was accepted")
        } catch {
            #expect(error.part == "text" && error.line != nil, "\(error)")
            #expect(error.description.hasPrefix("text, line ") && error.reason == "a section is opened and never closed", "\(error)")
        }
        withExtendedLifetime(folder) {}
    }

    @Test("an edit may not include an email (itself: endless recursion) nor nest sections more than 8 deep; the shared pieces are fine")
    func structure() async throws {
        let (folder, path) = try Self.copy()
        let renderer = try await TemplateRenderer(directory: path, shop: ShippedTemplatesTests.shop)
        let shipped = Self.parts(renderer, "order_paid", "en")
        for (html, sentence) in [
            ("<p>\n{{> order_paid.html}}</p>", "html, line 2: {{> order_paid.html}} includes another template"),
            ("{{<order_shipped.html}}{{/order_shipped.html}}", "html, line 1: {{< order_shipped.html}} includes another template"),
            ("{{=<% %>=}}<%> order_paid.html%>", "{{= … =}} (other delimiters) is not allowed"),
            (String(repeating: "{{#order}}", count: 9) + String(repeating: "{{/order}}", count: 9), "sections nest more than 8 deep"),
        ] {
            var parts = shipped
            parts["html"] = html
            do {
                _ = try await renderer.trial(key: "order_paid", locale: "en", parts: parts)
                Issue.record("accepted: \(html)")
            } catch {
                #expect(error.description.contains(sentence), "\(error)")
            }
        }
        var parts = shipped
        parts["html"] = (parts["html"] ?? "") + "{{> partials/button.html}}"
        _ = try await renderer.trial(key: "order_paid", locale: "en", parts: parts)
        withExtendedLifetime(folder) {}
    }

    @Test("an edit that no longer shows a required field (the customer's name) is refused, naming it")
    func droppedField() async throws {
        let (folder, path) = try Self.copy()
        let renderer = try await TemplateRenderer(directory: path, shop: ShippedTemplatesTests.shop)
        var parts = Self.parts(renderer, "order_paid", "en")
        for part in TemplateRenderer.parts {
            parts[part] = parts[part]?.replacingOccurrences(of: "{{customer.name}}", with: "there")
        }
        do {
            _ = try await renderer.trial(key: "order_paid", locale: "en", parts: parts)
            Issue.record("an edit without the customer's name was accepted")
        } catch {
            #expect(error.description.contains("the template no longer shows customer.name, which order_paid requires"), "\(error)")
        }
        withExtendedLifetime(folder) {}
    }

    @Test("a saved edit writes only the changed part under custom/, overrides the shipped one, and revert removes it")
    func saveAndRevert() async throws {
        let (folder, path) = try Self.copy()
        let renderer = try await TemplateRenderer(directory: path, shop: ShippedTemplatesTests.shop)
        var parts = Self.parts(renderer, "order_shipped", "mk")
        parts["subject"] = "{{% CONTENT_TYPE: TEXT}}\nИспратено & на пат: {{order.number}}\n"
        try renderer.saveEdit(key: "order_shipped", locale: "mk", parts: parts)
        let custom = "\(path)/custom/mk"
        #expect(try FileManager.default.contentsOfDirectory(atPath: custom) == ["order_shipped.subject.mustache"])

        let reloaded = try await TemplateRenderer(directory: path, shop: ShippedTemplatesTests.shop)
        #expect(!reloaded.locales.contains("custom"))
        #expect(reloaded.isEdited(key: "order_shipped", locale: "mk") && !reloaded.isEdited(key: "order_shipped", locale: "bg"))
        #expect(reloaded.source(key: "order_shipped", locale: "mk", part: "subject")?.edited == true)
        let data = try reloaded.sample("order_shipped")
        let number = try #require((data["order"] as? [String: Any])?["number"] as? String)
        #expect(try reloaded.render("order_shipped", locale: "mk", data: data).subject == "Испратено & на пат: \(number)")
        #expect(try reloaded.render("order_shipped", locale: "bg", data: data).subject != "Испратено & на пат: \(number)")

        try reloaded.revertEdit(key: "order_shipped", locale: "mk")
        let reverted = try await TemplateRenderer(directory: path, shop: ShippedTemplatesTests.shop)
        #expect(!reverted.isEdited(key: "order_shipped", locale: "mk"))
        #expect(try reverted.render("order_shipped", locale: "mk", data: data).subject
            == (try renderer.render("order_shipped", locale: "mk", data: data).subject))
        withExtendedLifetime(folder) {}
    }

    @Test("an edited file that does not parse stops the load, naming the file and line")
    func brokenCustomFile() async throws {
        let (folder, path) = try Self.copy()
        try FileManager.default.createDirectory(atPath: "\(path)/custom/en", withIntermediateDirectories: true)
        try "Hello {{#order}}\n".write(toFile: "\(path)/custom/en/order_paid.text.mustache", atomically: true, encoding: .utf8)
        do {
            _ = try await TemplateRenderer(directory: path, shop: ShippedTemplatesTests.shop)
            Issue.record("a broken edited file loaded")
        } catch {
            #expect(error.description.contains("custom/en/order_paid.text.mustache:"), "\(error)")
        }
        withExtendedLifetime(folder) {}
    }
}
