/// Why a template message cannot be rendered; the text is what the shop
/// reads in the 5xx reply, so it names the key, the locale or the field.
public enum TemplateError: Error, CustomStringConvertible, Sendable, Equatable {
    case unknownKey(String)
    case missingFields(key: String, fields: [String])
    case templateMissing(key: String, locale: String, part: String)
    case cannotLoad(locale: String, reason: String)
    case emptySubject(key: String, locale: String)
    /// `enrichment.html`, `wrapped.text`… is not in the locale's folder.
    case fragmentMissing(name: String, locale: String)

    public var description: String {
        switch self {
        case .unknownKey(let key):
            "unknown template \"\(key)\""
        case .missingFields(let key, let fields):
            "template \(key) needs \(fields.count == 1 ? "the field" : "the fields") \(fields.joined(separator: ", ")) in its data"
        case .templateMissing(let key, let locale, let part):
            "template \(key) has no \(part) part for locale \(locale)"
        case .cannotLoad(let locale, let reason):
            "cannot load the templates of locale \(locale): \(reason)"
        case .emptySubject(let key, let locale):
            "template \(key) (\(locale)) rendered an empty subject"
        case .fragmentMissing(let name, let locale):
            "the templates of locale \(locale) have no \(name).mustache"
        }
    }
}
