/// A parsed message: the top entity with its header fields and, for a
/// multipart, the tree of its parts.
///
/// Parsing reads CRLF and also bare LF line breaks, finds the header section
/// with `HeaderBlock`, and splits multipart bodies at their boundaries
/// (RFC 2046 §5.1.1: a delimiter line is `--boundary`, the close delimiter
/// `--boundary--`, either followed only by spaces or tabs; the line break
/// before a delimiter belongs to it; the preamble before the first delimiter
/// and the epilogue after the close are dropped). Nested multiparts are
/// split the same way. Damage is tolerated and noted in each part's
/// `defects`:
/// - no close delimiter: the last part runs to the end of the body, line break included;
/// - a multipart without a boundary parameter, or whose boundary never
///   appears: its body is kept as a single body;
/// - an unreadable Content-Type: the RFC 2045 §5.2 default, `text/plain; charset=us-ascii`.
/// Only the sanity `Limits` fail a parse.
///
/// - SeeAlso: RFC 5322 §2.1, RFC 2045, RFC 2046 §5.1
public struct MIMEMessage: Sendable, Hashable {
    /// Bounds that keep a hostile message from costing unbounded time or memory.
    public struct Limits: Sendable, Hashable {
        /// The largest message accepted, in bytes.
        public var maximumBytes: Int
        /// How many multiparts may nest inside one another (the top one counts).
        public var maximumDepth: Int
        /// How many entities (the message, multiparts and leaves) a message may have.
        public var maximumParts: Int

        public init(maximumBytes: Int = 64 << 20, maximumDepth: Int = 20, maximumParts: Int = 1000) {
            self.maximumBytes = maximumBytes
            self.maximumDepth = maximumDepth
            self.maximumParts = maximumParts
        }
    }

    /// The message as an entity: its header fields are the message's.
    public var root: MIMEPart

    /// A message from an already made tree.
    public init(root: MIMEPart) {
        self.root = root
    }

    /// Parses raw message bytes.
    public init(parsing bytes: [UInt8], limits: Limits = Limits()) throws(MIMEParseError) {
        guard bytes.count <= limits.maximumBytes else { throw .tooLarge(limit: limits.maximumBytes) }
        var parser = MIMEParser(bytes: bytes, limits: limits)
        root = try parser.entity(in: 0..<bytes.count, depth: 0, defaultType: .defaultText)
    }

    /// The message's header fields, unfolded, in order.
    public var headers: [HeaderField] { root.headers }

    /// The first field named `name` (case-insensitive), unfolded, encoded-words as written.
    public func header(_ name: String) -> String? { root.header(name) }

    /// The Subject with its encoded-words decoded.
    public var subject: String? { header("Subject").map(EncodedWord.decode) }

    /// The first entity, the message included, whose type matches `mediaType`.
    public func firstPart(withMediaType mediaType: String) -> MIMEPart? {
        root.firstPart(withMediaType: mediaType)
    }
}
