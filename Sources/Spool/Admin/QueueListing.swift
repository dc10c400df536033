/// One message in `poshta queue list`: what mailq shows, plus the shop's tags.
public struct QueueEntry: Codable, Sendable, Hashable {
    public var id: String
    /// Seconds since 1970.
    public var arrival: Double
    /// The message's size in bytes, as spooled.
    public var size: Int
    /// The envelope sender; "" for `<>`.
    public var sender: String
    public var tags: [String: String]
    /// The recipients still in the queue.
    public var recipients: [QueueRecipient]
}

/// A recipient of a queued message and where it stands.
public struct QueueRecipient: Codable, Sendable, Hashable {
    public var position: Int
    public var address: String
    public var state: RecipientState
    public var attempts: Int
    /// When the next attempt is due (seconds since 1970).
    public var nextAttempt: Double
    /// The last reply or error, as the log line gave it.
    public var lastReply: String?
    /// Every attempt, oldest first; only in `show`.
    public var history: [DeliveryAttempt]?
}

/// Everything the spool knows of one message: `poshta queue show ID`.
public struct QueueMessage: Codable, Sendable, Hashable {
    public var id: String
    public var arrival: Double
    public var size: Int
    public var sender: String
    public var client: String?
    public var heloName: String?
    public var bodyType: String?
    public var smtpUTF8: Bool
    public var tags: [String: String]
    /// Every recipient is finished (delivered, bounced, expired or deleted).
    public var finished: Bool
    /// All recipients, finished or not, each with its history.
    public var recipients: [QueueRecipient]

    // "smtpUtf8", so that snake_case JSON ("smtp_utf8") reads back to the same key.
    enum CodingKeys: String, CodingKey {
        case id, arrival, size, sender, client, heloName, bodyType, tags, finished, recipients
        case smtpUTF8 = "smtpUtf8"
    }
}

/// The answer to `poshta queue list`: the messages (up to the limit asked)
/// and how many matched in all.
public struct QueueListing: Codable, Sendable, Hashable {
    public var messages: [QueueEntry]
    public var total: Int

    public init(messages: [QueueEntry], total: Int) {
        self.messages = messages
        self.total = total
    }
}

