import Foundation
import Mustache
import Testing

@testable import Templates

/// The compiled renderer must write exactly what swift-mustache writes:
/// every shipped key in every locale, the enrichment fragments, and a set
/// of edge cases (partial indentation, CRLF, inheritance, numbers and
/// booleans, null, dotted names, escaping next to Cyrillic and combining
/// marks). If swift-mustache changed how it renders, this fails.
@Suite("compiled templates render as swift-mustache does")
struct CompiledTemplatesTests {
    static let edgeCases = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/EngineEdgeCases"

    @Test("every key × locale with its sample, with and without an unsubscribe link, and the fragments: the same bytes")
    func shippedTemplates() async throws {
        let directory = ShippedTemplatesTests.templates
        let compiled = try await TemplateRenderer(directory: directory, shop: ShippedTemplatesTests.shop, defaultLocale: "en", compile: true)
        let reference = try await TemplateRenderer(directory: directory, shop: ShippedTemplatesTests.shop, defaultLocale: "en", compile: false)
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        var compared = 0
        for key in compiled.keys {
            let sample = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/samples/\(key).json"))
            let data = try #require(try JSONSerialization.jsonObject(with: sample) as? [String: Any])
            for locale in compiled.locales {
                for unsubscribe in [nil, "https://romashka.example/u/abc"] {
                    let fast = try compiled.render(key, locale: locale, data: data, unsubscribeURL: unsubscribe, now: now)
                    let slow = try reference.render(key, locale: locale, data: data, unsubscribeURL: unsubscribe, now: now)
                    #expect(fast == slow, "\(locale)/\(key) differs")
                    compared += 1
                }
            }
        }
        let sample = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/samples/enrichment.json"))
        let data = try #require(try JSONSerialization.jsonObject(with: sample) as? [String: Any])
        for locale in compiled.locales {
            for fragment in ["enrichment.html", "enrichment.text", "wrapped.html", "wrapped.text"] {
                let fast = try compiled.renderFragment(fragment, locale: locale, data: data, now: now)
                #expect(fast == (try reference.renderFragment(fragment, locale: locale, data: data, now: now)), "\(locale)/\(fragment)")
                compared += 1
            }
        }
        #expect(compared == 33 * 3 * 2 + 12)
    }

    @Test("edge cases: each template of the set, the same bytes from both engines")
    func edgeCases() async throws {
        let directory = Self.edgeCases + "/lib"
        let data = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.edgeCases + "/data.json"))) as? [String: Any])
        let library = try await MustacheLibrary(directory: directory)
        let compiled = try #require(CompiledLibrary(library), "the library could not be compiled")
        let names = (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(".mustache".count)) }.sorted()
        #expect(names.count >= 10, "\(names)")
        for name in names {
            let expected = try #require(library.render(data, withTemplate: name))
            #expect(compiled.render(ContextValue(data), withTemplate: name) == expected, "\(name) differs")
        }
    }

    @Test("a library using a transform is not compiled: it renders through swift-mustache")
    func transformsFallBack() async throws {
        let library = try await MustacheLibrary(directory: Self.edgeCases + "/tx")
        #expect(CompiledLibrary(library) == nil)
    }
}
