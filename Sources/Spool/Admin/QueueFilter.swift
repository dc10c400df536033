import GRDB

/// Which messages an administrator means: `poshta queue list --domain
/// gmail.com`, "hold everything for order 1042". Every field narrows the
/// selection; an empty filter selects every message still in the queue.
///
/// A message matches when one of its unfinished recipients matches the
/// recipient-level fields (state, recipient, domain) together, and the
/// message matches the rest.
public struct QueueFilter: Codable, Sendable, Hashable {
    /// Queue ids.
    public var ids: [String]?
    /// Recipient states: queued, deferred, active, hold.
    public var states: [RecipientState]?
    /// Part of the envelope sender, any case (`<>` selects bounces).
    public var sender: String?
    /// Part of a recipient's address, any case.
    public var recipient: String?
    /// A recipient's domain, exactly (any case).
    public var domain: String?
    /// Only messages that arrived at least this many seconds ago.
    public var olderThan: Double?
    /// The shop's tags kept with the message: template key, automation, order number, customer.
    public var template: String?
    public var automation: String?
    public var order: String?
    public var customer: String?

    public init(
        ids: [String]? = nil, states: [RecipientState]? = nil, sender: String? = nil, recipient: String? = nil,
        domain: String? = nil, olderThan: Double? = nil, template: String? = nil, automation: String? = nil,
        order: String? = nil, customer: String? = nil
    ) {
        self.ids = ids
        self.states = states
        self.sender = sender
        self.recipient = recipient
        self.domain = domain
        self.olderThan = olderThan
        self.template = template
        self.automation = automation
        self.order = order
        self.customer = customer
    }

    /// True when nothing narrows the selection.
    public var selectsEverything: Bool { self == QueueFilter() }

    /// The tag names the spool keeps, with the filter's value for each.
    var tags: [(name: String, value: String)] {
        [("template", template), ("automation", automation), ("order", order), ("customer", customer?.lowercased())]
            .compactMap { name, value in value.map { (name, $0) } }
    }

    /// A condition on `message AS m` (unfinished messages only), with its arguments.
    func condition(now: Double) -> (sql: String, arguments: StatementArguments) {
        var clauses = ["m.finished = 0"]
        var arguments = StatementArguments()
        if let ids {
            clauses.append("m.id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ",")))")
            arguments += StatementArguments(ids.map { $0.uppercased() })
        }
        if let sender {
            if sender == "<>" {
                clauses.append("m.sender = ''")
            } else {
                clauses.append("instr(lower(m.sender), ?) > 0")
                arguments += [sender.lowercased()]
            }
        }
        if let olderThan {
            clauses.append("m.arrival <= ?")
            arguments += [now - olderThan]
        }
        for tag in tags {
            clauses.append("EXISTS (SELECT 1 FROM tag t WHERE t.message_id = m.id AND t.name = ? AND t.value = ?)")
            arguments += [tag.name, tag.value]
        }
        // The recipient-level conditions apply to one and the same recipient.
        let states = (self.states ?? RecipientState.pending).filter { !$0.isFinished }
        var recipientClauses = [
            states.isEmpty ? "0" : "r.state IN (\(states.map { "'\($0.rawValue)'" }.joined(separator: ",")))"
        ]
        if let recipient {
            recipientClauses.append("instr(lower(r.address), ?) > 0")
            arguments += [recipient.lowercased()]
        }
        if let domain {
            recipientClauses.append("r.domain = ?")
            arguments += [domain.lowercased()]
        }
        clauses.append(
            "EXISTS (SELECT 1 FROM recipient r WHERE r.message_id = m.id AND \(recipientClauses.joined(separator: " AND ")))")
        return (clauses.joined(separator: " AND "), arguments)
    }
}

extension RecipientState {
    /// The states of recipients still in the queue.
    public static let pending: [RecipientState] = [.queued, .deferred, .active, .hold]
}
