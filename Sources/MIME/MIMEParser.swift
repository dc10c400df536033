/// Builds the `MIMEPart` tree of a message (see `MIMEMessage` for the rules).
///
/// Works on offsets into the one message array; only header sections and
/// leaf bodies are copied out.
struct MIMEParser {
    let bytes: [UInt8]
    let limits: MIMEMessage.Limits
    private var entityCount = 0

    init(bytes: [UInt8], limits: MIMEMessage.Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// The entity written in `range`; `depth` counts the multiparts around it.
    mutating func entity(in range: Range<Int>, depth: Int, defaultType: MIMEContentType) throws(MIMEParseError) -> MIMEPart {
        entityCount += 1
        guard entityCount <= limits.maximumParts else { throw .tooManyParts(limit: limits.maximumParts) }

        let (headers, bodyStart) = headerSection(in: range)
        let body = bodyStart..<range.upperBound
        func part(_ content: MIMEPart.Content, _ defects: [MIMEDefect], _ contentType: MIMEContentType) -> MIMEPart {
            MIMEPart(
                headers: headers, contentType: contentType, content: content, defects: defects,
                headerRange: range.lowerBound..<bodyStart, bodyRange: body)
        }
        var defects: [MIMEDefect] = []
        var contentType = defaultType
        if let field = headers.first(where: { $0.name.lowercased() == "content-type" }) {
            if let parsed = MIMEContentType(parsing: field.value) {
                contentType = parsed
            } else {
                defects.append(.invalidContentType(field.value))
                contentType = .defaultText
            }
        }
        guard contentType.isMultipart else {
            return part(.body(Array(bytes[body])), defects, contentType)
        }
        guard depth < limits.maximumDepth else { throw .tooDeep(limit: limits.maximumDepth) }
        guard let boundary = contentType.boundary, !boundary.isEmpty else {
            defects.append(.missingBoundary)
            return part(.body(Array(bytes[body])), defects, contentType)
        }
        guard let split = MultipartBody.split(bytes, in: body, boundary: boundary) else {
            defects.append(.boundaryNotFound)
            return part(.body(Array(bytes[body])), defects, contentType)
        }
        if !split.isClosed { defects.append(.missingCloseDelimiter) }
        let childType = contentType.subtype == "digest" ? MIMEContentType.defaultDigestPart : .defaultText
        var parts: [MIMEPart] = []
        for partRange in split.parts {
            parts.append(try entity(in: partRange, depth: depth + 1, defaultType: childType))
        }
        return part(.parts(parts), defects, contentType)
    }

    /// The header fields at the start of `range`, unfolded, and where the body starts.
    private func headerSection(in range: Range<Int>) -> ([HeaderField], Int) {
        // Copy only the header section (up to and with the first empty line) for HeaderBlock.
        var lineStart = range.lowerBound
        var sectionEnd = range.upperBound
        while lineStart < range.upperBound {
            let lineEnd = Self.lineEnd(bytes, from: lineStart, limit: range.upperBound)
            if bytes[lineStart] == .cr || bytes[lineStart] == .lf {
                sectionEnd = lineEnd
                break
            }
            lineStart = lineEnd
        }
        let section = Array(bytes[range.lowerBound..<sectionEnd])
        let block = HeaderBlock(scanning: section)
        let headers = block.fields.map { field in
            HeaderField(field.name, Self.unfoldedValue(section[field.range], nameLength: field.name.utf8.count))
        }
        var bodyStart = range.lowerBound + block.end
        if block.hasSeparator {
            bodyStart = Self.lineEnd(bytes, from: bodyStart, limit: range.upperBound)  // past the empty line
        }
        return (headers, bodyStart)
    }

    /// The offset just after the LF that ends the line at `start`, or `limit`.
    static func lineEnd(_ bytes: [UInt8], from start: Int, limit: Int) -> Int {
        var index = start
        while index < limit, bytes[index] != .lf { index += 1 }
        return min(index + 1, limit)
    }

    /// The value after `name:`, with CR and LF removed (unfolding) and outer whitespace trimmed.
    private static func unfoldedValue(_ field: ArraySlice<UInt8>, nameLength: Int) -> String {
        var value = field.dropFirst(nameLength + 1).filter { $0 != .cr && $0 != .lf }[...]
        while let first = value.first, first == .space || first == .tab { value = value.dropFirst() }
        while let last = value.last, last == .space || last == .tab { value = value.dropLast() }
        return String(decoding: value, as: UTF8.self)
    }
}
