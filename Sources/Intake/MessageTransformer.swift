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
    /// Taken care of without spooling the message itself (a shop event was
    /// recorded); the text ends the 250 reply. What the handling produced
    /// of its own (a stock alert to the administrators) is spooled before
    /// the reply.
    case handled(String, spawned: [SpawnedMessage] = [])
}

/// A message a transformer made of its own accord while handling another,
/// complete and addressed: an administrator notification from an event.
public struct SpawnedMessage: Sendable {
    public var sender: ReversePath
    public var recipients: [Mailbox]
    /// The whole message: header section and body.
    public var content: [UInt8]
    public var tags: [String: String]
    /// For the log line of the spooled message.
    public var note: String

    public init(sender: ReversePath, recipients: [Mailbox], content: [UInt8], tags: [String: String], note: String) {
        self.sender = sender
        self.recipients = recipients
        self.content = content
        self.tags = tags
        self.note = note
    }
}

/// What became of a message Intake took.
public enum IntakeOutcome: Sendable, Equatable {
    case queued(QueueIDText)
    case suppressed(reason: String)
    case handled(String)
}

/// A queue id as text (so that sessions need not import the spool).
public typealias QueueIDText = String
