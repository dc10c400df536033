import Foundation
import Mustache

/// A locale's Mustache library, compiled once for fast rendering.
///
/// swift-mustache parses the templates (so parsing, whitespace and
/// standalone-tag rules, partials and inheritance stay exactly its own);
/// its tokens are read once, through `Mirror`, into nodes that render
/// straight into a byte buffer from a typed context tree (`ContextValue`).
/// Rendering in swift-mustache itself walks an `[Any]` stack with several
/// dynamic casts per name, splits every dotted name on every lookup and
/// HTML-escapes Character by Character; this does none of that and gives
/// the same bytes.
///
/// `init` returns nil when the library uses what is not compiled
/// (transforms such as `{{uppercased(name)}}`) or when swift-mustache's
/// internals no longer look as expected: the renderer then keeps
/// rendering through swift-mustache.
struct CompiledLibrary: Sendable {
    private let templates: [String: CompiledTemplate]

    init?(_ library: MustacheLibrary) {
        guard let source = Reflect.child("templates", of: library) as? [String: MustacheTemplate] else { return nil }
        var templates: [String: CompiledTemplate] = [:]
        for (name, template) in source {
            guard let compiled = CompiledTemplate(template) else { return nil }
            templates[name] = compiled
        }
        self.templates = templates
    }

    func render(_ root: ContextValue, withTemplate name: String) -> String? {
        guard let template = templates[name] else { return nil }
        var renderer = Renderer(library: self)
        var output = ""
        output.reserveCapacity(32 * 1024)
        renderer.stack.append(root)
        renderer.render(template, context: .init(indentation: nil, inherited: nil, contentType: .html), into: &output)
        return output
    }

    fileprivate func template(named name: String) -> CompiledTemplate? { templates[name] }
}

/// What a template renders from: the shop's JSON as typed values.
enum ContextValue {
    case object([String: ContextValue])
    case list([ContextValue])
    case string(String)
    /// A JSON number or boolean: printed as swift-mustache prints it
    /// (`String(describing:)`: `64.0` stays `64.0`, `true` is `1`); in
    /// sections, one that casts to `Bool` (0, 1, true, false) is a flag.
    case number(NSNumber)
    /// Another value (from Swift callers): see `Scalar`.
    case scalar(Scalar)
    /// JSON null: found (so lookups stop climbing) but empty.
    case null

    /// A value other than a string or NSNumber, with swift-mustache's view
    /// of it, worked out when a template first asks: what `{{name}}` prints
    /// (`String(describing:)`) and whether it casts to `Bool` (swift-mustache
    /// takes such a value as a flag in sections).
    final class Scalar {
        let value: Any
        private var cachedText: String?
        private var cachedBool: Bool??

        init(_ value: Any) { self.value = value }

        var text: String {
            if let cachedText { return cachedText }
            let text = String(describing: value)
            cachedText = text
            return text
        }

        var bool: Bool? {
            if let cachedBool { return cachedBool }
            let bool = value as? Bool
            cachedBool = .some(bool)
            return bool
        }
    }

    /// Any value as swift-mustache would see it (JSON objects, lists, NSNull, scalars).
    init(_ value: Any) {
        let kind = type(of: value)
        if kind == String.self {
            self = .string(value as! String)
        } else if kind is NSNumber.Type {
            self = .number(value as! NSNumber)
        } else if let object = value as? [String: Any] {
            self = .object(object.mapValues(ContextValue.init))
        } else if let list = value as? [Any] {
            self = .list(list.map(ContextValue.init))
        } else if value is NSNull {
            self = .null
        } else if let string = value as? String {
            self = .string(string)
        } else {
            self = .scalar(Scalar(value))
        }
    }
}

/// One template's tokens, as nodes.
final class CompiledTemplate: @unchecked Sendable {
    enum ContentType {
        case html, text
        case other(any MustacheContentType)

        init(_ contentType: any MustacheContentType) {
            switch String(describing: type(of: contentType)) {
            case "HTMLContentType": self = .html
            case "TextContentType": self = .text
            default: self = .other(contentType)
            }
        }
    }

    /// A variable name: `.`, `.name` (the top of the stack only) or `a.b` (first found up the stack).
    struct Name {
        let names: [String]
        let anchored: Bool
        let isDot: Bool

