/// A server reply: a three-digit code, an optional enhanced status code and
/// one or more lines of text.
///
/// - SeeAlso: RFC 5321 §4.2, RFC 3463, RFC 2034
public struct SMTPReply: Hashable, Sendable, CustomStringConvertible {
    public var code: Int
    /// Printed at the start of every line when present (RFC 2034 §3). The
    /// greeting and the answers to EHLO and HELO carry none.
    public var enhancedCode: EnhancedStatusCode?
    public var lines: [String]

    public init(code: Int, enhancedCode: EnhancedStatusCode?, lines: [String]) {
        precondition((200...599).contains(code), "reply codes are 2xx to 5xx")
        self.code = code
        self.enhancedCode = enhancedCode
        self.lines = lines.isEmpty ? [""] : lines
    }

    /// A one-line reply with an enhanced status code: `SMTPReply(250, "2.0.0", "Ok")`.
    public init(_ code: Int, _ enhanced: String, _ text: String) {
        self.init(code: code, enhancedCode: EnhancedStatusCode(enhanced), lines: [text])
    }

    /// A reply without an enhanced status code.
    public init(_ code: Int, _ text: String) {
        self.init(code: code, enhancedCode: nil, lines: [text])
    }

    /// 2xx.
    public var isPositive: Bool { code < 400 }
    /// 4xx: try again later.
    public var isTransientFailure: Bool { (400..<500).contains(code) }
    /// 5xx: do not try again.
    public var isPermanentFailure: Bool { code >= 500 }

    /// The reply as one line of text for logs: `550 5.7.1 Relay access denied`.
    public var description: String {
        let prefix = enhancedCode.map { "\(code) \($0) " } ?? "\(code) "
        return prefix + lines.joined(separator: " / ")
    }

    /// The wire form, `250-first\r\n250 last\r\n`.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        for (index, line) in lines.enumerated() {
            let separator = index == lines.count - 1 ? " " : "-"
            var text = "\(code)\(separator)"
            if let enhancedCode { text += "\(enhancedCode) " }
            text += line
            // `250\r\n`, not `250 \r\n`: RFC 5321's grammar has no space before an
            // empty text. A 334 challenge keeps it: RFC 4954 §4 writes `"334" SP [base64]`.
            if line.isEmpty && separator == " " && enhancedCode == nil && code != 334 { text.removeLast() }
            out.append(contentsOf: text.utf8)
            out.append(contentsOf: [0x0D, 0x0A])
        }
        return out
    }
}

/// An error that knows the reply a client should get for it.
///
/// Every refusal in the server (protocol, policy, intake) conforms, so that the
/// session answers with the reply the error carries; anything else becomes
/// `451 4.3.0`.
public protocol SMTPReplyConvertible: Error {
    var reply: SMTPReply { get }
}
