/// Turns one command line (without its CRLF) into an `SMTPCommand`.
///
/// Verbs and the `FROM:`/`TO:` keywords are case-insensitive; one or more
/// spaces may follow the colon (as Postfix and most servers allow), but the
/// path must be in angle brackets. NUL, CR and LF never appear in a valid
/// line; 8-bit bytes only inside addresses and parameter values, and only as
/// valid UTF-8.
///
/// - SeeAlso: RFC 5321 §4.1.1, §4.1.2; RFC 1870; RFC 6152; RFC 6531
public enum SMTPCommandParser {
    public static func parse(_ line: some Collection<UInt8>) throws(SMTPSyntaxError) -> SMTPCommand {
        let bytes = Array(line)
        if bytes.contains(0) { throw .invalidCharacters("NUL characters are not allowed in commands") }
        if bytes.contains(0x0D) || bytes.contains(0x0A) {
            throw .invalidCharacters("bare CR or LF characters are not allowed in commands")
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .invalidCharacters("8-bit characters in commands must be valid UTF-8")
        }
        let verbEnd = bytes.firstIndex(of: UInt8(ascii: " ")) ?? bytes.count
        let verbBytes = bytes[..<verbEnd]
        guard !verbBytes.isEmpty, verbBytes.allSatisfy({ isLetDig($0) }) else {
            if verbBytes.contains(where: { $0 >= 0x80 }) {
                throw .invalidCharacters("8-bit characters are not allowed in a command verb")
            }
            throw .unrecognizedCommand
        }
        let verb = String(decoding: verbBytes.map(lowercased), as: UTF8.self).uppercased()
        let rest = verbEnd < bytes.count ? Array(bytes[(verbEnd + 1)...]) : []
        let argument = String(decoding: rest, as: UTF8.self).trimmingSpaces()

        switch verb {
        case "EHLO", "HELO":
            guard !argument.isEmpty else { throw .badArguments("\(verb) requires a domain name") }
            guard argument.utf8.allSatisfy({ (33...126).contains($0) }) else {
                throw .badArguments("\(verb) takes one domain name or address literal, without spaces")
            }
            return verb == "EHLO" ? .ehlo(argument) : .helo(argument)
        case "MAIL":
            let (path, parameters) = try parsePathCommand(rest, keyword: "FROM:", verb: "MAIL", isSender: true)
            guard case .mailbox(let mailbox) = path else {
                if case .null = path { return .mail(.null, try mailParameters(parameters)) }
                throw .badSenderAddress("<Postmaster> needs a domain here")
            }
            return .mail(.mailbox(mailbox), try mailParameters(parameters))
        case "RCPT":
            let (path, parameters) = try parsePathCommand(rest, keyword: "TO:", verb: "RCPT", isSender: false)
            switch path {
            case .null: throw .badRecipientAddress("the null path <> is not a recipient")
            case .postmaster: return .rcpt(.postmaster, parameters)
            case .mailbox(let mailbox): return .rcpt(.mailbox(mailbox), parameters)
            }
        case "DATA", "RSET", "QUIT", "STARTTLS":
            guard argument.isEmpty else { throw .badArguments("\(verb) takes no arguments") }
            switch verb {
            case "DATA": return .data
            case "RSET": return .rset
            case "QUIT": return .quit
            default: return .startTLS
            }
        case "NOOP":
            return .noop(argument.isEmpty ? nil : argument)
        case "HELP":
            return .help(argument.isEmpty ? nil : argument)
        case "VRFY", "EXPN":
            guard !argument.isEmpty else { throw .badArguments("\(verb) requires an argument") }
            return verb == "VRFY" ? .vrfy(argument) : .expn(argument)
        case "AUTH":
            let words = argument.split(separator: " ", omittingEmptySubsequences: true)
            guard (1...2).contains(words.count) else {
                throw .badArguments("Syntax: AUTH mechanism [initial-response]")
            }
            return .auth(mechanism: words[0].uppercased(), initialResponse: words.count == 2 ? String(words[1]) : nil)
        default:
            throw .unrecognizedCommand
        }
    }

