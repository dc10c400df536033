/// Finds the addresses in an RFC 5322 address list, as found in To, Cc and
/// Bcc or on sendmail's command line: `"Doe, Jane" <jane@shop.example>,
/// bob@example.net (Bob), undisclosed-recipients:;`.
///
/// Display names, comments and group names are read only to be skipped;
/// what comes out is each `local-part@domain` as written (a quoted local
/// part keeps its quotes). Folding must already be undone. Lenient where
/// real mail is sloppy (empty list elements, a group missing its `;`),
/// strict where a guess could send mail to the wrong place (a name with no
/// address, text after `>`, a control character).
///
/// - SeeAlso: RFC 5322 §3.4 (address-list, group, angle-addr), §3.2.2–3.2.4
///   (CFWS, atoms, quoted strings), §4.4 (obs-route); RFC 6532 (UTF-8)
public enum AddressList {
    /// A list that cannot be read, and why.
    public struct Failure: Error, Equatable, CustomStringConvertible, Sendable {
        public var description: String

        init(_ description: String) { self.description = description }
    }

    /// The addresses of `text`, in order; empty for an empty list or a group with no members.
    public static func addresses(in text: String) throws(Failure) -> [String] {
        try mailboxes(in: text).map(\.address)
    }

    /// The mailboxes of `text` with their display names (quotes and
    /// quoted pairs undone, encoded-words decoded; nil when there is none).
    public static func mailboxes(in text: String) throws(Failure) -> [(displayName: String?, address: String)] {
        var parser = Parser(tokens: try tokenize(text))
        return try parser.run()
    }

    /// One mailbox (`Name <a@b>`, `"Doe, Jane" <a@b>`, `a@b`) with its
    /// display name; nil unless the text holds exactly one address.
    public static func mailbox(in text: String) -> (displayName: String?, address: String)? {
        guard let mailboxes = try? mailboxes(in: text), mailboxes.count == 1 else { return nil }
        return mailboxes[0]
    }

    /// A display name as a reader sees it: words apart, quoted strings
    /// unquoted, encoded-words decoded.
    static func displayName(_ tokens: [Token]) -> String? {
        var name = ""
        for token in tokens {
            var word = token.text
            if case .quoted(let text) = token {
                word = ""
                var escaped = false
                for character in text.dropFirst().dropLast() {
                    if !escaped && character == "\\" {
                        escaped = true
                        continue
                    }
                    word.append(character)
                    escaped = false
                }
            }
            // "J. R. Doe": a dot sticks to the word before it.
            if !name.isEmpty && token != .special(".") { name += " " }
            name += word
        }
        name = EncodedWord.decode(name)
        return name.isEmpty ? nil : name
    }

    // MARK: - Tokens

    enum Token: Equatable {
        /// An atom: a run of atext (no dots; the dot is a special).
        case atom(String)
        /// A quoted string as written, quotes and backslashes included.
        case quoted(String)
        /// `[...]` as written.
        case literal(String)
        /// One of `< > , : ; @ .`
        case special(Character)

        var text: String {
            switch self {
            case .atom(let text), .quoted(let text), .literal(let text): text
            case .special(let character): String(character)
            }
        }
    }

    // atext (RFC 5322 §3.2.3), plus any non-ASCII character (RFC 6532 §3.2).
    private static let atextSymbols = Set("!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    private static func isAtext(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x80 || scalar.isASCIILetterOrDigit || atextSymbols.contains(scalar)
    }

