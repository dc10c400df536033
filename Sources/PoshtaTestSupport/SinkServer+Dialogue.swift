import Foundation
import SMTPProtocol

/// One sink connection's SMTP state, and its answer to each frame: a plain
/// RFC 5321 server, with the scripted failures checked at every step.
/// No I/O: `SinkSession` carries out the steps.
struct SinkDialogue {
    /// What the session must do after a frame.
    enum Step: Equatable {
        case reply(SMTPReply)
        /// 354: read the message next.
        case replyAndReadMessage(SMTPReply)
        /// 220 to STARTTLS: start the handshake.
        case replyAndStartTLS(SMTPReply)
        case replyAndClose(SMTPReply)
        /// Close without a reply.
        case close
        /// Never answer again.
        case hang
    }

    /// MAIL to the end of DATA.
    struct Transaction {
        var number: Int
        var sender: String
        var parameters: MailParameters
        var recipients: [String] = []
    }

    /// Where an AUTH exchange waits for the client's next line.
    enum SASLStep {
        case plain
        case loginUser
        case loginPassword(user: String)
    }

    let connection: Int
    let recorder: SinkRecorder
    var framer = SMTPServerFramer()
    var heloName: String?
    var usedEHLO = false
    var tlsVersion: String?
    var authUser: String?
    var sasl: SASLStep?
    var transaction: Transaction?

    init(connection: Int, recorder: SinkRecorder) {
        self.connection = connection
        self.recorder = recorder
    }

    /// TLS is up: RFC 3207 §4.2 forgets everything learnt before it.
    mutating func tlsStarted(version: String) {
        tlsVersion = version
        heloName = nil
        usedEHLO = false
        authUser = nil
        sasl = nil
        transaction = nil
    }

    /// The answer to the connection: greeting, scripted refusal, or none yet.
    func greeting(_ behavior: SinkBehavior) -> Step {
        if let response = recorder.failure(at: .connect, unit: connection, sender: nil, recipients: []) {
            return Self.step(for: response)
        }
        if let greeting = behavior.greeting {
            return greeting.isPositive ? .reply(greeting) : .replyAndClose(greeting)
        }
        return .reply(SMTPReply(220, "\(behavior.hostname) ESMTP Poshta sink"))
    }

    /// The answer to the next frame.
    mutating func receive(_ frame: SMTPServerFramer.Frame, behavior: SinkBehavior, batch: Int) -> Step {
        switch frame {
        case .command(let bytes):
            if let step = sasl {
                record(line: "<redacted>", command: nil, batch: batch)
                return continueAuth(step, with: String(decoding: bytes, as: UTF8.self), behavior: behavior)
            }
            let command: SMTPCommand
            do {
                command = try SMTPCommandParser.parse(bytes)
            } catch {
                record(line: String(decoding: bytes, as: UTF8.self), command: nil, batch: batch)
                return .reply(error.reply)
            }
            record(line: command.description, command: command, batch: batch)
            return receive(command, behavior: behavior)
        case .commandTooLong:
            record(line: "<line too long>", command: nil, batch: batch)
            return .reply(SMTPReply(500, "5.5.2", "Line too long"))
        case .commandBareLineEnding:
            record(line: "<bare CR or LF>", command: nil, batch: batch)
            return .reply(SMTPReply(500, "5.5.2", "Lines must end in CRLF"))
        case .message(let outcome):
            return messageEnded(outcome, behavior: behavior)
        }
    }

    private func record(line: String, command: SMTPCommand?, batch: Int) {
        recorder.record(
            SinkCommand(
                connection: connection, line: line, command: command, batch: batch, inTLS: tlsVersion != nil,
                authenticated: authUser != nil))
    }