    /// `FROM:<path> params` or `TO:<path> params`, after the verb and its space.
    private static func parsePathCommand(
        _ rest: [UInt8], keyword: String, verb: String, isSender: Bool
    ) throws(SMTPSyntaxError) -> (PathParser.ForwardPathOrNull, [ESMTPParameter]) {
        let keywordBytes = Array(keyword.utf8)
        guard rest.count >= keywordBytes.count,
            zip(rest, keywordBytes).allSatisfy({ lowercased($0) == lowercased($1) })
        else { throw .badArguments("Syntax: \(verb) \(keyword)<address>") }
        var index = keywordBytes.count
        while index < rest.count && rest[index] == UInt8(ascii: " ") { index += 1 }
        guard index < rest.count, rest[index] == UInt8(ascii: "<") else {
            throw .badArguments("Syntax: \(verb) \(keyword)<address> (the address must be in angle brackets)")
        }
        var parser = PathParser(rest, at: index)
        let path: PathParser.ForwardPathOrNull
        do {
            path = try parser.parsePath(allowPostmaster: !isSender)
        } catch {
            switch error {
            case .sourceRoute: throw .sourceRoute
            case .syntax(let why): throw isSender ? .badSenderAddress(why) : .badRecipientAddress(why)
            }
        }
        let parameterBytes = rest[parser.index...]
        if let first = parameterBytes.first, first != UInt8(ascii: " ") {
            let why = "unexpected characters after the address"
            throw isSender ? .badSenderAddress(why) : .badRecipientAddress(why)
        }
        return (path, try parseParameters(String(decoding: parameterBytes, as: UTF8.self)))
    }

    // esmtp-param = esmtp-keyword ["=" esmtp-value]
    // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
    // esmtp-value = 1*(%d33-60 / %d62-126 / UTF8-non-ascii)
    private static func parseParameters(_ text: String) throws(SMTPSyntaxError) -> [ESMTPParameter] {
        var parameters: [ESMTPParameter] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let keyword = String(parts[0])
            guard let first = keyword.utf8.first, isLetDig(first),
                keyword.utf8.allSatisfy({ isLetDig($0) || $0 == UInt8(ascii: "-") })
            else { throw .badParameter("'\(word)' is not a valid parameter") }
            var value: String?
            if parts.count == 2 {
                let text = String(parts[1])
                guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 33 && $0 != 61 && $0 != 127) }) else {
                    throw .badParameter("parameter \(keyword.uppercased()) has an invalid value")
                }
                value = text
            }
            let parameter = ESMTPParameter(keyword, value)
            guard !parameters.contains(where: { $0.keyword == parameter.keyword }) else {
                throw .badParameter("parameter \(parameter.keyword) is given twice")
            }
            parameters.append(parameter)
        }
        return parameters
    }

    private static func mailParameters(_ parameters: [ESMTPParameter]) throws(SMTPSyntaxError) -> MailParameters {
        var result = MailParameters()
        for parameter in parameters {
            switch parameter.keyword {
            case "SIZE":
                guard let value = parameter.value, value.count <= 20, value.utf8.allSatisfy({ (48...57).contains($0) })
                else { throw .badParameter("SIZE needs a number of octets (SIZE=12345)") }
                result.size = Int(value) ?? Int.max
            case "BODY":
                guard let value = parameter.value, let body = BodyType(rawValue: value.uppercased()) else {
                    throw .badParameter("BODY must be 7BIT or 8BITMIME")
                }
                result.body = body
            case "SMTPUTF8":
                guard parameter.value == nil else { throw .badParameter("SMTPUTF8 takes no value") }
                result.smtpUTF8 = true
            default:
                result.other.append(parameter)
            }
        }
        return result
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