    /// Splits into tokens; whitespace and comments separate them and are dropped.
    static func tokenize(_ text: String) throws(Failure) -> [Token] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case " ", "\t", "\r", "\n":
                index += 1
            case "(":
                index = try skipComment(scalars, from: index)
            case "\"":
                let end = try closing(scalars, from: index, quote: "\"", what: "quoted string")
                tokens.append(.quoted(String(String.UnicodeScalarView(scalars[index...end]))))
                index = end + 1
            case "[":
                let end = try closing(scalars, from: index, quote: "]", what: "domain literal")
                tokens.append(.literal(String(String.UnicodeScalarView(scalars[index...end]))))
                index = end + 1
            case "<", ">", ",", ":", ";", "@", ".":
                tokens.append(.special(Character(scalar)))
                index += 1
            default:
                guard isAtext(scalar) else {
                    throw Failure("unexpected character \(Self.show(scalar)) in \"\(text)\"")
                }
                let start = index
                while index < scalars.count, isAtext(scalars[index]) { index += 1 }
                tokens.append(.atom(String(String.UnicodeScalarView(scalars[start..<index]))))
            }
        }
        return tokens
    }

    /// The index of the `quote` that ends what starts at `start`; quoted
    /// pairs (`\x`) are skipped. Control characters (CR and LF among them)
    /// are refused: inside an address they could only smuggle in a header.
    private static func closing(
        _ scalars: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar, what: String
    ) throws(Failure) -> Int {
        var index = start + 1
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == quote { return index }
            if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
                throw Failure("unexpected character \(show(scalar)) in a \(what)")
            }
            index += scalar == "\\" ? 2 : 1
        }
        throw Failure("a \(what) is not closed")
    }

    /// Skips a comment, which may nest (RFC 5322 §3.2.2); returns the index after it.
    private static func skipComment(_ scalars: [Unicode.Scalar], from start: Int) throws(Failure) -> Int {
        var depth = 0
        var index = start
        while index < scalars.count {
            switch scalars[index] {
            case "\\": index += 1
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return index + 1 }
            default: break
            }
            index += 1
        }
        throw Failure("a comment is not closed with \")\"")
    }

    private static func show(_ scalar: Unicode.Scalar) -> String {
        scalar.value < 0x20 || scalar.value == 0x7F ? "U+\(String(scalar.value, radix: 16, uppercase: true))" : "\"\(scalar)\""
    }

    // MARK: - The list

    private struct Parser {
        let tokens: [Token]
        var index = 0
        var mailboxes: [(displayName: String?, address: String)] = []
        /// The current mailbox's tokens outside `<>`: a display name, or a bare addr-spec.
        var pending: [Token] = []
        /// What was inside `<>`, once seen.
        var angle: [Token]?
        var inGroup = false

        init(tokens: [Token]) { self.tokens = tokens }

        mutating func run() throws(Failure) -> [(displayName: String?, address: String)] {
            while index < tokens.count {
                let token = tokens[index]
                index += 1
                switch token {
                case .special("<"):
                    guard angle == nil else { throw Failure("two <...> addresses without a comma between them") }
                    let start = index
                    while index < tokens.count, tokens[index] != .special(">") { index += 1 }
                    guard index < tokens.count else { throw Failure("\"<\" is not closed with \">\"") }
                    angle = Array(tokens[start..<index])
                    index += 1
                case .special(">"):
                    throw Failure("\">\" without \"<\"")
                case .special(","):
                    try finish()
                case .special(":"):
                    // A group's name ends here; its members follow (RFC 5322 §3.4).
                    guard !inGroup, angle == nil else { throw Failure("unexpected \":\"") }
                    pending = []
                    inGroup = true
                case .special(";"):
                    guard inGroup else { throw Failure("\";\" outside a group") }
                    try finish()
                    inGroup = false
                default:
                    guard angle == nil else { throw Failure("unexpected \"\(token.text)\" after an address in <>") }
                    pending.append(token)
                }
            }
            // A group missing its final ";" still lists its members.
            try finish()
            return mailboxes
        }

        private mutating func finish() throws(Failure) {
            defer {
                pending = []
                angle = nil
            }
            if var inside = angle {
                // obs-route (RFC 5322 §4.4): "<@relay.example:jane@shop.example>"; the route is ignored.
                if let colon = inside.lastIndex(of: .special(":")) { inside.removeSubrange(...colon) }
                guard !inside.isEmpty else { throw Failure("<> is not an address") }
                mailboxes.append((AddressList.displayName(pending), try AddressList.addrSpec(inside)))
            } else if !pending.isEmpty {
                mailboxes.append((nil, try AddressList.addrSpec(pending)))
            }
        }
    }

    // addr-spec = local-part "@" domain
    // local-part = dot-atom / quoted-string; domain = dot-atom / domain-literal
    /// The address the tokens spell, or a failure naming them.
    static func addrSpec(_ tokens: [Token]) throws(Failure) -> String {
        let failure = Failure("\"\(render(tokens))\" is not an address; expected local-part@domain")
        var index = 0
        /// word *("." word), where a word is an atom, or also a quoted string when `allowQuoted`.
        func dotted(_ allowQuoted: Bool) -> String? {
            var text = ""
            while index < tokens.count {
                let token = tokens[index]
                switch token {
                case .atom: break
                case .quoted where allowQuoted: break
                default: return nil
                }
                text += token.text
                index += 1
                guard index < tokens.count, tokens[index] == .special(".") else { return text }
                text += "."
                index += 1
            }
            return nil  // empty, or ends with a dot
        }
        guard let local = dotted(true) else { throw failure }
        guard index < tokens.count, tokens[index] == .special("@") else { throw failure }
        index += 1
        let domain: String
        if index < tokens.count, case .literal(let literal) = tokens[index] {
            domain = literal
            index += 1
        } else {
            guard let name = dotted(false) else { throw failure }
            domain = name
        }
        guard index == tokens.count else { throw failure }
        return "\(local)@\(domain)"
    }
}

extension AddressList {
    /// The tokens as text for a message: words apart, specials glued ("Jane Doe", "jane@").
    static func render(_ tokens: [Token]) -> String {
        var text = ""
        var previousIsWord = false
        for token in tokens {
            let isWord = if case .special = token { false } else { true }
            if isWord && previousIsWord { text += " " }
            text += token.text
            previousIsWord = isWord
        }
        return text
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetterOrDigit: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