    private mutating func receive(_ command: SMTPCommand, behavior: SinkBehavior) -> Step {
        switch command {
        case .ehlo(let name), .helo(let name):
            if let step = scripted(.helo) { return step }
            let isEHLO = if case .ehlo = command { true } else { false }
            if isEHLO && !behavior.ehlo { return .reply(SMTPReply(502, "5.5.1", "EHLO not implemented, use HELO")) }
            heloName = name
            usedEHLO = isEHLO
            transaction = nil
            if !isEHLO { return .reply(SMTPReply(250, behavior.hostname)) }
            return .reply(SMTPReply(code: 250, enhancedCode: nil, lines: behavior.ehloLines(inTLS: tlsVersion != nil)))
        case .startTLS:
            guard behavior.offersStartTLS, usedEHLO else {
                return .reply(SMTPReply(502, "5.5.1", "STARTTLS not offered"))
            }
            guard tlsVersion == nil else { return .reply(SMTPReply(503, "5.5.1", "TLS already active")) }
            if let step = scripted(.startTLS) { return step }
            return .replyAndStartTLS(SMTPReply(220, "2.0.0", "Ready to start TLS"))
        case .auth(let mechanism, let initialResponse):
            return startAuth(mechanism: mechanism, initialResponse: initialResponse, behavior: behavior)
        case .mail(let path, let parameters):
            return mail(path, parameters, behavior: behavior)
        case .rcpt(let path, let parameters):
            return rcpt(path, parameters, behavior: behavior)
        case .data:
            guard let transaction else { return .reply(SMTPReply(503, "5.5.1", "Need MAIL command")) }
            guard !transaction.recipients.isEmpty else { return .reply(SMTPReply(554, "5.5.1", "No valid recipients")) }
            if let step = scripted(.data) { return step }
            return .replyAndReadMessage(SMTPReply(354, "End data with <CR><LF>.<CR><LF>"))
        case .rset:
            transaction = nil
            return .reply(SMTPReply(250, "2.0.0", "Ok"))
        case .noop:
            return .reply(SMTPReply(250, "2.0.0", "Ok"))
        case .quit:
            return .replyAndClose(SMTPReply(221, "2.0.0", "Bye"))
        case .vrfy:
            return .reply(SMTPReply(252, "2.5.0", "Cannot VRFY user, but will accept message"))
        case .expn:
            return .reply(SMTPReply(502, "5.5.1", "EXPN not implemented"))
        case .help:
            return .reply(SMTPReply(214, "2.0.0", "See RFC 5321"))
        }
    }

    private mutating func mail(_ path: ReversePath, _ parameters: MailParameters, behavior: SinkBehavior) -> Step {
        guard heloName != nil else { return .reply(SMTPReply(503, "5.5.1", "Send EHLO or HELO first")) }
        guard transaction == nil else { return .reply(SMTPReply(503, "5.5.1", "Nested MAIL command")) }
        if behavior.requireTLS && tlsVersion == nil {
            return .reply(SMTPReply(530, "5.7.0", "Must issue a STARTTLS command first"))
        }
        if behavior.auth != nil && authUser == nil {
            return .reply(SMTPReply(530, "5.7.0", "Authentication required"))
        }
        if let refusal = refusal(of: parameters, behavior: behavior) { return .reply(refusal) }
        if case .mailbox(let mailbox) = path, !mailbox.isASCII, !parameters.smtpUTF8 {
            return .reply(SMTPReply(553, "5.6.7", "UTF-8 address without SMTPUTF8"))
        }
        let number = recorder.nextTransaction()
        if let response = recorder.failure(at: .mail, unit: number, sender: path.address, recipients: []) {
            return Self.step(for: response)
        }
        transaction = Transaction(number: number, sender: path.address, parameters: parameters)
        return .reply(SMTPReply(250, "2.1.0", "Ok"))
    }

