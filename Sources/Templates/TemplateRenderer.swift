public import Foundation
import Mustache

/// Renders a template key in a locale: subject, text and HTML, from the
/// shop's JSON, the schema's checks and the locale's formatting.
///
/// Loaded once from `conf/templates/`: every locale folder becomes one
/// Mustache library (names relative to the folder, so a locale folder can be
/// copied to make another), `schema/` says what each key needs, and files
/// under `custom/<locale>/` (the owner's edits) replace the shipped ones of
/// the same name.
public struct TemplateRenderer: Sendable {
    /// Subject, text and HTML of one rendered mail.
    public struct Rendered: Sendable, Hashable {
        public var subject: String
        public var text: String
        public var html: String
        /// The locale actually used (after falling back).
        public var locale: String
        public var kind: TemplateSchema.Kind
    }

    public let directory: String
    public let shop: ShopIdentity
    /// Used when a message asks for a locale there are no templates for.
    public let defaultLocale: String
    private let libraries: [String: MustacheLibrary]
    /// The shipped templates of the locales the owner edited (before the
    /// edits): an edit is checked against them.
    private let shipped: [String: MustacheLibrary]
    /// The libraries compiled for rendering (see `CompiledLibrary`); a
    /// library that cannot be compiled renders through swift-mustache.
    private let compiled: [String: CompiledLibrary]
    private let schemas: [String: TemplateSchema]
    /// One per locale, made once: a locale and a time zone are not free to build.
    private let formatting: [String: TemplateFormatting]

    /// The locales with templates, sorted.
    public var locales: [String] { libraries.keys.sorted() }
    /// The template keys, sorted.
    public var keys: [String] { schemas.keys.sorted() }

    public init(directory: String, shop: ShopIdentity, defaultLocale: String = "en") async throws(TemplateError) {
        try await self.init(directory: directory, shop: shop, defaultLocale: defaultLocale, compile: true)
    }

