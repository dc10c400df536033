/// One entity of a parsed message: its header fields, its content type, and
/// either a body (a leaf) or the parts of a multipart.
///
/// A leaf keeps its body as written (still transfer-encoded); `decodedBody()`
/// and `text()` decode it on demand, so a damaged attachment fails only the
/// caller who looks at it. `message/rfc822` parts are leaves: parse their
/// `decodedBody()` with `MIMEMessage(parsing:)` to look inside.
///
/// - SeeAlso: RFC 2045 §2.4 (entity), RFC 2046 §5.1 (multipart)
public struct MIMEPart: Sendable, Hashable {
    /// What follows the header section.
    public enum Content: Sendable, Hashable {
        /// A leaf's body as written, still in its Content-Transfer-Encoding.
        case body([UInt8])
        /// A multipart's parts, in order; the preamble and epilogue are dropped.
        case parts([MIMEPart])
    }

    /// The header fields in order; values unfolded and trimmed, encoded-words
    /// left as written (`EncodedWord.decode` reads them).
    public var headers: [HeaderField]
    /// From the Content-Type field, or the RFC 2045 §5.2 default when it is
    /// missing or unreadable (then a defect says so).
    public var contentType: MIMEContentType
    /// The body or the parts.
    public var content: Content
    /// Damage the parser tolerated in this part (not in its subparts).
    public var defects: [MIMEDefect]
    /// Where the part's header section (with the empty line after it) and
    /// its body are in the parsed bytes; nil in hand-made trees. They let
    /// `MIMEBodyEditor` change one body and leave every other byte alone.
    public var headerRange: Range<Int>?
    public var bodyRange: Range<Int>?

    /// A part as the parser makes it (for tests and hand-made trees).
    public init(
        headers: [HeaderField], contentType: MIMEContentType, content: Content, defects: [MIMEDefect] = [],
        headerRange: Range<Int>? = nil, bodyRange: Range<Int>? = nil
    ) {
        self.headers = headers
        self.contentType = contentType
        self.content = content
        self.defects = defects
        self.headerRange = headerRange
        self.bodyRange = bodyRange
    }

    /// The first field named `name` (case-insensitive), unfolded.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// Every field named `name` (case-insensitive), in order.
    public func headers(named name: String) -> [String] {
        let lower = name.lowercased()
        return headers.filter { $0.name.lowercased() == lower }.map(\.value)
    }

    /// Whether this part holds parts rather than a body.
    public var isMultipart: Bool {
        if case .parts = content { true } else { false }
    }

    /// A multipart's parts; empty for a leaf.
    public var parts: [MIMEPart] {
        if case .parts(let parts) = content { parts } else { [] }
    }

    /// The charset parameter in lower case, if any.
    public var charset: String? { contentType.charset }

    /// The Content-Disposition field, when present and readable.
    public var contentDisposition: MIMEContentDisposition? {
        header("Content-Disposition").flatMap(MIMEContentDisposition.init(parsing:))
    }

    /// This part and all below it, depth first, in message order.
    public var allParts: [MIMEPart] {
        [self] + parts.flatMap(\.allParts)
    }

    /// The leaves below (or this part, if it is one), in message order.
    public var leaves: [MIMEPart] {
        isMultipart ? parts.flatMap(\.leaves) : [self]
    }

    /// The first part, depth first in message order and starting with this
    /// one, whose type matches `mediaType` (`text/html`, `application/json`, `text/*`).
    public func firstPart(withMediaType mediaType: String) -> MIMEPart? {
        if contentType.matches(mediaType) { return self }
        for part in parts {
            if let found = part.firstPart(withMediaType: mediaType) { return found }
        }
        return nil
    }

    /// The body's bytes after undoing the Content-Transfer-Encoding (7bit when the field is absent).
    public func decodedBody() throws(MIMEDecodingError) -> [UInt8] {
        guard case .body(let written) = content else { throw .isMultipart }
        var encoding = MIMETransferEncoding.sevenBit
        if let field = header("Content-Transfer-Encoding") {
            guard let known = MIMETransferEncoding(fieldValue: field) else { throw .unsupportedTransferEncoding(field) }
            encoding = known
        }
        do {
            return try encoding.decode(written)
        } catch {
            throw .invalidBase64(error)
        }
    }

    /// The decoded body as text, read in its charset (UTF-8 when none is
    /// given, which also reads US-ASCII and JSON). Line breaks are kept as
    /// written (CRLF in canonical text); malformed UTF-8 becomes U+FFFD.
    public func text() throws(MIMEDecodingError) -> String {
        let bytes = try decodedBody()
        let charset = self.charset ?? "utf-8"
        guard let text = MIMECharset.decode(bytes, charset: charset) else { throw .unsupportedCharset(charset) }
        return text
    }
}
