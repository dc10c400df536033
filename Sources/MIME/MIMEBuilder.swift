/// Writes a complete message: header fields, then a text body, an HTML body,
/// or both as `multipart/alternative` (text/plain first, text/html last: the
/// last is the preferred form, RFC 2046 §5.1.4).
///
/// The output is 7-bit clean, uses CRLF everywhere and ends with CRLF:
/// - texts are UTF-8 with `charset=utf-8`; their line breaks (CRLF, CR or
///   LF) become CRLF and a non-empty text ends with one (RFC 2046 §4.1.1
///   canonical form; `canonicalText` shows exactly what a reader gets back);
/// - each body's Content-Transfer-Encoding is
///   `MIMETransferEncoding.preferred(for:)`: 7bit for short-lined ASCII
///   without `From ` lines, else the shorter of quoted-printable and base64;
/// - the boundary is `=_` and 32 random letters and digits, checked against
///   every encoded body (QP and base64 cannot contain `=_` at all);
/// - Subject and display names get encoded-words when they are not ASCII;
///   CR, LF and TAB in them become spaces and outer spaces are trimmed (they
///   are one line of human text); lines fold at 78 octets (76 with
///   encoded-words), none passes 998;
/// - addresses must be ASCII addr-specs, extra fields must have RFC 5322
///   names and values without CR, LF or NUL; extra field values are written
///   like the Subject (encoded-words where `EncodedWord` needs them, which
///   is right for unstructured fields only: pass structured ones in ASCII).
///
/// Field order: Date, From, To, Cc, Reply-To, Subject, Message-ID, the
/// extra fields, MIME-Version, Content-Type, Content-Transfer-Encoding.
///
/// - SeeAlso: RFC 5322 §3.6, RFC 2045, RFC 2046 §5.1, RFC 2047
public struct MIMEBuilder: Sendable {
    /// An address with an optional display name.
    public struct Mailbox: Sendable, Hashable {
        public var displayName: String?
        /// An addr-spec, `local@domain`, ASCII.
        public var address: String

        public init(_ address: String, displayName: String? = nil) {
            self.address = address
            self.displayName = displayName
        }
    }

    /// The text the message carries.
    public enum Body: Sendable, Hashable {
        /// A single text/plain body.
        case text(String)
        /// A single text/html body.
        case html(String)
        /// multipart/alternative: the text, then the HTML.
        case alternative(text: String, html: String)
    }

    /// The author: From.
    public var from: Mailbox
    /// To; the field is left out when empty (Bcc-only mail).
    public var to: [Mailbox]
    /// Cc; left out when empty.
    public var cc: [Mailbox] = []
    /// Reply-To; left out when empty.
    public var replyTo: [Mailbox] = []
    /// Human text, one line; encoded-words when not ASCII.
    public var subject: String
    /// An RFC 5322 date-time, e.g. from `RFC5322Date.format`; omitted when nil.
    public var date: String?
    /// `<id@host>` or `id@host` (the brackets are added); omitted when nil.
    public var messageID: String?
    /// Further fields such as Auto-Submitted or List-Unsubscribe, written in order.
    public var extraFields: [HeaderField] = []
    /// The text, the HTML, or both.
    public var body: Body
    /// A fixed boundary for reproducible output (tests); nil picks a random one.
    public var boundary: String?

