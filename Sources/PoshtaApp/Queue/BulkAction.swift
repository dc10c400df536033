import AdminAPI
import Foundation
import Spool

/// One changing verb over the admin API. A long selection goes in chunks,
/// each a filter of its ids (and the user's filter, so a message that
/// stopped matching meanwhile is left alone), with a progress bar on a
/// terminal; the results add up to one.
struct BulkAction {
    let client: AdminClient
    let action: QueueAction
    /// Ids per request: each is one short transaction in the daemon.
    static let chunk = 500

    func run(_ selection: QueueCommands.Selection) async throws -> QueueActionResult {
        let filter: QueueFilter
        let ids: [String]
        switch selection {
        case .ids(let given):
            filter = QueueFilter()
            ids = given
        case .filter(let given):
            guard !given.selectsEverything else {
                throw AdminClientError.failed("name queue ids, a filter (--state, --domain, …) or --all")
            }
            filter = given
            ids = try await matching(given)
        case .all:
            filter = QueueFilter()
            ids = try await matching(filter)
        }
        var total = QueueActionResult(action: action, messages: [], recipients: 0)
        let progress = ProgressBar(label: action.rawValue, total: ids.count, enabled: ids.count > Self.chunk)
        for start in stride(from: 0, to: ids.count, by: Self.chunk) {
            var part = filter
            part.ids = Array(ids[start..<min(start + Self.chunk, ids.count)])
            let body = try AdminJSON.encode(QueueActionRequest(filter: part))
            let result = try await client.json(
                QueueActionResult.self, .POST, "/v1/queue/\(action.rawValue)", body: Array(body))
            total.messages += result.messages
            total.recipients += result.recipients
            progress.update(done: start + part.ids!.count)
        }
        progress.finish()
        return total
    }

    private func matching(_ filter: QueueFilter) async throws -> [String] {
        try await client.json(QueueIDList.self, .GET, AdminClient.path("/v1/queue/ids", query: filter.query)).ids
    }

    /// "held 3 messages (4 recipients)".
    static func summary(_ result: QueueActionResult) -> String {
        let verb =
            switch result.action {
            case .hold: "held"
            case .release: "released"
            case .retry: "requeued"
            case .delete: "deleted"
            }
        let messages = result.messages.count == 1 ? "1 message" : "\(result.messages.count) messages"
        let recipients = result.recipients == 1 ? "1 recipient" : "\(result.recipients) recipients"
        var text = "\(verb) \(messages) (\(recipients))"
        if result.messages.count <= 20 && !result.messages.isEmpty {
            text += ": " + result.messages.joined(separator: " ")
        }
        return text
    }
}
