/// Which automation jobs an administrator means: `poshta automation list
/// --automation abandoned_cart --state scheduled`. Every field narrows.
public struct JobFilter: Sendable, Hashable {
    public var automation: String?
    public var customer: String?
    public var states: [AutomationJob.State]?
    /// Listed by due time, earliest first (what comes next); else newest first.
    public var byDueTime: Bool

    public init(automation: String? = nil, customer: String? = nil, states: [AutomationJob.State]? = nil, byDueTime: Bool = true) {
        self.automation = automation
        self.customer = customer?.lowercased()
        self.states = states
        self.byDueTime = byDueTime
    }
}

/// One automation's figures over a period (`poshta automation stats`):
/// what is waiting now, and what was sent, cancelled and skipped in the
/// period, and how many of the mails sent were followed by an order from
/// that customer within seven days (converted).
public struct AutomationStats: Codable, Sendable, Hashable {
    public static let conversionWindow: Double = 7 * 86_400

    public var automation: String
    public var scheduled: Int
    public var sent: Int
    public var cancelled: Int
    public var skipped: Int
    public var converted: Int

    public init(automation: String, scheduled: Int = 0, sent: Int = 0, cancelled: Int = 0, skipped: Int = 0, converted: Int = 0) {
        self.automation = automation
        self.scheduled = scheduled
        self.sent = sent
        self.cancelled = cancelled
        self.skipped = skipped
        self.converted = converted
    }
}
