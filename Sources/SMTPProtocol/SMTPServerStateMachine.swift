/// The server side of an SMTP session as a state machine: commands in,
/// actions out. No I/O; the session loop sends the replies and does the work.
///
/// It enforces command order, the envelope limits (size, recipients), the
/// relay rule (only clients allowed to relay may name recipients), the
/// refusal of address tricks, and the error budget of a session.
///
/// - SeeAlso: RFC 5321 §4.1.4 (order of commands), §4.3.2 (replies), RFC 2920, RFC 1870, RFC 6152, RFC 6531
public struct SMTPServerStateMachine: Sendable {
    /// Limits and extensions of one listener.
    public struct Configuration: Sendable, Hashable {
        public var hostname: String
        public var maxMessageSize: Int
        public var maxRecipients: Int
        /// Errors (5xx replies) a session may cause before it is closed with 421.
        public var maxErrors: Int
        /// STARTTLS is advertised (until TLS is active).
        public var offersStartTLS: Bool
        /// SASL mechanisms offered (`PLAIN`, `LOGIN`); empty: no AUTH.
        public var authMechanisms: [String]
        /// AUTH before TLS (a loopback listener's explicit choice); otherwise 538.
        public var authWithoutTLS: Bool
        /// Submission: MAIL needs AUTH first (RFC 6409 §4.3).
        public var requiresAuthentication: Bool
        /// Mailboxes of our own that anyone may write to, relay or not: the
        /// unsubscribe address of the marketing mails, which mailbox
        /// providers write to from the internet.
        public var inboundMailboxes: [InboundMailbox] = []

        public init(
            hostname: String, maxMessageSize: Int, maxRecipients: Int, maxErrors: Int,
            offersStartTLS: Bool = false, authMechanisms: [String] = [], authWithoutTLS: Bool = false,
            requiresAuthentication: Bool = false
        ) {
            self.hostname = hostname
            self.maxMessageSize = maxMessageSize
            self.maxRecipients = maxRecipients
            self.maxErrors = maxErrors
            self.offersStartTLS = offersStartTLS
            self.authMechanisms = authMechanisms
            self.authWithoutTLS = authWithoutTLS
            self.requiresAuthentication = requiresAuthentication
        }
    }

    /// Where a multi-step AUTH exchange stands (RFC 4954 §4).
    enum SASLStep: Sendable, Hashable {
        case plainResponse
        case loginUsername
        case loginPassword(user: String)
    }

    public let configuration: Configuration
    /// Whether this client may send to any domain: it is in the listener's
    /// trusted networks, or (later) it authenticated.
    public var clientMayRelay: Bool
    /// The EHLO or HELO name, once given.
    public private(set) var heloName: String?
    /// True after EHLO (ESMTP), false after HELO.
    public private(set) var isExtended = false
    public private(set) var transaction: MailTransaction?
    public private(set) var errorCount = 0
    /// TLS is active: after STARTTLS, or from the start on an implicit-TLS listener.
    public private(set) var isEncrypted: Bool
    /// The user who authenticated, once AUTH succeeded.
    public private(set) var authenticatedUser: String?
    /// An AUTH exchange waiting for the client's next response line.
    var saslStep: SASLStep?
    /// May this user send with this envelope sender ("" for `<>`)? The
    /// session passes the users database's rule; the default allows all.
    public var senderAllowed: @Sendable (_ sender: String, _ user: String) -> Bool = { _, _ in true }

    public init(configuration: Configuration, clientMayRelay: Bool, isEncrypted: Bool = false) {
        self.configuration = configuration
        self.clientMayRelay = clientMayRelay
        self.isEncrypted = isEncrypted
    }

    // MARK: Replies the session sends on its own

    /// `220 host ESMTP Poshta`: no enhanced code on the greeting (RFC 2034 §3).
    public var greeting: SMTPReply { SMTPReply(220, "\(configuration.hostname) ESMTP Poshta") }
    public var idleTimeoutReply: SMTPReply {
        SMTPReply(421, "4.4.2", "\(configuration.hostname) Error: timeout exceeded; closing connection")
    }
    public var shutdownReply: SMTPReply {
        SMTPReply(421, "4.3.2", "\(configuration.hostname) Service shutting down; try again later")
    }
    public var tooManyConnectionsReply: SMTPReply {
        SMTPReply(421, "4.7.0", "\(configuration.hostname) Too many connections; try again later")
    }

    // MARK: Inputs