        init(_ name: String) {
            isDot = name == "."
            anchored = name.first == "."
            names = name.split(separator: ".").map(String.init)
        }
    }

    enum Node {
        case text(String)
        case variable(Name, escaped: Bool)
        case section(Name, CompiledTemplate)
        case invertedSection(Name, CompiledTemplate)
        case blockExpansion(String, CompiledTemplate, indentation: String?)
        case partial(String, indentation: String?, inherits: [String: CompiledTemplate]?)
        case dynamicPartial(Name, indentation: String?, inherits: [String: CompiledTemplate]?)
        case contentType(ContentType)
    }

    let nodes: [Node]

    init?(_ template: MustacheTemplate) {
        guard let tokens = Reflect.child("tokens", of: template) as? [Any] else { return nil }
        var nodes: [Node] = []
        nodes.reserveCapacity(tokens.count)
        for token in tokens {
            guard let node = Self.node(token) else { return nil }
            nodes.append(node)
        }
        self.nodes = nodes
    }

    private static func node(_ token: Any) -> Node? {
        let mirror = Mirror(reflecting: token)
        guard mirror.displayStyle == .enum, let payload = mirror.children.first, let kind = payload.label else {
            return nil
        }
        let fields = Mirror(reflecting: payload.value).children.map(\.value)
        func name() -> String? { fields.first as? String }
        func noTransforms() -> Bool { (fields.dropFirst().first as? [String])?.isEmpty == true }
        func template(_ value: Any?) -> CompiledTemplate? { (value as? MustacheTemplate).flatMap(CompiledTemplate.init) }
        func inherits(_ value: Any?) -> [String: CompiledTemplate]?? {
            guard let value else { return nil }
            if Mirror(reflecting: value).displayStyle == .optional, Mirror(reflecting: value).children.isEmpty {
                return .some(nil)
            }
            guard let templates = value as? [String: MustacheTemplate] else { return nil }
            var result: [String: CompiledTemplate] = [:]
            for (name, template) in templates {
                guard let compiled = CompiledTemplate(template) else { return nil }
                result[name] = compiled
            }
            return .some(result)
        }
        func indentation(_ value: Any?) -> String?? {
            guard let value else { return nil }
            if let string = value as? String { return .some(string) }
            if Mirror(reflecting: value).displayStyle == .optional, Mirror(reflecting: value).children.isEmpty {
                return .some(nil)
            }
            return nil
        }
        switch kind {
        case "text":
            guard let text = payload.value as? String else { return nil }
            return .text(text)
        case "variable", "unescapedVariable":
            guard let name = name(), noTransforms() else { return nil }
            return .variable(Name(name), escaped: kind == "variable")
        case "section", "invertedSection":
            guard let name = name(), noTransforms(), fields.count == 3, let body = template(fields[2]) else { return nil }
            return kind == "section" ? .section(Name(name), body) : .invertedSection(Name(name), body)
        case "blockExpansion":
            guard fields.count == 3, let name = name(), let body = template(fields[1]),
                let indentation = indentation(fields[2])
            else { return nil }
            return .blockExpansion(name, body, indentation: indentation)
        case "partial", "dynamicNamePartial":
            guard fields.count == 3, let name = name(), let indentation = indentation(fields[1]),
                let inherits = inherits(fields[2])
            else { return nil }
            return kind == "partial"
                ? .partial(name, indentation: indentation, inherits: inherits)
                : .dynamicPartial(Name(name), indentation: indentation, inherits: inherits)
        case "contentType":
            guard let contentType = payload.value as? any MustacheContentType else { return nil }
            return .contentType(ContentType(contentType))
        default:
            // blockDefinition only appears inside `{{< }}`; anything else is new.
            return nil
        }
    }
}

/// Renders compiled templates as swift-mustache 2.1 renders its own
/// (Template+Render.swift), for values of a `ContextValue` tree.
private struct Renderer {
    struct Context {
        var indentation: String?
        var inherited: [String: CompiledTemplate]?
        var contentType: CompiledTemplate.ContentType
    }

    let library: CompiledLibrary
    var stack: [ContextValue] = []

