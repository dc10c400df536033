/// AUTH on the server side: PLAIN and LOGIN, with or without an initial
/// response, only over TLS unless the listener says otherwise.
///
/// - SeeAlso: RFC 4954 §4 (the exchange), §6 (status codes), RFC 4616 (PLAIN)
extension SMTPServerStateMachine {
    /// True while an AUTH exchange waits for the client's next line, which
    /// may then be as long as RFC 4954 allows.
    public var isAwaitingSASLResponse: Bool { saslStep != nil }

    /// Whether EHLO lists AUTH now.
    var offersAuth: Bool {
        !configuration.authMechanisms.isEmpty && authenticatedUser == nil
            && (isEncrypted || configuration.authWithoutTLS)
    }

    mutating func auth(_ mechanism: String, _ initialResponse: String?) -> SMTPServerAction {
        guard !configuration.authMechanisms.isEmpty else {
            return fail(SMTPReply(502, "5.5.1", "AUTH is not offered on this listener"))
        }
        guard isEncrypted || configuration.authWithoutTLS else {
            return fail(
                SMTPReply(538, "5.7.11", "Encryption required for requested authentication mechanism: use STARTTLS first"))
        }
        guard heloName != nil, isExtended else { return fail(SMTPReply(503, "5.5.1", "Send EHLO first")) }
        guard authenticatedUser == nil else { return fail(SMTPReply(503, "5.5.1", "Already authenticated")) }
        guard transaction == nil else {
            return fail(SMTPReply(503, "5.5.1", "AUTH is not allowed during a mail transaction"))
        }
        guard configuration.authMechanisms.contains(mechanism) else {
            return fail(
                SMTPReply(
                    504, "5.5.4",
                    "Unrecognized authentication type; offered: \(configuration.authMechanisms.joined(separator: " "))"))
        }
        switch (mechanism, initialResponse) {
        case ("PLAIN", nil):
            saslStep = .plainResponse
            return .reply(Self.challenge(""))
        case ("PLAIN", let response?):
            return plain(response == "=" ? "" : response)
        case ("LOGIN", nil):
            saslStep = .loginUsername
            return .reply(Self.challenge(SASLLogin.usernameChallenge))
        case ("LOGIN", let response?):
            return loginUsername(response == "=" ? "" : response)
        default:
            return fail(SMTPReply(504, "5.5.4", "Unrecognized authentication type"))
        }
    }

    /// A line sent in answer to a 334 challenge.
    mutating func saslResponse(_ line: [UInt8]) -> SMTPServerAction {
        let step = saslStep
        saslStep = nil
        let text = String(decoding: line, as: UTF8.self)
        if text == "*" { return fail(SMTPReply(501, "5.7.0", "Authentication cancelled")) }
        switch step {
        case .plainResponse?: return plain(text)
        case .loginUsername?: return loginUsername(text)
        case .loginPassword(let user)?:
            do {
                return .authenticate(mechanism: "LOGIN", user: user, password: try SASLLogin.decode(text))
            } catch {
                return fail(error.reply)
            }
        case nil: return fail(SMTPReply(503, "5.5.1", "No authentication exchange in progress"))
        }
    }

    private mutating func plain(_ response: String) -> SMTPServerAction {
        do {
            let credentials = try SASLPlain.decode(response)
            return .authenticate(mechanism: "PLAIN", user: credentials.user, password: credentials.password)
        } catch {
            return fail(error.reply)
        }
    }

    private mutating func loginUsername(_ response: String) -> SMTPServerAction {
        do {
            saslStep = .loginPassword(user: try SASLLogin.decode(response))
            return .reply(Self.challenge(SASLLogin.passwordChallenge))
        } catch {
            return fail(error.reply)
        }
    }

    /// `334 text`: a server challenge, never with an enhanced code.
    static func challenge(_ base64: String) -> SMTPReply {
        SMTPReply(code: 334, enhancedCode: nil, lines: [base64])
    }
}
