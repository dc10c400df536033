/// Finds the line on which each key of a TOML document is written.
///
/// TOMLKit gives positions only for syntax errors, not for values, so this scans
/// the text (already accepted by the parser) and records, for every key path, the
/// line of its first appearance. Paths are written the way error messages name
/// keys: `server.hostname`, `listener[2].mode` (arrays 1-based),
/// `delivery.relays[1].host`, `listener[1].trusted_networks[3]`.
struct TOMLKeyLocator: Sendable {
    private var lines: [String: Int] = [:]

    init(text: String) {
        var scanner = Scanner(bytes: Array(text.utf8))
        scanner.scanDocument()
        lines = scanner.lines
    }

    /// The line of `path`, or of the nearest enclosing key or table that is written in the file.
    func line(for path: String) -> Int? {
        var candidate = Substring(path)
        while !candidate.isEmpty {
            if let line = lines[String(candidate)] { return line }
            guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            candidate = candidate[..<cut]
        }
        return nil
    }

    /// The line of exactly `path`, without falling back to enclosing tables.
    func exactLine(for path: String) -> Int? { lines[path] }

    // MARK: - Paths

    enum Component: Hashable {
        case key(String)
        case index(Int)
    }

    static func format(_ components: [Component]) -> String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    // MARK: - Scanner

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0
        var line = 1
        var lines: [String: Int] = [:]
        /// How many `[[name]]` headers were seen, by resolved path.
        var arrayTableCounts: [String: Int] = [:]

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        func peek(_ offset: Int) -> UInt8? {
            position + offset < bytes.count ? bytes[position + offset] : nil
        }

        mutating func advance() {
            if bytes[position] == UInt8(ascii: "\n") { line += 1 }
            position += 1
        }

        mutating func record(_ components: [Component], line: Int) {
            let path = TOMLKeyLocator.format(components)
            if lines[path] == nil { lines[path] = line }
        }

        mutating func skipSpaces() {
            while let byte = current, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { advance() }
        }

        /// Spaces, newlines and comments.
        mutating func skipBlank() {
            while let byte = current {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                    advance()
                case UInt8(ascii: "#"):
                    skipComment()
                default:
                    return
                }
            }
        }

        mutating func skipComment() {
            while let byte = current, byte != UInt8(ascii: "\n") { advance() }
        }

        mutating func scanDocument() {
            var prefix: [Component] = []
            while true {
                skipBlank()
                guard let byte = current else { return }
                if byte == UInt8(ascii: "[") {
                    prefix = scanHeader()
                } else {
                    let before = position
                    scanKeyValue(prefix: prefix)
                    if position == before { advance() }  // never loop on something unexpected
                }
            }
        }

        /// `[a.b]` or `[[a.b]]`; returns the path keys below it belong to.
        mutating func scanHeader() -> [Component] {
            let headerLine = line
            advance()
            let isArray = current == UInt8(ascii: "[")
            if isArray { advance() }
            let keys = scanKey()
            skipSpaces()
            while let byte = current, byte == UInt8(ascii: "]") { advance() }

            var resolved: [Component] = []
            for (offset, key) in keys.enumerated() {
                resolved.append(.key(key))
                let name = TOMLKeyLocator.format(resolved)
                let isLast = offset == keys.count - 1
                if isLast && isArray {
                    record(resolved, line: headerLine)
                    let count = (arrayTableCounts[name] ?? 0) + 1
                    arrayTableCounts[name] = count
                    resolved.append(.index(count))
                } else if let count = arrayTableCounts[name] {
                    resolved.append(.index(count))
                }
                record(resolved, line: headerLine)
            }
            return resolved
        }

        /// A dotted key: bare, "basic" or 'literal' parts.
        mutating func scanKey() -> [String] {
            var keys: [String] = []
            while true {
                skipSpaces()
                guard let byte = current else { return keys }
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    keys.append(scanQuotedKey(quote: byte))
                } else {
                    let start = position
                    while let byte = current, isBareKeyByte(byte) { advance() }
                    keys.append(String(decoding: bytes[start..<position], as: UTF8.self))
                }
                skipSpaces()
                guard current == UInt8(ascii: ".") else { return keys }
                advance()
            }
        }

        func isBareKeyByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return byte >= 0x80
            }
        }

        mutating func scanQuotedKey(quote: UInt8) -> String {
            advance()
            var key: [UInt8] = []
            while let byte = current, byte != quote, byte != UInt8(ascii: "\n") {
                if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\"), let next = peek(1) {
                    key.append(next)
                    advance()
                    advance()
                    continue
                }
                key.append(byte)
                advance()
            }
            if current == quote { advance() }
            return String(decoding: key, as: UTF8.self)
        }

        mutating func scanKeyValue(prefix: [Component]) {
            let keyLine = line
            let keys = scanKey()
            guard !keys.isEmpty else { return }
            skipSpaces()
            guard current == UInt8(ascii: "=") else { return }
            advance()
            skipSpaces()
            var path = prefix
            for key in keys {
                path.append(.key(key))
                record(path, line: keyLine)
            }
            scanValue(path: path)
        }

        mutating func scanValue(path: [Component]) {
            guard let byte = current else { return }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                scanString(quote: byte)
            case UInt8(ascii: "["):
                advance()
                var index = 0
                while true {
                    skipBlank()
                    guard let byte = current else { return }
                    if byte == UInt8(ascii: "]") { advance(); return }
                    if byte == UInt8(ascii: ",") { advance(); continue }
                    index += 1
                    let element = path + [.index(index)]
                    record(element, line: line)
                    let before = position
                    scanValue(path: element)
                    if position == before { advance() }
                }
            case UInt8(ascii: "{"):
                advance()
                while true {
                    skipBlank()
                    guard let byte = current else { return }
                    if byte == UInt8(ascii: "}") { advance(); return }
                    if byte == UInt8(ascii: ",") { advance(); continue }
                    let before = position
                    scanKeyValue(prefix: path)
                    if position == before { advance() }
                }
            default:
                // Numbers, booleans, dates: up to the next delimiter.
                while let byte = current {
                    switch byte {
                    case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "\n"),
                         UInt8(ascii: "\r"), UInt8(ascii: "#"):
                        return
                    default:
                        advance()
                    }
                }
            }
        }

        mutating func scanString(quote: UInt8) {
            let isMultiline = peek(1) == quote && peek(2) == quote
            let escapes = quote == UInt8(ascii: "\"")
            if isMultiline {
                advance(); advance(); advance()
                while let byte = current {
                    if escapes, byte == UInt8(ascii: "\\") {
                        advance()
                        if current != nil { advance() }
                        continue
                    }
                    if byte == quote, peek(1) == quote, peek(2) == quote {
                        advance(); advance(); advance()
                        // Up to two more quotes may belong to the content ("""a"""").
                        while current == quote { advance() }
                        return
                    }
                    advance()
                }
            } else {
                advance()
                while let byte = current, byte != UInt8(ascii: "\n") {
                    if escapes, byte == UInt8(ascii: "\\") {
                        advance()
                        if let next = current, next != UInt8(ascii: "\n") { advance() }
                        continue
                    }
                    advance()
                    if byte == quote { return }
                }
            }
        }
    }
}