    /// `compile: false` renders through swift-mustache alone: the tests
    /// compare the two engines byte for byte.
    init(directory: String, shop: ShopIdentity, defaultLocale: String, compile: Bool) async throws(TemplateError) {
        self.directory = directory
        self.shop = shop
        self.defaultLocale = defaultLocale
        var schemas: [String: TemplateSchema] = [:]
        let schemaDirectory = directory + "/schema"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: schemaDirectory)) ?? []
        for file in files.sorted() where file.hasSuffix(".json") {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: "\(schemaDirectory)/\(file)"))
                let schema = try JSONDecoder().decode(TemplateSchema.self, from: data)
                schemas[schema.key] = schema
            } catch {
                throw .cannotLoad(locale: "schema", reason: "\(schemaDirectory)/\(file): \(error)")
            }
        }
        var libraries: [String: MustacheLibrary] = [:]
        for folder in Self.folders(in: directory) where !["schema", "samples", Self.customFolder].contains(folder) {
            libraries[folder] = try await Self.library(in: "\(directory)/\(folder)", locale: folder)
        }
        // The owner's edits (the console writes them) override the shipped files one by one.
        var shipped: [String: MustacheLibrary] = [:]
        for locale in Self.folders(in: "\(directory)/\(Self.customFolder)") {
            shipped[locale] = libraries[locale]
            var library = libraries[locale] ?? MustacheLibrary()
            for (name, template) in try Self.templates(in: "\(directory)/\(Self.customFolder)/\(locale)", locale: locale) {
                library.register(template, named: name)
            }
            libraries[locale] = library
        }
        self.schemas = schemas
        self.libraries = libraries
        self.shipped = shipped
        compiled = compile ? libraries.compactMapValues(CompiledLibrary.init) : [:]
        formatting = Dictionary(uniqueKeysWithValues: libraries.keys.map { ($0, TemplateFormatting(localeCode: $0)) })
    }

    public func schema(_ key: String) -> TemplateSchema? { schemas[key] }

    /// The library of one locale as loaded (shipped files and the owner's edits).
    func library(for locale: String) -> MustacheLibrary? { libraries[locale] }

    /// The library of one locale as shipped, without the owner's edits.
    func shippedLibrary(for locale: String) -> MustacheLibrary? { shipped[locale] ?? libraries[locale] }

    /// The sub-folders of `directory`, sorted; none when it does not exist.
    static func folders(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted().filter { folder in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(directory)/\(folder)", isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
    }

    /// The `.mustache` files of a folder as one library, named without the extension.
    static func library(in folder: String, locale: String) async throws(TemplateError) -> MustacheLibrary {
        do {
            return try await MustacheLibrary(directory: folder)
        } catch let error as MustacheLibrary.ParserError {
            throw .cannotLoad(
                locale: locale,
                reason: "\(error.filename):\(error.context.lineNumber):\(error.context.columnNumber): \(error.error)")
        } catch {
            throw .cannotLoad(locale: locale, reason: "\(error)")
        }
    }

    /// The `.mustache` files of a folder, parsed, by name without the extension.
    static func templates(in folder: String, locale: String) throws(TemplateError) -> [(String, MustacheTemplate)] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        var templates: [(String, MustacheTemplate)] = []
        for file in files where file.hasSuffix(".mustache") {
            let path = "\(folder)/\(file)"
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw .cannotLoad(locale: locale, reason: "\(path): cannot read it as UTF-8")
            }
            do {
                templates.append((String(file.dropLast(".mustache".count)), try MustacheTemplate(string: text)))
            } catch let error as MustacheTemplate.ParserError {
                throw .cannotLoad(
                    locale: locale, reason: "\(path):\(error.context.lineNumber):\(error.context.columnNumber): \(error.error)")
            } catch {
                throw .cannotLoad(locale: locale, reason: "\(path): \(error)")
            }
        }
        return templates
    }

    /// Money and dates as `locale` writes them (kept per locale: a locale and a time zone are not free to build).
    public func formatting(for locale: String) -> TemplateFormatting {
        formatting[locale] ?? TemplateFormatting(localeCode: locale)
    }

    /// The locale to render in: the one asked for if it has templates, else
    /// the default, else `en`, else any.
    public func locale(for requested: String?) -> String {
        for candidate in [requested, defaultLocale, "en"].compactMap({ $0?.lowercased() }) where libraries[candidate] != nil {
            return candidate
        }
        return locales.first ?? defaultLocale
    }

    /// Renders a template that is not a mail of its own — `enrichment.html`,
    /// `wrapped.text` — with the same context a key gets (shop, locale,
    /// `_formatted` amounts, `has_…` flags), in `locale` after falling back.
    public func renderFragment(
        _ name: String, locale requested: String?, data: [String: Any], now: Date = Date()
    ) throws(TemplateError) -> String {
        let locale = locale(for: requested)
        let render = try engine(locale: locale, data: data, unsubscribeURL: nil, now: now)
        guard let text = render(name) else { throw .fragmentMissing(name: name, locale: locale) }
        return text
    }

    /// Renders templates of `locale` by name from `data` and the context
    /// every template gets: compiled when the locale could be, else through swift-mustache.
    private func engine(
        locale: String, data: [String: Any], unsubscribeURL: String?, now: Date
    ) throws(TemplateError) -> (String) -> String? {
        guard let library = libraries[locale] else { throw .cannotLoad(locale: locale, reason: "no templates") }
        let builder = TemplateContext(shop: shop, formatting: formatting(for: locale), localeCode: locale)
        if let compiled = compiled[locale] {
            let context = builder.value(data, unsubscribeURL: unsubscribeURL, now: now)
            return { compiled.render(context, withTemplate: $0) }
        }
        let context = builder.build(data, unsubscribeURL: unsubscribeURL, now: now)
        return { library.render(context, withTemplate: $0) }
    }

    /// Renders `key` from `data` (the shop's JSON object).
    public func render(
        _ key: String, locale requested: String?, data: [String: Any], unsubscribeURL: String? = nil, now: Date = Date()
    ) throws(TemplateError) -> Rendered {
        guard let schema = schemas[key] else { throw .unknownKey(key) }
        let missing = schema.missingFields(in: data)
        guard missing.isEmpty else { throw .missingFields(key: key, fields: missing) }
        let locale = locale(for: requested)
        let render = try engine(locale: locale, data: data, unsubscribeURL: unsubscribeURL, now: now)
        func part(_ name: String) throws(TemplateError) -> String {
            guard let text = render("\(key).\(name)") else {
                throw .templateMissing(key: key, locale: locale, part: name)
            }
            return text
        }
        let subject = Self.oneLine(try part("subject"))
        guard !subject.isEmpty else { throw .emptySubject(key: key, locale: locale) }
        return Rendered(
            subject: subject, text: try part("text"), html: try part("html"), locale: locale, kind: schema.kind)
    }

    /// The lines of `text`, trimmed of `CharacterSet.whitespaces` (by
    /// scalar, as `trimmingCharacters(in:)`, without the trip through
    /// NSString), empty ones left out, joined by spaces.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { line -> Substring.UnicodeScalarView.SubSequence in
            let scalars = line.unicodeScalars
            var start = scalars.startIndex
            var end = scalars.endIndex
            while start < end, CharacterSet.whitespaces.contains(scalars[start]) { start = scalars.index(after: start) }
            while end > start, CharacterSet.whitespaces.contains(scalars[scalars.index(before: end)]) {
                end = scalars.index(before: end)
            }
            return scalars[start..<end]
        }.filter { !$0.isEmpty }.map { String($0) }.joined(separator: " ")
    }
}
