import Foundation
import Templates

/// Small conversions between a shop's text and the HTML it is shown in.
enum PlainTextHTML {
    /// Text as HTML paragraphs: escaped, blank lines part paragraphs,
    /// single line breaks become `<br>`.
    static func paragraphs(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        var paragraphs: [String] = []
        var lines: [String] = []
        func close() {
            if !lines.isEmpty {
                paragraphs.append(
                    "<p style=\"margin:0 0 16px; font-family:Arial, Helvetica, sans-serif; font-size:16px; line-height:24px; color:#2b2b2b;\">"
                        + lines.map(HTMLText.escaped).joined(separator: "<br>\n") + "</p>")
            }
            lines = []
        }
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) { close() } else { lines.append(String(line)) }
        }
        close()
        return paragraphs.joined(separator: "\n")
    }

    /// What is between `<body …>` and `</body>`, or all of it when there is no body element.
    static func bodyContent(of html: String) -> String {
        guard let open = html.range(of: "<body", options: .caseInsensitive),
            let openEnd = html[open.upperBound...].firstIndex(of: ">")
        else { return html }
        let start = html.index(after: openEnd)
        let end = html.range(of: "</body", options: [.caseInsensitive, .backwards], range: start..<html.endIndex)?.lowerBound
            ?? html.endIndex
        return String(html[start..<end])
    }

    /// The text without the line breaks at its end (the layout adds its own).
    static func trimmingTrailingLineBreaks(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last.isNewline { text = text.dropLast() }
        return String(text)
    }
}
