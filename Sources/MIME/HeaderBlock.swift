/// The MIME module: RFC 5322 header fields and MIME structure, as values.
///
/// Input: message bytes, or the pieces of a message to write. Output: where
/// the header section ends, which fields it has, and new header lines to add
/// (`HeaderBlock`, `HeaderField`); a parsed `MIMEMessage` (fields, content
/// types, the multipart tree, decoded bodies and texts); a complete message
/// built from a subject, mailboxes and texts (`MIMEBuilder`). The codecs under
/// them: quoted-printable, base64, RFC 2047 encoded-words, RFC 2231
/// parameters, legacy charsets. Standard library only; never does I/O, and
/// scanning a message never changes a byte of it.

/// The header section at the top of a message, located without copying it.
///
/// A header field is a line `name: value` whose name is printable ASCII
/// without a colon, continued by lines that begin with a space or a tab. The
/// section ends at the first empty line; when a line that is neither a field
/// nor a continuation comes first, the section ends before it and the
/// message has no separating empty line (Postfix's cleanup treats such a line
/// as the start of the body, and so do we).
///
/// - SeeAlso: RFC 5322 §2.2, §3.5
public struct HeaderBlock: Sendable {
    /// One field's name and the byte range of the whole field (with continuations and CRLF).
    public struct Field: Sendable, Hashable {
        public var name: String
        public var range: Range<Int>
    }

    public private(set) var fields: [Field] = []
    /// Offset of the first byte after the last header field.
    public private(set) var end: Int = 0
    /// True when an empty line separates the header section from the body.
    public private(set) var hasSeparator = false

    /// Scans the header section of `message`.
    public init(scanning message: [UInt8]) {
        var index = 0
        var current: (name: String, start: Int)?
        func close(at offset: Int) {
            if let open = current { fields.append(Field(name: open.name, range: open.start..<offset)) }
            current = nil
        }
        while index < message.count {
            let lineEnd = Self.lineEnd(in: message, from: index)
            let byte = message[index]
            if byte == 0x0D || byte == 0x0A {
                // The empty line: the end of the header section.
                close(at: index)
                end = index
                hasSeparator = true
                return
            }
            if byte == 0x20 || byte == 0x09 {
                guard current != nil else { break }  // a continuation with nothing to continue: body
            } else if let name = Self.fieldName(in: message, from: index, to: lineEnd) {
                close(at: index)
                current = (name, index)
            } else {
                break
            }
            index = lineEnd
        }
        close(at: index)
        end = index
    }

    /// Whether a field of this name (case-insensitive) is present.
    public func contains(_ name: String) -> Bool {
        let lower = name.lowercased()
        return fields.contains { $0.name.lowercased() == lower }
    }

    /// The offset just after the line that starts at `start` (after its LF).
    private static func lineEnd(in message: [UInt8], from start: Int) -> Int {
        var index = start
        while index < message.count, message[index] != 0x0A { index += 1 }
        return min(index + 1, message.count)
    }

    // field-name = 1*ftext; ftext = %d33-57 / %d59-126 (RFC 5322 §3.6.8)
    private static func fieldName(in message: [UInt8], from start: Int, to end: Int) -> String? {
        var index = start
        while index < end {
            let byte = message[index]
            if byte == UInt8(ascii: ":") {
                return index > start ? String(decoding: message[start..<index], as: UTF8.self) : nil
            }
            guard (33...126).contains(byte) else { return nil }
            index += 1
        }
        return nil
    }
}
