/// A Content-Disposition field's value: `attachment; filename="order.json"`.
///
/// - SeeAlso: RFC 2183, RFC 2231 (`filename*=utf-8''…`)
public struct MIMEContentDisposition: Sendable, Hashable {
    /// `inline`, `attachment` or another token, in lower case.
    public var type: String
    /// In the order written, one per name (RFC 2231 pieces already joined).
    public var parameters: [MIMEParameter]

    /// A disposition; `type` is lower-cased.
    public init(type: String, parameters: [MIMEParameter] = []) {
        self.type = type.lowercased()
        self.parameters = parameters
    }

    /// Parses a field value; nil when it does not start with a token.
    public init?(parsing value: String) {
        var scanner = MIMEFieldScanner(value)
        scanner.skipWhitespaceAndComments()
        guard let type = scanner.token() else { return nil }
        self.init(type: type, parameters: MIMEParameter.parseList(&scanner))
    }

    /// The value of the parameter `name` (case-insensitive).
    public subscript(parameter name: String) -> String? {
        let lower = name.lowercased()
        return parameters.first { $0.name == lower }?.value
    }

    /// The suggested file name, decoded.
    public var filename: String? { self[parameter: "filename"] }

    /// The field value: `type; name=value; …`.
    public var formatted: String {
        ([type] + parameters.map(\.formatted)).joined(separator: "; ")
    }
}
