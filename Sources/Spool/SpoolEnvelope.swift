/// What the spool keeps beside a message's bytes: who sent it, to whom, and
/// how it arrived. Stored in the message's record, so a segment file alone
/// is enough to rebuild the index.
public struct SpoolEnvelope: Codable, Sendable, Hashable {
    public var queueID: QueueID
    /// The reverse path without brackets; "" for the null sender `<>`.
    public var sender: String
    /// Forward paths without brackets, in the order accepted.
    public var recipients: [String]
    /// Seconds since 1970 when the message was accepted.
    public var arrival: Double
    /// `8BITMIME` when the client said so.
    public var bodyType: String?
    /// The client asked for SMTPUTF8.
    public var smtpUTF8: Bool
    /// `[127.0.0.1]:4711` and the like: who handed us the message.
    public var client: String?
    public var heloName: String?
    /// Shop tags (template, automation, order, customer) for later filters.
    public var tags: [String: String]

    public init(
        queueID: QueueID, sender: String, recipients: [String], arrival: Double, bodyType: String? = nil,
        smtpUTF8: Bool = false, client: String? = nil, heloName: String? = nil, tags: [String: String] = [:]
    ) {
        self.queueID = queueID
        self.sender = sender
        self.recipients = recipients
        self.arrival = arrival
        self.bodyType = bodyType
        self.smtpUTF8 = smtpUTF8
        self.client = client
        self.heloName = heloName
        self.tags = tags
    }
}

/// Where a message's record lies: segment number, offset, and lengths.
public struct RecordLocation: Sendable, Hashable {
    public var segment: Int
    public var offset: Int
    public var headerLength: Int
    public var bodyLength: Int

    /// The bytes the record takes in its segment.
    public var recordLength: Int { SegmentRecord.overhead + headerLength + bodyLength }
    /// Where the message bytes start.
    public var bodyOffset: Int { offset + SegmentRecord.prefixLength + headerLength }
}

/// The delivery state of one recipient of one message.
///
/// `queued` with a time in the future is what Postfix calls deferred; it is
/// listed as `deferred` once an attempt failed.
public enum RecipientState: String, Sendable, Codable, CaseIterable {
    case queued, deferred, active, hold, delivered, bounced, expired, deleted

    /// Delivered, bounced, expired or deleted: nothing more will happen.
    public var isFinished: Bool {
        switch self {
        case .delivered, .bounced, .expired, .deleted: true
        case .queued, .deferred, .active, .hold: false
        }
    }
}
