import SMTPProtocol

/// AUTH PLAIN (with an initial response, or after an empty 334) and AUTH
/// LOGIN, checked against the behavior's one account.
///
/// - SeeAlso: RFC 4954 §4, RFC 4616 (PLAIN), draft-murchison-sasl-login-00 (LOGIN)
extension SinkDialogue {
    mutating func startAuth(mechanism: String, initialResponse: String?, behavior: SinkBehavior) -> Step {
        guard behavior.auth != nil else { return .reply(SMTPReply(502, "5.5.1", "AUTH not offered")) }
        guard behavior.offersAuth(inTLS: tlsVersion != nil) else {
            return .reply(SMTPReply(538, "5.7.11", "Encryption required for requested authentication mechanism"))
        }
        guard usedEHLO else { return .reply(SMTPReply(503, "5.5.1", "Send EHLO first")) }
        guard authUser == nil else { return .reply(SMTPReply(503, "5.5.1", "Already authenticated")) }
        guard transaction == nil else { return .reply(SMTPReply(503, "5.5.1", "AUTH not allowed during a mail transaction")) }
        if let step = scripted(.auth) { return step }
        switch mechanism {
        case "PLAIN":
            guard let initialResponse else {
                sasl = .plain
                return .reply(SMTPReply(code: 334, enhancedCode: nil, lines: [""]))
            }
            return continueAuth(.plain, with: initialResponse, behavior: behavior)
        case "LOGIN":
            guard let initialResponse else {
                sasl = .loginUser
                return .reply(SMTPReply(334, SASLLogin.usernameChallenge))
            }
            return continueAuth(.loginUser, with: initialResponse, behavior: behavior)
        default:
            return .reply(SMTPReply(504, "5.5.4", "Unrecognized authentication type"))
        }
    }

    /// The client's answer to a challenge (or its initial response).
    mutating func continueAuth(_ step: SASLStep, with line: String, behavior: SinkBehavior) -> Step {
        sasl = nil
        do throws(SASLError) {
            switch step {
            case .plain:
                let credentials = try SASLPlain.decode(line)
                return finishAuth(user: credentials.user, password: credentials.password, behavior: behavior)
            case .loginUser:
                let user = try SASLLogin.decode(line)
                sasl = .loginPassword(user: user)
                return .reply(SMTPReply(334, SASLLogin.passwordChallenge))
            case .loginPassword(let user):
                return finishAuth(user: user, password: try SASLLogin.decode(line), behavior: behavior)
            }
        } catch {
            return .reply(error.reply)
        }
    }

    private mutating func finishAuth(user: String, password: String, behavior: SinkBehavior) -> Step {
        guard let account = behavior.auth, account.user == user, account.password == password else {
            return .reply(SMTPReply(535, "5.7.8", "Authentication credentials invalid"))
        }
        authUser = user
        recorder.note(connection, .event, "authenticated as \(user)")
        return .reply(SMTPReply(235, "2.7.0", "Authentication successful"))
    }
}