    mutating func render(_ template: CompiledTemplate, context: Context, into output: inout String) {
        var context = context
        if let indentation = context.indentation, !indentation.isEmpty {
            // swift-mustache: before a token's non-empty output, indent if this
            // template's output so far ends with a "\n" Character.
            let start = output.utf8.count
            for node in template.nodes {
                let before = output.utf8.count
                render(node, context: &context, into: &output)
                guard output.utf8.count > before, before > start else { continue }
                let utf8 = output.utf8
                let last = utf8.index(utf8.startIndex, offsetBy: before - 1)
                if utf8[last] == 0x0A, !(before - 2 >= start && utf8[utf8.index(before: last)] == 0x0D) {
                    output.insert(contentsOf: indentation, at: utf8.index(after: last))
                }
            }
        } else {
            for node in template.nodes {
                render(node, context: &context, into: &output)
            }
        }
    }

    private mutating func render(_ node: CompiledTemplate.Node, context: inout Context, into output: inout String) {
        switch node {
        case .text(let text):
            output += text
        case .variable(let name, let escaped):
            guard let value = lookup(name) else { return }
            let text: String
            switch value {
            case .string(let string): text = string
            case .number(let number): text = String(describing: number)
            case .scalar(let scalar): text = scalar.text
            case .object, .list: text = String(describing: Self.any(value))
            case .null: return
            }
            if escaped {
                Self.append(text, escapedFor: context.contentType, to: &output)
            } else {
                output += text
            }
        case .section(let name, let body):
            switch lookup(name) {
            case .list(let elements):
                for element in elements {
                    stack.append(element)
                    render(body, context: context.forObject(), into: &output)
                    stack.removeLast()
                }
            case .scalar(let scalar) where scalar.bool != nil:
                if scalar.bool == true { render(body, context: context, into: &output) }
            case .number(let number) where (number as Any as? Bool) != nil:
                if number as Any as? Bool == true { render(body, context: context, into: &output) }
            case .some(let value):
                stack.append(value)
                render(body, context: context.forObject(), into: &output)
                stack.removeLast()
            case .none:
                break
            }
        case .invertedSection(let name, let body):
            switch lookup(name) {
            case .list(let elements):
                if elements.isEmpty {
                    stack.append(.list(elements))
                    render(body, context: context.forObject(), into: &output)
                    stack.removeLast()
                }
            case .scalar(let scalar) where scalar.bool != nil:
                if scalar.bool == false { render(body, context: context, into: &output) }
            case .number(let number) where (number as Any as? Bool) != nil:
                if number as Any as? Bool == false { render(body, context: context, into: &output) }
            case .some:
                break
            case .none:
                render(body, context: context, into: &output)
            }
        case .blockExpansion(let name, let body, let indented):
            var expansion = context
            if let indented { expansion.indentation = (context.indentation ?? "") + indented }
            render(context.inherited?[name] ?? body, context: expansion, into: &output)
        case .partial(let name, let indented, let inherits):
            guard let template = library.template(named: name) else { return }
            render(template, context: context.forPartial(indented: indented, inheriting: inherits), into: &output)
        case .dynamicPartial(let name, let indented, let inherits):
            guard case .string(let partial) = lookup(name), let template = library.template(named: partial)
            else { return }
            render(template, context: context.forPartial(indented: indented, inheriting: inherits), into: &output)
        case .contentType(let contentType):
            context.contentType = contentType
        }
    }

    /// swift-mustache's `getChild`: `.` is the top of the stack; `.a.b` starts
    /// there; `a.b` starts at the nearest object in the stack that has `a`
    /// (JSON null counts as having it). Null comes back as nil.
    private func lookup(_ name: CompiledTemplate.Name) -> ContextValue? {
        var value: ContextValue
        if name.isDot {
            value = stack[stack.count - 1]
        } else if name.anchored {
            value = stack[stack.count - 1]
            for component in name.names {
                guard let child = Self.child(component, of: value) else { return nil }
                value = child
            }
        } else {
            guard let first = name.names.first else { return nil }
            var found: ContextValue?
            for object in stack.reversed() {
                if let child = Self.child(first, of: object) {
                    found = child
                    break
                }
            }
            guard var current = found else { return nil }
            for component in name.names.dropFirst() {
                guard let child = Self.child(component, of: current) else { return nil }
                current = child
            }
            value = current
        }
        if case .null = value { return nil }
        return value
    }