    /// A frame from the framer in command mode.
    public mutating func receive(_ frame: SMTPServerFramer.Frame) -> SMTPServerAction {
        switch frame {
        case .command(let line) where saslStep != nil:
            return saslResponse(line)
        case .command(let line):
            do {
                return receive(try SMTPCommandParser.parse(line))
            } catch {
                return fail(error.reply)
            }
        case .commandTooLong:
            return fail(SMTPReply(500, "5.5.2", "Line too long: a command line may have at most 512 octets"))
        case .commandBareLineEnding:
            return fail(SMTPReply(500, "5.5.2", "Bare CR or LF in a command: lines must end with CRLF"))
        case .message(let outcome):
            return messageReceived(outcome)
        }
    }

    /// A parsed command.
    public mutating func receive(_ command: SMTPCommand) -> SMTPServerAction {
        switch command {
        case .ehlo(let name):
            heloName = name
            isExtended = true
            transaction = nil
            return .reply(ehloReply)
        case .helo(let name):
            heloName = name
            isExtended = false
            transaction = nil
            return .reply(SMTPReply(250, configuration.hostname))
        case .mail(let sender, let parameters):
            return mail(sender, parameters)
        case .rcpt(let path, let parameters):
            return rcpt(path, parameters)
        case .data:
            guard let transaction else {
                return fail(SMTPReply(503, "5.5.1", heloName == nil ? "Send EHLO or HELO first" : "Send MAIL first"))
            }
            guard !transaction.recipients.isEmpty else { return fail(SMTPReply(554, "5.5.1", "No valid recipients")) }
            return .replyAndReadMessage(SMTPReply(354, "End data with <CR><LF>.<CR><LF>"))
        case .rset:
            transaction = nil
            return .reply(SMTPReply(250, "2.0.0", "Ok"))
        case .noop:
            return .reply(SMTPReply(250, "2.0.0", "Ok"))
        case .quit:
            return .replyAndClose([SMTPReply(221, "2.0.0", "Bye")])
        case .vrfy:
            return .reply(SMTPReply(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery"))
        case .expn:
            return fail(SMTPReply(502, "5.5.1", "EXPN is not supported"))
        case .help:
            return .reply(
                SMTPReply(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP; see RFC 5321"))
        case .startTLS:
            guard !isEncrypted else { return fail(SMTPReply(503, "5.5.1", "TLS is already active")) }
            guard configuration.offersStartTLS else {
                return fail(SMTPReply(502, "5.5.1", "STARTTLS is not offered on this listener"))
            }
            transaction = nil
            return .replyAndStartTLS(SMTPReply(220, "2.0.0", "Ready to start TLS"))
        case .auth(let mechanism, let initialResponse):
            return auth(mechanism, initialResponse)
        }
    }

    /// The outcome of `.spool`: the reply the intake gave (250 with the queue
    /// id, or the error it raised).
    public mutating func spoolFinished(_ reply: SMTPReply) -> SMTPServerAction {
        reply.isPositive ? .reply(reply) : fail(reply)
    }

    /// TLS is up after STARTTLS: the session starts over (RFC 3207 §4.2),
    /// the client must say EHLO again, and STARTTLS is no longer offered.
    public mutating func tlsStarted() {
        isEncrypted = true
        heloName = nil
        isExtended = false
        transaction = nil
        saslStep = nil
    }

    /// The outcome of `.authenticate`.
    public mutating func authenticationFinished(user: String, succeeded: Bool) -> SMTPServerAction {
        guard succeeded else {
            return fail(SMTPReply(535, "5.7.8", "Authentication credentials invalid"))
        }
        authenticatedUser = user
        clientMayRelay = true
        return .reply(SMTPReply(235, "2.7.0", "Authentication successful"))
    }

    // MARK: Commands

    private var ehloReply: SMTPReply {
        var lines = [configuration.hostname, "PIPELINING", "SIZE \(configuration.maxMessageSize)"]
        if configuration.offersStartTLS && !isEncrypted { lines.append("STARTTLS") }
        if offersAuth { lines.append("AUTH " + configuration.authMechanisms.joined(separator: " ")) }
        lines += ["ENHANCEDSTATUSCODES", "8BITMIME", "SMTPUTF8"]
        return SMTPReply(code: 250, enhancedCode: nil, lines: lines)
    }

    private mutating func mail(_ sender: ReversePath, _ parameters: MailParameters) -> SMTPServerAction {
        guard heloName != nil else { return fail(SMTPReply(503, "5.5.1", "Send EHLO or HELO first")) }
        guard transaction == nil else { return fail(SMTPReply(503, "5.5.1", "Nested MAIL command")) }
        if configuration.requiresAuthentication && authenticatedUser == nil {
            return fail(SMTPReply(530, "5.7.0", "Authentication required: log in with AUTH before MAIL"))
        }
        if let user = authenticatedUser, !senderAllowed(sender.address, user) {
            return fail(SMTPReply(553, "5.7.1", "\(sender): sender address not owned by user \(user)"))
        }
        if !isExtended && !parameters.all.isEmpty {
            return fail(SMTPReply(555, "5.5.4", "MAIL FROM parameters need EHLO, not HELO"))
        }
        if let unknown = parameters.other.first {
            return fail(SMTPReply(555, "5.5.4", "Unsupported MAIL FROM parameter \(unknown.keyword)"))
        }
        if let size = parameters.size, size > configuration.maxMessageSize {
            return fail(
                SMTPReply(552, "5.3.4", "Message size exceeds fixed limit of \(configuration.maxMessageSize) octets"))
        }
        if case .mailbox(let mailbox) = sender, !mailbox.isASCII, !parameters.smtpUTF8 {
            return fail(SMTPReply(553, "5.6.7", "Non-ASCII sender address needs the SMTPUTF8 parameter"))
        }
        transaction = MailTransaction(sender: sender, parameters: parameters)
        return .reply(SMTPReply(250, "2.1.0", "Ok"))
    }

    private mutating func rcpt(_ path: ForwardPath, _ parameters: [ESMTPParameter]) -> SMTPServerAction {
        guard transaction != nil else {
            return fail(SMTPReply(503, "5.5.1", heloName == nil ? "Send EHLO or HELO first" : "Send MAIL first"))
        }
        if let unknown = parameters.first {
            return fail(SMTPReply(555, "5.5.4", "Unsupported RCPT TO parameter \(unknown.keyword)"))
        }
        let mailbox: Mailbox
        switch path {
        case .postmaster: mailbox = Mailbox(localPart: "postmaster", domain: .name(configuration.hostname))
        case .mailbox(let given): mailbox = given
        }
        if mailbox.usesRoutingTricks {
            return fail(
                SMTPReply(553, "5.7.1", "<\(mailbox)>: address tricks (%, ! or a quoted @) are not accepted"))
        }
        if !mailbox.isASCII && transaction?.parameters.smtpUTF8 != true {
            return fail(SMTPReply(553, "5.6.7", "<\(mailbox)>: non-ASCII recipient address needs SMTPUTF8"))
        }
        guard clientMayRelay || configuration.inboundMailboxes.contains(where: { $0.matches(mailbox) }) else {
            return fail(SMTPReply(554, "5.7.1", "<\(mailbox)>: Relay access denied"))
        }
        // The same mailbox twice (domains compare case-insensitively) is kept once.
        if transaction?.recipients.contains(where: { $0.isSameAddress(as: mailbox) }) == true {
            return .reply(SMTPReply(250, "2.1.5", "Ok"))
        }
        guard (transaction?.recipients.count ?? 0) < configuration.maxRecipients else {
            return .reply(SMTPReply(452, "4.5.3", "Too many recipients (at most \(configuration.maxRecipients))"))
        }
        transaction?.recipients.append(mailbox)
        return .reply(SMTPReply(250, "2.1.5", "Ok"))
    }

    private mutating func messageReceived(_ outcome: SMTPServerFramer.MessageOutcome) -> SMTPServerAction {
        guard let finished = transaction else {
            return fail(SMTPReply(503, "5.5.1", "Send MAIL first"))
        }
        transaction = nil
        switch outcome {
        case .complete(let content):
            return .spool(finished, content)
        case .tooLarge:
            return fail(
                SMTPReply(552, "5.3.4", "Message size exceeds fixed limit of \(configuration.maxMessageSize) octets"))
        case .lineTooLong:
            return fail(SMTPReply(500, "5.5.2", "Message has a line longer than 998 octets; nothing was queued"))
        case .bareLineEnding:
            return fail(
                SMTPReply(
                    550, "5.6.0",
                    "Bare CR or LF line endings are not allowed in a message; lines must end with CRLF. Nothing was queued"
                ))
        }
    }

    /// Counts a 5xx reply; past the session's budget, adds 421 and closes.
    mutating func fail(_ reply: SMTPReply) -> SMTPServerAction {
        guard reply.isPermanentFailure else { return .reply(reply) }
        errorCount += 1
        if errorCount >= configuration.maxErrors {
            return .replyAndClose([
                reply, SMTPReply(421, "4.7.0", "\(configuration.hostname) Error: too many errors; closing connection"),
            ])
        }
        return .reply(reply)
    }
}
