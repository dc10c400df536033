public import Foundation
import Mustache

/// What the web console's template editor needs: a key's sources as in
/// force, a trial render of edited sources with the key's sample data, the
/// checks a save must pass, and the files the edits are kept in
/// (`custom/<locale>/<key>.<part>.mustache`, which override the shipped ones).
extension TemplateRenderer {
    /// The folder under the templates folder that holds the owner's edits.
    public static let customFolder = "custom"
    /// The parts of a mail template, in the order an editor shows them.
    public static let parts = ["subject", "text", "html"]

    /// The key's sample data (`samples/<key>.json`), which previews and test mails use.
    public func sample(_ key: String) throws(TemplateError) -> [String: Any] {
        let path = "\(directory)/samples/\(key).json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .cannotLoad(locale: "samples", reason: "cannot read \(path)")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .cannotLoad(locale: "samples", reason: "\(path) is not a JSON object")
        }
        return object
    }

    /// One part's source as the daemon uses it: the owner's edit if there
    /// is one (`edited`), else the shipped file; nil when neither exists.
    public func source(key: String, locale: String, part: String) -> (text: String, edited: Bool)? {
        let name = "\(key).\(part).mustache"
        if let text = Self.read("\(directory)/\(Self.customFolder)/\(locale)/\(name)") { return (text, true) }
        return Self.read("\(directory)/\(locale)/\(name)").map { ($0, false) }
    }

    /// Whether the owner edited any part of the key in the locale.
    public func isEdited(key: String, locale: String) -> Bool {
        Self.parts.contains { FileManager.default.fileExists(atPath: customPath(key: key, locale: locale, part: $0)) }
    }

    /// Renders `key` in `locale` with `parts` (subject, text, html) in
    /// place of the files, from the key's sample data, and checks it as a
    /// save must: each part parses, the subject is not empty, and every
    /// required field the shipped template shows is still shown.
    public func trial(key: String, locale: String, parts: [String: String]) async throws(TemplateEditError) -> Rendered {
        guard let schema = schema(key) else { throw .init(part: nil, reason: TemplateError.unknownKey(key).description) }
        guard var library = library(for: locale) else {
            throw .init(part: nil, reason: "there are no \(locale) templates")
        }
        for part in Self.parts {
            guard let text = parts[part] else { continue }
            try Self.checkStructure(text, part: part)
            do {
                library.register(try MustacheTemplate(string: text), named: "\(key).\(part)")
            } catch let error as MustacheTemplate.ParserError {
                throw .init(
                    part: part, line: error.context.lineNumber, column: error.context.columnNumber,
                    reason: Self.sentence(error.error), lineText: String(error.context.line))
            } catch {
                throw .init(part: part, reason: "\(error)")
            }
        }
        let data: [String: Any]
        do { data = try sample(key) } catch { throw .init(part: nil, reason: error.description) }
        let rendered = try render(key, locale: locale, data: data, library: library, schema: schema)
        // The shipped template is the yardstick: the required text fields it
        // shows, an edit must show too. Each is given a value of its own (a
        // marker), so that one showing up inside another (a name inside the
        // address) does not hide that it was dropped.
        guard let shipped = shippedLibrary(for: locale) else { throw .init(part: nil, reason: "there are no \(locale) templates") }
        var marked = data
        var markers: [(path: String, marker: String)] = []
        for (index, path) in schema.required.enumerated() where TemplateSchema.value(at: path, in: data) is String {
            let marker = "[[poshta-required-\(index)]]"
            Self.set(marker, at: path.split(separator: ".").map(String.init), in: &marked)
            markers.append((path, marker))
        }
        let before = try render(key, locale: locale, data: marked, library: shipped, schema: schema).all
        let after = try render(key, locale: locale, data: marked, library: library, schema: schema).all
        for (path, marker) in markers where before.contains(marker) && !after.contains(marker) {
            throw .init(part: nil, reason: "the template no longer shows \(path), which \(key) requires (the shipped one does)")
        }
        return rendered
    }

    /// Sections may nest this deep in an edit (the shipped templates need 4):
    /// each level can multiply the work by a list's length.
    static let maximumNesting = 8

    /// What the parser accepts but must not come from an editor: including
    /// a template that is not one of the shared pieces (`layout.*`,
    /// `partials/*`) — an email including itself or another email could
    /// recurse until the daemon's stack runs out — and sections nested
    /// deeper than `maximumNesting`; and other delimiters, which would hide
    /// tags from this check.
    static func checkStructure(_ text: String, part: String) throws(TemplateEditError) {
        var depth = 0
        var line = 1
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            line += rest[..<open.lowerBound].filter(\.isNewline).count
            rest = rest[open.upperBound...]
            let tag = rest.prefix { $0 != "}" }
            let body = tag.drop { $0 == " " }
            switch body.first {
            case "#", "^", "$":
                depth += 1
            case "<":
                depth += 1
                fallthrough
            case ">":
                let name = body.dropFirst().trimmingCharacters(in: .whitespaces)
                guard name.hasPrefix("partials/") || name.hasPrefix("layout.") else {
                    throw TemplateEditError(
                        part: part, line: line,
                        reason: "{{\(body.first!) \(name)}} includes another template; an email may include only layout.* and partials/*")
                }
            case "/":
                depth -= 1
            case "=":
                // New delimiters would hide the tags from this check.
                throw TemplateEditError(part: part, line: line, reason: "{{= … =}} (other delimiters) is not allowed in an edit")
            default:
                break
            }
            if depth > maximumNesting {
                throw TemplateEditError(part: part, line: line, reason: "sections nest more than \(maximumNesting) deep")
            }
        }
    }

    /// Sets a value at a dotted path of nested objects.
    private static func set(_ value: String, at path: [String], in object: inout [String: Any]) {
        guard let first = path.first else { return }
        if path.count == 1 {
            object[first] = value
        } else if var inner = object[first] as? [String: Any] {
            set(value, at: Array(path.dropFirst()), in: &inner)
            object[first] = inner
        }
    }

    /// Keeps the owner's edit: the parts that differ from the shipped
    /// files are written (atomically) under `custom/<locale>/`, the others
    /// removed there. The daemon's reload picks them up.
    public func saveEdit(key: String, locale: String, parts: [String: String]) throws {
        let folder = "\(directory)/\(Self.customFolder)/\(locale)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for part in Self.parts {
            guard let text = parts[part] else { continue }
            let path = customPath(key: key, locale: locale, part: part)
            if Self.read("\(directory)/\(locale)/\(key).\(part).mustache") == text {
                if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            } else {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            }
        }
    }

    /// Back to the shipped template: the key's edited files in the locale are removed.
    public func revertEdit(key: String, locale: String) throws {
        for part in Self.parts {
            let path = customPath(key: key, locale: locale, part: part)
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        }
    }

    private func customPath(key: String, locale: String, part: String) -> String {
        "\(directory)/\(Self.customFolder)/\(locale)/\(key).\(part).mustache"
    }

    private func render(
        _ key: String, locale: String, data: [String: Any], library: MustacheLibrary, schema: TemplateSchema
    ) throws(TemplateEditError) -> Rendered {
        let context = TemplateContext(shop: shop, formatting: formatting(for: locale), localeCode: locale)
            .build(data, unsubscribeURL: "\(shop.url)/unsubscribe", now: Date())
        func part(_ name: String) throws(TemplateEditError) -> String {
            guard let text = library.render(context, withTemplate: "\(key).\(name)") else {
                throw .init(part: name, reason: TemplateError.templateMissing(key: key, locale: locale, part: name).description)
            }
            return text
        }
        let subject = Self.oneLine(try part("subject"))
        guard !subject.isEmpty else { throw .init(part: "subject", reason: "the subject is empty once rendered") }
        return Rendered(subject: subject, text: try part("text"), html: try part("html"), locale: locale, kind: schema.kind)
    }

    private static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// swift-mustache's parser errors as words.
    private static func sentence(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: "a section is closed with another name than it was opened with"
        case .unfinishedName?: "a tag is not finished (}} missing?)"
        case .expectedSectionEnd?: "a section is opened and never closed"
        default: "\(error)"
        }
    }
}

extension TemplateRenderer.Rendered {
    /// Subject, text and HTML together, to look for what they show.
    var all: String { subject + "\n" + text + "\n" + html }
}

/// Why an edited template is refused: the part and line when the parser
/// knows them, and a sentence.
public struct TemplateEditError: Error, Sendable, CustomStringConvertible {
    /// "subject", "text" or "html"; nil when the whole template is at fault.
    public var part: String?
    public var line: Int?
    public var column: Int?
    public var reason: String
    /// The text of the line at fault, when known.
    public var lineText: String?

    public init(part: String?, line: Int? = nil, column: Int? = nil, reason: String, lineText: String? = nil) {
        self.part = part
        self.line = line
        self.column = column
        self.reason = reason
        self.lineText = lineText
    }

    public var description: String {
        var text = part.map { "\($0)" } ?? ""
        if let line { text += text.isEmpty ? "line \(line)" : ", line \(line)" }
        if let column { text += ", column \(column)" }
        return text.isEmpty ? reason : "\(text): \(reason)"
    }
}
