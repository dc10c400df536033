import Foundation

/// What a template key needs from the shop's JSON: `conf/templates/schema/<key>.json`.
/// The renderer checks a message's data against it before rendering, so
/// that a missing field is refused at DATA with its name, not rendered as
/// an empty gap in a customer's mail.
public struct TemplateSchema: Codable, Sendable, Hashable {
    /// Who the mail is for, which decides its switch and its footer.
    public enum Kind: String, Codable, Sendable {
        case customer, admin, marketing
    }

    public var key: String
    public var kind: Kind
    /// Dotted paths that must be present (a list must not be empty).
    public var required: [String]
    public var optional: [String]?
    /// The blocks Poshta fills in for this key (`related_products`, …).
    public var blocks: [String]?

    public init(key: String, kind: Kind, required: [String], optional: [String]? = nil, blocks: [String]? = nil) {
        self.key = key
        self.kind = kind
        self.required = required
        self.optional = optional
        self.blocks = blocks
    }

    /// The required paths missing from `data`, in the schema's order.
    public func missingFields(in data: [String: Any]) -> [String] {
        required.filter { path in
            guard let value = Self.value(at: path, in: data) else { return true }
            if let list = value as? [Any] { return list.isEmpty }
            if let text = value as? String { return text.isEmpty }
            return value is NSNull
        }
    }

    /// The value at a dotted path, or nil.
    static func value(at path: String, in data: [String: Any]) -> Any? {
        var current: Any = data
        for name in path.split(separator: ".") {
            guard let object = current as? [String: Any], let next = object[String(name)] else { return nil }
            current = next
        }
        return current
    }
}
