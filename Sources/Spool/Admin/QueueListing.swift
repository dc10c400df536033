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
/// and how many matched in all; `next` continues the listing when the limit
/// cut it short.
public struct QueueListing: Codable, Sendable, Hashable {
    public var messages: [QueueEntry]
    public var total: Int
    /// Where the next page starts; nil when these are the last messages.
    public var next: QueueCursor?

    public init(messages: [QueueEntry], total: Int, next: QueueCursor? = nil) {
        self.messages = messages
        self.total = total
        self.next = next
    }
}

/// A place in the listing's order (arrival, then id): the next page holds
/// the messages after it. Values, not a message to look up, so that the
/// listing goes on even if that message is gone meanwhile.
public struct QueueCursor: Codable, Sendable, Hashable {
    public var arrival: Double
    public var id: String

    public init(arrival: Double, id: String) {
        self.arrival = arrival
        self.id = id
    }

    /// `after_arrival` and `after_id`, the query parameters of the admin API.
    public var query: [(name: String, value: String)] {
        [("after_arrival", String(arrival)), ("after_id", id)]
    }

    /// From the query parameters; nil when they are absent, throws when they are wrong.
    public init?(query: [String: String]) throws(QueueFilterError) {
        guard let arrivalText = query["after_arrival"], let id = query["after_id"] else {
            if query["after_arrival"] != nil || query["after_id"] != nil {
                throw QueueFilterError("after_arrival and after_id go together")
            }
            return nil
        }
        guard let arrival = Double(arrivalText), arrival.isFinite else {
            throw QueueFilterError("after_arrival: \"\(arrivalText)\" is not a time in seconds")
        }
        self.init(arrival: arrival, id: id)
    }
}
