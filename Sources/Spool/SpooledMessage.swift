/// A message handed to delivery: its envelope, where its bytes are, and the
/// recipients claimed for this attempt (now `active`).
public struct SpooledMessage: Sendable, Hashable {
    public var envelope: SpoolEnvelope
    public var location: RecordLocation
    public var recipients: [SpooledRecipient]
}

/// One claimed recipient of a spooled message.
public struct SpooledRecipient: Sendable, Hashable {
    /// Index in the envelope's recipient list.
    public var position: Int
    public var address: String
    /// Attempts made before this one.
    public var attempts: Int
    /// The sender was already told that delivery is delayed.
    public var warned: Bool = false
}

/// What happened to one recipient in a delivery attempt.
public struct RecipientOutcome: Sendable, Hashable {
    public var queueID: QueueID
    public var position: Int
    /// `delivered`, `bounced`, `expired`, or `deferred` with `notBefore`.
    public var state: RecipientState
    /// For `deferred`: seconds since 1970 of the next attempt.
    public var notBefore: Double?
    /// The reply or reason, for the queue listing.
    public var reply: String
    /// Where the attempt went: `host[ip]:port`, `capture`, or `none`.
    public var relay: String
    /// The RFC 3463 status of the attempt, e.g. `4.4.1`.
    public var status: String
    /// A delay warning about this recipient went to the sender.
    public var warned: Bool

    public init(
        queueID: QueueID, position: Int, state: RecipientState, notBefore: Double? = nil, reply: String,
        relay: String = "none", status: String = "", warned: Bool = false
    ) {
        self.warned = warned
        self.queueID = queueID
        self.position = position
        self.state = state
        self.notBefore = notBefore
        self.reply = reply
        self.relay = relay
        self.status = status
    }
}

/// One delivery attempt of one recipient, as the spool keeps it.
public struct DeliveryAttempt: Sendable, Hashable, Codable {
    /// Seconds since 1970.
    public var time: Double
    public var relay: String
    /// What the attempt left the recipient in: delivered, deferred, bounced, expired.
    public var state: RecipientState
    public var status: String
    public var reply: String
}
