import Foundation

/// A marketing mail waiting for its time: which automation, for whom,
/// about what (a cart, an order, the customer's favorites), when.
public struct AutomationJob: Sendable, Hashable {
    public enum State: String, Sendable, CaseIterable {
        /// Waiting for `due`.
        case scheduled
        /// Being written to the spool; after a crash, the spool says whether it got there.
        case sending
        case sent
        /// The reason went away (an order was placed, the favorites were bought).
        case cancelled
        /// Due but not sent: no consent, suppressed, nothing left to show.
        case skipped
    }

    public var id: Int64
    /// The automation's key (`abandoned_cart`, …).
    public var automation: String
    public var customer: String
    /// What it is about: a cart id, an order number, `favorites`, `customer`.
    public var subject: String
    /// Seconds since 1970.
    public var due: Double
    public var state: State
    /// Why it was skipped or moved (`no consent`, `quiet hours`), if it was.
    public var note: String?
    /// Seconds since 1970 of the last change of state: when it was sent, for a sent job.
    public var updated: Double?

    public init(
        id: Int64, automation: String, customer: String, subject: String, due: Double, state: State, note: String? = nil,
        updated: Double? = nil
    ) {
        self.note = note
        self.updated = updated
        self.id = id
        self.automation = automation
        self.customer = customer
        self.subject = subject
        self.due = due
        self.state = state
    }
}

extension AutomationJob.State {
    /// States named in a list (`--state sent,skipped`, `?state=…`), or the
    /// sentence naming the one that is not a state.
    public static func parse(_ names: [String]) throws(ShopEventError) -> [AutomationJob.State] {
        var states: [AutomationJob.State] = []
        for name in names.flatMap({ $0.split(separator: ",") }) {
            guard let state = AutomationJob.State(rawValue: String(name)) else {
                throw ShopEventError("\"\(name)\" is not a job state; they are \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            states.append(state)
        }
        return states
    }
}

/// How a claimed job ended: `sent`, `skipped`, or back to `scheduled` at
/// `due` (quiet hours, the frequency cap, a failure to retry), with the reason.
public struct JobResult: Sendable, Hashable {
    public var id: Int64
    public var state: AutomationJob.State
    /// The new due time of a job moved; nil keeps it.
    public var due: Double?
    public var note: String?

    public init(id: Int64, state: AutomationJob.State, due: Double? = nil, note: String? = nil) {
        self.id = id
        self.state = state
        self.due = due
        self.note = note
    }
}

/// A change to the scheduled jobs that an event calls for, applied by the
/// store in the event's transaction (`MailFacts.jobs`).
public enum JobChange: Sendable, Hashable {
    /// What to do when a job of the same automation, customer and subject is already scheduled.
    public enum Timing: Sendable, Hashable {
        /// The new time replaces the old (a cart touched again waits two hours from now).
        case move
        /// The earlier of the two stands (feedback: four weeks after shipping or one day after delivery).
        case keepEarlier
    }

    /// Schedules a job at `due`. With `once`, nothing is scheduled when a
    /// job for this subject was ever sent. With `minimumOrders`, only when
    /// the customer has at least that many orders once the event's own
    /// order is counted.
    case schedule(automation: String, customer: String, subject: String, due: Double, timing: Timing, once: Bool = false, minimumOrders: Int? = nil)
    /// Cancels the scheduled jobs of the automation for the customer (of one subject, or all).
    case cancel(automation: String, customer: String, subject: String?)
    /// Cancels the automation's scheduled jobs for the customer when none of
    /// their favorites is left (removed, or bought).
    case cancelWhenNoFavorites(automation: String, customer: String)
}

/// A job as `poshta automation list --json` and `GET /v1/automations` show
/// it: the customer as `email`, `due` in RFC 3339.
extension AutomationJob: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, automation, email, subject, due, state, note
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(automation, forKey: .automation)
        try container.encode(customer, forKey: .email)
        try container.encode(subject, forKey: .subject)
        try container.encode(Date(timeIntervalSince1970: due).formatted(.iso8601), forKey: .due)
        try container.encode(state.rawValue, forKey: .state)
        try container.encodeIfPresent(note, forKey: .note)
    }
}
