/// What a server offered in its EHLO reply: the service extensions an SMTP
/// client may use in the session.
///
/// Keywords are case-insensitive (RFC 5321 §4.1.1.1); the first line of the
/// reply is the greeting and carries none. A server greeted with HELO offers
/// nothing (``none``).
///
/// - SeeAlso: RFC 5321 §4.1.1.1, RFC 2920 (PIPELINING), RFC 1870 (SIZE),
///   RFC 6152 (8BITMIME), RFC 6531 (SMTPUTF8), RFC 3207 (STARTTLS),
///   RFC 4954 (AUTH), RFC 2034 (ENHANCEDSTATUSCODES)
public struct ServerExtensions: Hashable, Sendable {
    /// Upper-cased keyword → its parameters as sent (may be empty).
    public private(set) var keywords: [String: String]

    /// The extensions of a server that only spoke HELO.
    public static let none = ServerExtensions(keywords: [:])

    private init(keywords: [String: String]) {
        self.keywords = keywords
    }

    /// Reads the lines after the first of a 250 reply to EHLO.
    public init(ehloReply reply: SMTPReply) {
        var keywords: [String: String] = [:]
        for line in reply.lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard let keyword = parts.first, !keyword.isEmpty else { continue }
            // Old servers wrote `AUTH=LOGIN PLAIN` (before RFC 4954); read it as AUTH.
            if keyword.uppercased().hasPrefix("AUTH=") {
                let mechanisms = keyword.dropFirst(5) + (parts.count > 1 ? " " + parts[1] : "")
                keywords["AUTH", default: ""] += (keywords["AUTH"].map { $0.isEmpty ? "" : " " } ?? "") + mechanisms
                continue
            }
            let name = keyword.uppercased()
            let parameters = parts.count > 1 ? String(parts[1]) : ""
            if name == "AUTH", let existing = keywords["AUTH"], !existing.isEmpty {
                keywords["AUTH"] = existing + " " + parameters
            } else {
                keywords[name] = parameters
            }
        }
        self.keywords = keywords
    }

    public func offers(_ keyword: String) -> Bool { keywords[keyword.uppercased()] != nil }

    public var pipelining: Bool { offers("PIPELINING") }
    public var startTLS: Bool { offers("STARTTLS") }
    public var eightBitMIME: Bool { offers("8BITMIME") }
    public var smtpUTF8: Bool { offers("SMTPUTF8") }
    public var enhancedStatusCodes: Bool { offers("ENHANCEDSTATUSCODES") }

    /// The fixed maximum message size of `SIZE n`; nil when not offered or 0
    /// (RFC 1870 §4: zero means no fixed maximum).
    public var sizeLimit: Int? {
        guard let text = keywords["SIZE"], let limit = Int(text.split(separator: " ").first ?? ""), limit > 0 else {
            return nil
        }
        return limit
    }

    /// Whether SIZE was offered at all, so that `SIZE=` may be sent.
    public var size: Bool { offers("SIZE") }

    /// The SASL mechanisms of `AUTH`, upper-cased.
    public var authMechanisms: Set<String> {
        guard let text = keywords["AUTH"] else { return [] }
        return Set(text.split(separator: " ").map { $0.uppercased() })
    }
}
