/// One mail transaction as the server accepted it: the envelope of a message.
///
/// - SeeAlso: RFC 5321 §3.3
public struct MailTransaction: Hashable, Sendable {
    public var sender: ReversePath
    public var parameters: MailParameters
    /// Accepted recipients, in the order given, without duplicates.
    public var recipients: [Mailbox]

    public init(sender: ReversePath, parameters: MailParameters, recipients: [Mailbox] = []) {
        self.sender = sender
        self.parameters = parameters
        self.recipients = recipients
    }
}
