public import SMTPProtocol

/// A step between receiving a message and spooling it that may replace it:
/// the shop's template messages become finished mails here.
///
/// Intake calls it for every message, before adding Received; a transformer
/// that has nothing to do returns `.keep`. Refusals carry the reply the
/// client gets (a 5xx that names what is wrong), and then nothing is spooled.
public protocol MessageTransformer: Sendable {
    func transform(_ message: IncomingMessage) async throws(IntakeError) -> Transformation
}

/// What a transformer decided.
public enum Transformation: Sendable {
    /// Spool the message as it came.
    case keep
    /// Spool this instead (a complete message: header section and body),
    /// with these tags kept beside it on the spool (template, order, customer…),
    /// to these recipients when given (an administrator notification goes
    /// to the shop's admin addresses), else to the envelope's.
    case replace(content: [UInt8], tags: [String: String], note: String, recipients: [Mailbox]? = nil)
    /// Accept with 250 and spool nothing; the reason goes to the log.
    case suppress(reason: String)
    /// Taken care of without spooling (a shop event was recorded); the text
    /// ends the 250 reply.
    case handled(String)
}

/// What became of a message Intake took.
public enum IntakeOutcome: Sendable, Equatable {
    case queued(QueueIDText)
    case suppressed(reason: String)
    case handled(String)
}

/// A queue id as text (so that sessions need not import the spool).
public typealias QueueIDText = String