    private static func child(_ name: String, of value: ContextValue) -> ContextValue? {
        switch value {
        case .object(let fields):
            return fields[name]
        case .number(let number):
            // swift-mustache looks inside other values with Mirror.
            return Reflect.value(name, of: number).map(ContextValue.init)
        case .scalar(let scalar):
            return Reflect.value(name, of: scalar.value).map(ContextValue.init)
        case .string, .list, .null:
            return nil
        }
    }

    /// For `{{object}}`: what swift-mustache would describe.
    private static func any(_ value: ContextValue) -> Any {
        switch value {
        case .object(let fields): fields.mapValues(any)
        case .list(let elements): elements.map(any)
        case .string(let string): string
        case .number(let number): number
        case .scalar(let scalar): scalar.value
        case .null: NSNull()
        }
    }

    static func append(_ text: String, escapedFor contentType: CompiledTemplate.ContentType, to output: inout String) {
        switch contentType {
        case .text:
            output += text
        case .other(let contentType):
            output += contentType.escapeText(text)
        case .html:
            // Most values need no escaping, and a character to escape
            // between ASCII neighbours is a Character of its own; only
            // otherwise go Character by Character, as swift-mustache does
            // (a "<" that a combining mark follows is another Character, and stays).
            let simple: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
                var found = false
                for index in bytes.indices where Self.escapes(bytes[index]) {
                    found = true
                    if index > 0, bytes[index - 1] >= 0x80 { return false }
                    if index + 1 < bytes.count, bytes[index + 1] >= 0x80 { return false }
                }
                return found ? true : nil
            } ?? false
            switch simple {
            case nil:
                output += text
            case true?:
                let utf8 = text.utf8
                var start = utf8.startIndex
                var index = start
                while index != utf8.endIndex {
                    let byte = utf8[index]
                    if Self.escapes(byte) {
                        output += text[start..<index]
                        output += Self.entity(byte)
                        index = utf8.index(after: index)
                        start = index
                    } else {
                        index = utf8.index(after: index)
                    }
                }
                output += text[start..<utf8.endIndex]
            case false?:
                for character in text {
                    switch character {
                    case "<": output += "&lt;"
                    case ">": output += "&gt;"
                    case "&": output += "&amp;"
                    case "\"": output += "&quot;"
                    case "'": output += "&#39;"
                    default: output.append(character)
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func escapes(_ byte: UInt8) -> Bool {
        byte == 0x3C || byte == 0x3E || byte == 0x26 || byte == 0x22 || byte == 0x27
    }

    private static func entity(_ byte: UInt8) -> String {
        switch byte {
        case 0x3C: "&lt;"
        case 0x3E: "&gt;"
        case 0x26: "&amp;"
        case 0x22: "&quot;"
        default: "&#39;"
        }
    }
}

extension Renderer.Context {
    /// A section's object pushed (swift-mustache's `withObject`/`withSequence`).
    fileprivate func forObject() -> Self { self }

    fileprivate func forPartial(indented: String?, inheriting: [String: CompiledTemplate]?) -> Self {
        var indentation = self.indentation
        if let indented { indentation = (self.indentation ?? "") + indented }
        var inherited = self.inherited
        if let inheriting {
            inherited = self.inherited.map { $0.merging(inheriting) { value, _ in value } } ?? inheriting
        }
        return .init(indentation: indentation, inherited: inherited, contentType: .html)
    }
}

/// Reading swift-mustache's parsed templates, and values without
/// `MustacheParent`, as swift-mustache does: through `Mirror`.
private enum Reflect {
    static func child(_ label: String, of value: Any) -> Any? {
        Mirror(reflecting: value).children.first { $0.label == label }?.value
    }

    /// `Mirror.getValue(forKey:)` of swift-mustache.
    static func value(_ key: String, of value: Any) -> Any? {
        guard let matched = Mirror(reflecting: value).children.first(where: { $0.label == key }) else { return nil }
        let mirror = Mirror(reflecting: matched.value)
        guard mirror.displayStyle == .optional else { return matched.value }
        return mirror.children.first?.value
    }
}

/// Text made safe for HTML exactly as the templates make `{{value}}` safe
/// (`< > & " '` become entities): for HTML that Swift code writes beside
/// the templates, such as a shop's text set in paragraphs.
public enum HTMLText {
    public static func escaped(_ text: String) -> String {
        var output = ""
        Renderer.append(text, escapedFor: .html, to: &output)
        return output
    }
}
