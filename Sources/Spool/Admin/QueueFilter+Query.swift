import Foundation

/// The filter as URL query parameters, for `GET /v1/queue`: the admin API
/// reads them with `init(query:)`, the CLI writes them with `query`, so the
/// names live in one place.
///
/// `id` and `state` take comma-separated lists; `older_than` takes seconds.
extension QueueFilter {
    /// The parameter names, in the order `query` writes them.
    public static let queryNames = [
        "id", "state", "sender", "recipient", "domain", "older_than", "template", "automation", "order", "customer",
    ]

    /// Reads the parameters (already percent-decoded); throws a sentence
    /// naming the first parameter that is wrong.
    public init(query: [String: String]) throws(QueueFilterError) {
        self.init()
        if let ids = query["id"] { self.ids = Self.list(ids) }
        if let states = query["state"] {
            self.states = try Self.list(states).map { name throws(QueueFilterError) in
                guard let state = RecipientState(rawValue: name), RecipientState.pending.contains(state) else {
                    throw QueueFilterError("state: \"\(name)\" is not one of queued, deferred, active, hold")
                }
                return state
            }
        }
        sender = query["sender"]
        recipient = query["recipient"]
        domain = query["domain"]
        if let age = query["older_than"] {
            guard let seconds = Double(age), seconds >= 0, seconds.isFinite else {
                throw QueueFilterError("older_than: \"\(age)\" is not a number of seconds")
            }
            olderThan = seconds
        }
        template = query["template"]
        automation = query["automation"]
        order = query["order"]
        customer = query["customer"]
    }

    /// The parameters that narrow the selection (not percent-encoded).
    public var query: [(name: String, value: String)] {
        var items: [(String, String)] = []
        if let ids { items.append(("id", ids.joined(separator: ","))) }
        if let states { items.append(("state", states.map(\.rawValue).joined(separator: ","))) }
        if let sender { items.append(("sender", sender)) }
        if let recipient { items.append(("recipient", recipient)) }
        if let domain { items.append(("domain", domain)) }
        if let olderThan { items.append(("older_than", String(olderThan))) }
        for tag in tags { items.append((tag.name, tag.value)) }
        return items
    }

    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// A filter parameter that cannot be used; the text names it and says why.
public struct QueueFilterError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
