/// Changes the text of leaf parts of a message and leaves every other byte
/// as it was: the other parts, the boundaries, the header fields, their
/// order and folding. What the shop wrote stays the shop's.
///
/// For each edited part:
/// - the new text is written in UTF-8; a part in another charset (or in
///   US-ASCII, once the text is not ASCII) has its Content-Type's charset
///   parameter changed to `utf-8`, the only field value rewritten;
/// - quoted-printable and base64 parts stay so; a 7bit, 8bit or unlabelled
///   part stays so while the new text is 7-bit (ASCII, lines of at most
///   998 octets), else it becomes `MIMETransferEncoding.preferred(for:)` and
///   its Content-Transfer-Encoding field is written or replaced. An 8bit
///   part is not written back as 8-bit: what Poshta writes goes unchanged to
///   a server without 8BITMIME, where a converted copy would break its
///   DKIM signature;
/// - the body ends with a line break exactly when the old one did (before a
///   boundary, the line break belongs to the delimiter).
///
/// - SeeAlso: RFC 2045 §6 (Content-Transfer-Encoding), RFC 2046 §4.1.2 (charset)
public enum MIMEBodyEditor {
    /// One change: the leaf (as parsed from the same bytes) and its new text.
    public struct Edit: Sendable {
        public var part: MIMEPart
        public var text: String

        public init(part: MIMEPart, text: String) {
            self.part = part
            self.text = text
        }
    }

    /// Why an edit cannot be made.
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// A multipart, or a part not parsed from these bytes.
        case notAParsedLeaf
        /// Two edits of the same part, or of overlapping ranges.
        case overlappingEdits

        public var description: String {
            switch self {
            case .notAParsedLeaf: "only leaf parts parsed from the message can be edited"
            case .overlappingEdits: "two edits of the same part"
            }
        }
    }

    /// The message with each edit applied.
    public static func apply(_ edits: [Edit], to message: [UInt8]) throws(Failure) -> [UInt8] {
        var replacements: [(range: Range<Int>, bytes: [UInt8])] = []
        for edit in edits {
            guard !edit.part.isMultipart, let headerRange = edit.part.headerRange, let bodyRange = edit.part.bodyRange,
                headerRange.upperBound == bodyRange.lowerBound, bodyRange.upperBound <= message.count
            else { throw .notAParsedLeaf }
            let (header, body) = rewrite(edit.part, text: edit.text, header: Array(message[headerRange]),
                                         endsWithLineBreak: message[bodyRange].last == .lf)
            replacements.append((headerRange.lowerBound..<bodyRange.upperBound, header + body))
        }
        replacements.sort { $0.range.lowerBound < $1.range.lowerBound }
        var output: [UInt8] = []
        output.reserveCapacity(message.count + replacements.reduce(0) { $0 + $1.bytes.count })
        var position = 0
        for replacement in replacements {
            guard replacement.range.lowerBound >= position else { throw .overlappingEdits }
            output += message[position..<replacement.range.lowerBound]
            output += replacement.bytes
            position = replacement.range.upperBound
        }
        output += message[position...]
        return output
    }

    /// The message without the top-level header fields whose (lower-cased)
    /// name `remove` picks; every other byte stays.
    public static func removingFields(from message: [UInt8], where remove: (String) -> Bool) -> [UInt8] {
        let block = HeaderBlock(scanning: message)
        var output = message
        for field in block.fields.reversed() where remove(field.name.lowercased()) {
            output.removeSubrange(field.range)
        }
        return output
    }

    /// The message with its top-level body replaced by `entity` (Content-*
    /// lines, empty line, body, as `MIMEBuilder.bodyEntity` writes it): the
    /// old Content-Type and Content-Transfer-Encoding go, `MIME-Version`
    /// is added when missing, every other header field stays as written.
    public static func replacingBody(of message: [UInt8], with entity: [UInt8]) -> [UInt8] {
        let block = HeaderBlock(scanning: message)
        var header = Array(message[..<block.end])
        for field in block.fields.reversed()
        where ["content-type", "content-transfer-encoding"].contains(field.name.lowercased()) {
            header.removeSubrange(field.range)
        }
        if !block.contains("MIME-Version") { header += HeaderField("MIME-Version", "1.0").encoded }
        return header + entity
    }

    /// The part's header section and body for `text`.
    static func rewrite(_ part: MIMEPart, text: String, header: [UInt8], endsWithLineBreak: Bool) -> ([UInt8], [UInt8]) {
        var bytes = MIMEBuilder.canonicalText(text)
        if !endsWithLineBreak {
            while bytes.last == .lf || bytes.last == .cr { bytes.removeLast() }
        } else if bytes.last != .lf {
            bytes += [.cr, .lf]
        }
        var changed: [HeaderField] = []
        let charset = part.charset ?? "us-ascii"
        let isASCII = bytes.allSatisfy { $0 < 0x80 }
        if !(charset == "utf-8" || charset == "utf8" || (isASCII && ["us-ascii", "ascii"].contains(charset))) {
            var contentType = part.contentType
            contentType.parameters.removeAll { $0.name.lowercased() == "charset" }
            contentType.parameters.insert(MIMEParameter("charset", "utf-8"), at: 0)
            changed.append(HeaderField("Content-Type", contentType.formatted))
        }
        let written = part.header("Content-Transfer-Encoding").flatMap(MIMETransferEncoding.init(fieldValue:)) ?? .sevenBit
        var encoding = written
        switch written {
        case .quotedPrintable, .base64:
            break
        case .sevenBit, .eightBit, .binary:
            if !MIMETransferEncoding.isSevenBitText(bytes) { encoding = MIMETransferEncoding.preferred(for: bytes) }
        }
        if encoding != written || (part.header("Content-Transfer-Encoding") == nil && encoding != .sevenBit) {
            changed.append(HeaderField("Content-Transfer-Encoding", encoding.rawValue))
        }
        var body = encoding.encode(bytes)
        // Base64 lines always end with CRLF; the delimiter brings its own.
        if !endsWithLineBreak {
            while body.last == .lf || body.last == .cr { body.removeLast() }
        } else if body.last != .lf {
            body += [.cr, .lf]
        }
        return (replacing(changed, in: header), body)
    }

    /// The header section with each named field's first occurrence
    /// replaced (or the field added before the empty line).
    static func replacing(_ fields: [HeaderField], in header: [UInt8]) -> [UInt8] {
        guard !fields.isEmpty else { return header }
        let block = HeaderBlock(scanning: header)
        var output = header
        var appended: [UInt8] = []
        // From the last field back, so that earlier ranges stay valid.
        var edits: [(Range<Int>, [UInt8])] = []
        for field in fields {
            if let found = block.fields.first(where: { $0.name.lowercased() == field.name.lowercased() }) {
                edits.append((found.range, field.encoded))
            } else {
                appended += field.encoded
            }
        }
        for (range, bytes) in edits.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) {
            output.replaceSubrange(range, with: bytes)
        }
        let end = block.end + output.count - header.count
        output.insert(contentsOf: appended, at: end)
        return output
    }
}
