/// What the session must do after the state machine has seen an input.
public enum SMTPServerAction: Hashable, Sendable {
    /// Send the reply and read the next command.
    case reply(SMTPReply)
    /// Send the reply (354) and read a message: switch the framer to DATA.
    case replyAndReadMessage(SMTPReply)
    /// Send the replies, then close the connection.
    case replyAndClose([SMTPReply])
    /// Put the message on the spool, then report the outcome with
    /// `SMTPServerStateMachine.spoolFinished(_:)`.
    case spool(MailTransaction, [UInt8])
    /// Send the reply (220), then start TLS (RFC 3207).
    case replyAndStartTLS(SMTPReply)
    /// Check these credentials (RFC 4954), then report with
    /// `SMTPServerStateMachine.authenticationFinished(user:succeeded:)`.
    case authenticate(mechanism: String, user: String, password: String)
}
