/// Finds the parts of a multipart body between its delimiter lines.
///
///     multipart-body := [preamble CRLF] dash-boundary transport-padding CRLF
///                       body-part *encapsulation close-delimiter transport-padding
///                       [CRLF epilogue]
///     encapsulation  := delimiter transport-padding CRLF body-part
///     delimiter      := CRLF dash-boundary        ; dash-boundary := "--" boundary
///
/// So a part ends before the line break that precedes the next delimiter
/// line, and a delimiter line may end in spaces or tabs (transport padding).
/// Bare LF line breaks are read like CRLF.
///
/// - SeeAlso: RFC 2046 §5.1.1
enum MultipartBody {
    /// The ranges of the parts, and whether the close delimiter was found;
    /// nil when no delimiter line appears at all.
    static func split(_ bytes: [UInt8], in body: Range<Int>, boundary: String) -> (parts: [Range<Int>], isClosed: Bool)? {
        let dashBoundary = Array("--\(boundary)".utf8)
        var parts: [Range<Int>] = []
        var partStart: Int?
        var lineStart = body.lowerBound
        while lineStart < body.upperBound {
            let lineEnd = MIMEParser.lineEnd(bytes, from: lineStart, limit: body.upperBound)
            if let isClose = delimiter(bytes, line: lineStart..<lineEnd, dashBoundary: dashBoundary) {
                if let start = partStart {
                    // The line break before the delimiter belongs to the delimiter.
                    var end = lineStart
                    if end > start, bytes[end - 1] == .lf { end -= 1 }
                    if end > start, bytes[end - 1] == .cr { end -= 1 }
                    parts.append(start..<end)
                }
                if isClose { return (parts, true) }
                partStart = lineEnd
            }
            lineStart = lineEnd
        }
        guard let start = partStart else { return nil }
        parts.append(start..<body.upperBound)
        return (parts, false)
    }

    /// nil when the line is not a delimiter; true for the close delimiter.
    private static func delimiter(_ bytes: [UInt8], line: Range<Int>, dashBoundary: [UInt8]) -> Bool? {
        guard line.count >= dashBoundary.count, bytes[line].starts(with: dashBoundary) else { return nil }
        var index = line.lowerBound + dashBoundary.count
        var isClose = false
        if index + 1 < line.upperBound, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-") {
            isClose = true
            index += 2
        }
        // Only transport padding and the line break may follow.
        while index < line.upperBound {
            switch bytes[index] {
            case .space, .tab, .cr, .lf: index += 1
            default: return nil
            }
        }
        return isClose
    }
}