    /// The reply to MAIL parameters the sink did not advertise, or too large a SIZE=.
    private func refusal(of parameters: MailParameters, behavior: SinkBehavior) -> SMTPReply? {
        if let declared = parameters.size {
            guard let limit = behavior.size else { return SMTPReply(555, "5.5.4", "SIZE not offered") }
            if declared > limit { return SMTPReply(552, "5.3.4", "Message size exceeds fixed limit") }
        }
        if parameters.body == .eightBitMIME && !behavior.eightBitMIME {
            return SMTPReply(555, "5.5.4", "BODY=8BITMIME not offered")
        }
        if parameters.smtpUTF8 && !behavior.smtpUTF8 { return SMTPReply(555, "5.5.4", "SMTPUTF8 not offered") }
        if let other = parameters.other.first { return SMTPReply(555, "5.5.4", "Unsupported parameter \(other)") }
        return nil
    }

    private mutating func rcpt(_ path: ForwardPath, _ parameters: [ESMTPParameter], behavior: SinkBehavior) -> Step {
        guard var current = transaction else { return .reply(SMTPReply(503, "5.5.1", "Need MAIL command")) }
        if let parameter = parameters.first {
            return .reply(SMTPReply(555, "5.5.4", "Unsupported parameter \(parameter)"))
        }
        let address: String
        switch path {
        case .postmaster: address = "Postmaster"
        case .mailbox(let mailbox):
            if !mailbox.isASCII && !current.parameters.smtpUTF8 {
                return .reply(SMTPReply(553, "5.6.7", "UTF-8 address without SMTPUTF8"))
            }
            address = mailbox.description
        }
        if let limit = behavior.maxRecipients, current.recipients.count >= limit {
            return .reply(SMTPReply(452, "4.5.3", "Too many recipients"))
        }
        if let response = recorder.failure(
            at: .rcpt, unit: current.number, sender: current.sender, recipients: [address])
        {
            return Self.step(for: response)
        }
        current.recipients.append(address)
        transaction = current
        return .reply(SMTPReply(250, "2.1.5", "Ok"))
    }

    private mutating func messageEnded(_ outcome: SMTPServerFramer.MessageOutcome, behavior: SinkBehavior) -> Step {
        guard let current = transaction else { return .reply(SMTPReply(503, "5.5.1", "No transaction")) }
        transaction = nil
        let data: [UInt8]
        switch outcome {
        case .complete(let bytes): data = bytes
        case .tooLarge: return .reply(SMTPReply(552, "5.3.4", "Message size exceeds fixed limit"))
        case .lineTooLong: return .reply(SMTPReply(554, "5.6.0", "Message line longer than 998 octets"))
        case .bareLineEnding: return .reply(SMTPReply(554, "5.6.0", "Message holds a bare CR or LF"))
        }
        let queueID = "SINK\(current.number)"
        let message = SinkMessage(
            sender: current.sender, recipients: current.recipients, mailParameters: current.parameters, data: data,
            heloName: heloName ?? "", usedEHLO: usedEHLO, tlsVersion: tlsVersion, authUser: authUser,
            receivedAt: .now, receivedDate: Date(), connection: connection, transaction: current.number,
            queueID: queueID)
        if let response = recorder.failure(
            at: .dataEnd, unit: current.number, sender: current.sender, recipients: current.recipients)
        {
            if response == .acceptWithoutReply { recorder.record(message) }
            return Self.step(for: response)
        }
        recorder.record(message)
        return .reply(SMTPReply(250, "2.0.0", "Ok: queued as \(queueID)"))
    }

    /// A scripted failure at a connection step, counted per connection.
    func scripted(_ stage: SinkBehavior.ScriptedFailure.Stage) -> Step? {
        recorder.failure(at: stage, unit: connection, sender: nil, recipients: []).map(Self.step)
    }

    static func step(for response: SinkBehavior.ScriptedFailure.Response) -> Step {
        switch response {
        case .reply(let reply): .reply(reply)
        case .replyAndDisconnect(let reply): .replyAndClose(reply)
        case .disconnect, .acceptWithoutReply: .close
        case .hang: .hang
        }
    }
}
