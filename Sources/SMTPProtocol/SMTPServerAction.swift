/// What the session must do after the state machine has seen an input.
public enum SMTPServerAction: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
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

    /// For logs and test failures: never shows a password.
    public var description: String {
        switch self {
        case .reply(let reply): "reply(\(reply))"
        case .replyAndReadMessage(let reply): "replyAndReadMessage(\(reply))"
        case .replyAndClose(let replies): "replyAndClose(\(replies.map(\.description)))"
        case .spool(let transaction, let content): "spool(\(transaction.sender) → \(transaction.recipients.count) recipient(s), \(content.count) octets)"
        case .replyAndStartTLS(let reply): "replyAndStartTLS(\(reply))"
        case .authenticate(let mechanism, let user, _): "authenticate(\(mechanism), user: \(user), password: <redacted>)"
        }
    }

    public var debugDescription: String { description }
}
