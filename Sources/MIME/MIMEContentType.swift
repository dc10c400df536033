/// A Content-Type field's value: `multipart/alternative; boundary="b1"`,
/// `text/plain; charset=utf-8`.
///
/// Type and subtype are kept in lower case (they are case-insensitive);
/// parameter values keep their case (a boundary is case-sensitive).
///
/// content  := type "/" subtype *(";" parameter)     (RFC 2045 §5.1)
///
/// - SeeAlso: RFC 2045 §5, RFC 2046, RFC 2231
public struct MIMEContentType: Sendable, Hashable {
    /// The top-level type in lower case: `text`, `multipart`, `application`.
    public var type: String
    /// The subtype in lower case: `plain`, `alternative`, `json`.
    public var subtype: String
    /// In the order written, one per name (RFC 2231 pieces already joined).
    public var parameters: [MIMEParameter]

    /// A content type; `type` and `subtype` are lower-cased.
    public init(type: String, subtype: String, parameters: [MIMEParameter] = []) {
        self.type = type.lowercased()
        self.subtype = subtype.lowercased()
        self.parameters = parameters
    }

    /// Parses a field value; nil when it does not start with `type/subtype`.
    /// Comments, spaces, folding and junk between parameters are skipped.
    public init?(parsing value: String) {
        var scanner = MIMEFieldScanner(value)
        scanner.skipWhitespaceAndComments()
        guard let type = scanner.token() else { return nil }
        scanner.skipWhitespaceAndComments()
        guard scanner.consume(UInt8(ascii: "/")) else { return nil }
        scanner.skipWhitespaceAndComments()
        guard let subtype = scanner.token() else { return nil }
        self.init(type: type, subtype: subtype, parameters: MIMEParameter.parseList(&scanner))
    }

    /// RFC 2045 §5.2: what a part without a (readable) Content-Type is.
    public static let defaultText = MIMEContentType(
        type: "text", subtype: "plain", parameters: [MIMEParameter("charset", "us-ascii")])
    /// RFC 2046 §5.1.5: what a part of multipart/digest is without one.
    public static let defaultDigestPart = MIMEContentType(type: "message", subtype: "rfc822")

    /// `type/subtype`.
    public var mediaType: String { "\(type)/\(subtype)" }

    /// The value of the parameter `name` (case-insensitive); setting nil removes it.
    public subscript(parameter name: String) -> String? {
        get {
            let lower = name.lowercased()
            return parameters.first { $0.name == lower }?.value
        }
        set {
            let lower = name.lowercased()
            if let newValue {
                if let index = parameters.firstIndex(where: { $0.name == lower }) {
                    parameters[index].value = newValue
                } else {
                    parameters.append(MIMEParameter(lower, newValue))
                }
            } else {
                parameters.removeAll { $0.name == lower }
            }
        }
    }

    /// The charset parameter, in lower case.
    public var charset: String? { self[parameter: "charset"]?.lowercased() }

    /// The boundary parameter of a multipart type.
    public var boundary: String? { self[parameter: "boundary"] }

    /// Whether the type is `multipart/*`, whose body is split into parts.
    public var isMultipart: Bool { type == "multipart" }

    /// Whether this is `pattern`: `text/html`, `text/*` or `*/*`, case-insensitive.
    public func matches(_ pattern: String) -> Bool {
        let wanted = pattern.lowercased().split(separator: "/", maxSplits: 1).map { $0.trimmingSpaces }
        guard wanted.count == 2 else { return false }
        return (wanted[0] == "*" || wanted[0] == type) && (wanted[1] == "*" || wanted[1] == subtype)
    }

    /// The field value: `type/subtype; name=value; …` (see `MIMEParameter.formatted`).
    public var formatted: String {
        ([mediaType] + parameters.map(\.formatted)).joined(separator: "; ")
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
