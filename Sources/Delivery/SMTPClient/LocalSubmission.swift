import NIOCore
public import SMTPProtocol

/// How an all-or-nothing submission ended.
///
/// Unlike a delivery, which sends to the recipients a server accepted and
/// retries the others, a submission from a local program (`poshta sendmail`)
/// must go to every recipient or to none: the program gets one exit status
/// and cannot resend to half of the list.
public enum SubmissionOutcome: Sendable, Hashable {
    /// A recipient the server refused, and its reply.
    public struct Refusal: Sendable, Hashable {
        public var recipient: String
        public var reply: SMTPReply

        public init(recipient: String, reply: SMTPReply) {
            self.recipient = recipient
            self.reply = reply
        }
    }

    /// Every recipient accepted and the message taken: the final reply
    /// (`250 2.0.0 Ok: queued as …`).
    case accepted(SMTPReply)
    /// The client would not send: the server cannot take this message
    /// (its SIZE, no 8BITMIME or SMTPUTF8); nothing was sent.
    case notSendable(SMTPReply)
    /// MAIL FROM was refused; the transaction was reset.
    case senderRefused(SMTPReply)
    /// At least one RCPT TO was refused; the transaction was reset before
    /// DATA, so nobody got the message.
    case recipientsRefused([Refusal])
    /// DATA was refused (no 354); the transaction was reset.
    case dataRefused(SMTPReply)
    /// The reply after the message was not 250: the server did not take it.
    case messageRefused(SMTPReply)
    /// The connection failed after the whole message was sent, before the
    /// reply: the server may or may not have queued it. Holds the failure.
    case uncertain(String)
}

extension SMTPClientConnection {
    /// Sends one message to all of the envelope's recipients or to none:
    /// MAIL and every RCPT (pipelined when offered, RFC 2920), and DATA only
    /// when every recipient was accepted; otherwise RSET. Throws when the
    /// connection fails before the message was sent: then it was not.
    ///
    /// - SeeAlso: RFC 5321 §3.3, §4.1.1.5 (RSET)
    public func submit(_ envelope: OutboundEnvelope, message: [UInt8]) async throws(SMTPClientError) -> SubmissionOutcome {
        let mail: String
        do {
            mail = try envelope.mailCommand(for: extensions, serverName: remote)
        } catch {
            return .notSendable(error.reply)
        }
        let commands = [mail] + envelope.recipientCommands
        var replies: [SMTPReply] = []
        if extensions.pipelining {
            // MAIL and RCPTs in one write; DATA waits for their verdicts.
            let bytes = ByteBuffer(string: commands.map { $0 + "\r\n" }.joined())
            replies = try await exchange(bytes, commands.map { _ in timeouts.command }, step: "sending MAIL FROM")
        } else {
            for (index, command) in commands.enumerated() {
                let step = index == 0 ? "sending MAIL FROM" : "sending RCPT TO"
                let reply = try await exchange(ByteBuffer(string: command + "\r\n"), [timeouts.command], step: step)[0]
                replies.append(reply)
                if index == 0 && !reply.isSuccess { break }  // no transaction to add recipients to
            }
        }
        guard replies[0].isSuccess else {
            try await reset()
            return .senderRefused(replies[0])
        }
        let refusals = zip(envelope.recipients, replies.dropFirst())
            .filter { !$0.1.isSuccess }
            .map { SubmissionOutcome.Refusal(recipient: $0.0, reply: $0.1) }
        guard refusals.isEmpty else {
            try await reset()
            return .recipientsRefused(refusals)
        }
        let dataReply = try await exchange(ByteBuffer(string: "DATA\r\n"), [timeouts.dataInitiation], step: "sending DATA")[0]
        guard dataReply.code == 354 else {
            try await reset()
            return .dataRefused(dataReply)
        }
        var body = ByteBuffer()
        MessageDataEncoder.write(message, to: &body)
        let final: SMTPReply
        do {
            final = try await exchange(body, [timeouts.dataTermination], step: "waiting for the reply to the message")[0]
        } catch {
            return .uncertain(error.message)
        }
        return final.code == 250 ? .accepted(final) : .messageRefused(final)
    }

    private func reset() async throws(SMTPClientError) {
        _ = try await exchange(ByteBuffer(string: "RSET\r\n"), [timeouts.command], step: "sending RSET")
    }
}

extension SMTPReply {
    /// 2xx: MAIL and RCPT accepted (250, or 251 "will forward").
    fileprivate var isSuccess: Bool { (200..<300).contains(code) }
}