    /// A message with no Cc, Reply-To, Date, Message-ID or extra fields yet.
    public init(from: Mailbox, to: [Mailbox], subject: String, body: Body) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
    }

    /// The message, with a boundary from the system's random generator.
    public func build() throws(MIMEBuildError) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return try build(using: &generator)
    }

    /// The message, with a boundary drawn from `generator`.
    public func build(using generator: inout some RandomNumberGenerator) throws(MIMEBuildError) -> [UInt8] {
        var message = try headerSection()
        message += HeaderFolder.field("MIME-Version", [.word("1.0")])
        message += try bodyEntity(using: &generator)
        return message
    }

    /// The body alone as a MIME entity: its Content-Type and
    /// Content-Transfer-Encoding lines, the empty line, the encoded body or
    /// parts. For a message whose other fields are already written (a
    /// shop's message wrapped in the layout); `from`, `to` and `subject` are not used.
    public func bodyEntity(using generator: inout some RandomNumberGenerator) throws(MIMEBuildError) -> [UInt8] {
        switch body {
        case .text(let text):
            return singlePart(type: "plain", text: text)
        case .html(let html):
            return singlePart(type: "html", text: html)
        case .alternative(let text, let html):
            let parts = [leaf(type: "plain", text: text), leaf(type: "html", text: html)]
            let boundary = try self.boundary(avoiding: parts.map(\.body), using: &generator)
            var type = MIMEContentType(type: "multipart", subtype: "alternative")
            type[parameter: "boundary"] = boundary
            var entity = HeaderFolder.field("Content-Type", HeaderFolder.words(type.formatted))
            entity += [.cr, .lf]
            for part in parts {
                entity += Array("--\(boundary)\r\n".utf8) + part.header + [.cr, .lf] + part.body
                entity += [.cr, .lf]  // the line break that belongs to the next delimiter
            }
            entity += Array("--\(boundary)--\r\n".utf8)
            return entity
        }
    }

    /// What a reader of the built message gets back for `text`: UTF-8, CRLF
    /// line breaks, and a final CRLF when the text is not empty.
    public static func canonicalText(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 2)
        var previousWasCR = false
        for byte in text.utf8 {
            switch byte {
            case .cr:
                output += [.cr, .lf]
                previousWasCR = true
                continue
            case .lf where previousWasCR:
                break  // the LF of a CRLF already written
            case .lf:
                output += [.cr, .lf]
            default:
                output.append(byte)
            }
            previousWasCR = false
        }
        if !output.isEmpty, !output.ends(with: [.cr, .lf]) { output += [.cr, .lf] }
        return output
    }

    /// A body's Content-Type and Content-Transfer-Encoding lines and its encoded bytes.
    private func leaf(type subtype: String, text: String) -> (header: [UInt8], body: [UInt8]) {
        let bytes = Self.canonicalText(text)
        let encoding = MIMETransferEncoding.preferred(for: bytes)
        let type = MIMEContentType(type: "text", subtype: subtype, parameters: [MIMEParameter("charset", "utf-8")])
        let header = HeaderFolder.field("Content-Type", HeaderFolder.words(type.formatted))
            + HeaderFolder.field("Content-Transfer-Encoding", [.word(encoding.rawValue)])
        return (header, encoding.encode(bytes))
    }

    /// The header lines, the empty line and the body of a one-part message.
    private func singlePart(type subtype: String, text: String) -> [UInt8] {
        let (header, body) = leaf(type: subtype, text: text)
        var output = header + [.cr, .lf] + body
        if !body.isEmpty, !body.ends(with: [.cr, .lf]) { output += [.cr, .lf] }  // base64 ends without one
        return output
    }

    private func boundary(avoiding bodies: [[UInt8]], using generator: inout some RandomNumberGenerator) throws(MIMEBuildError) -> String {
        if let boundary {
            guard MIMEBuildError.isValidBoundary(boundary) else { throw .invalidBoundary(boundary) }
            guard !bodies.contains(where: { Self.occurs(Array(boundary.utf8), in: $0) }) else { throw .boundaryInContent(boundary) }
            return boundary
        }
        let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        while true {
            let random = (0..<32).map { _ in characters[Int.random(in: 0..<characters.count, using: &generator)] }
            let boundary = "=_" + String(decoding: random, as: UTF8.self)
            if !bodies.contains(where: { Self.occurs(Array(boundary.utf8), in: $0) }) { return boundary }
        }
    }

    /// Whether `needle` occurs in `haystack`: a plain scan on the first
    /// byte, then a compare (the generic `contains` costs more than the
    /// encoding of the whole message).
    static func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var index = 0
                let last = hay.count - pin.count
                while index <= last {
                    if hay[index] == first {
                        var matched = 1
                        while matched < pin.count && hay[index + matched] == pin[matched] { matched += 1 }
                        if matched == pin.count { return true }
                    }
                    index += 1
                }
                return false
            }
        }
    }
}

extension [UInt8] {
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
