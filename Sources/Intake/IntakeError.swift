public import SMTPProtocol

/// Why Intake refused or could not take a message; each carries its reply.
///
/// - SeeAlso: Postfix `src/global/cleanup_strerror.c`
public enum IntakeError: Error, Sendable, SMTPReplyConvertible {
    /// The spool could not store the message (disk full, I/O error).
    case spoolFailed(String)
    /// The content cannot be used (a template message with bad data): the
    /// reply says exactly what is wrong.
    case rejected(SMTPReply)

    public var reply: SMTPReply {
        switch self {
        case .spoolFailed:
            SMTPReply(451, "4.3.0", "Requested action aborted: local error in processing; try again later")
        case .rejected(let reply):
            reply
        }
    }
}
