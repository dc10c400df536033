import AdminAPI
import Foundation
@testable import PoshtaApp
import Spool
import Testing

/// The pure pieces of `poshta queue`: summaries, the watch screen, JSON log fields.
@Suite("poshta queue output and JSON log fields")
struct QueueTextTests {
    @Test("an action's summary counts in words and names a few ids")
    func summary() {
        let one = QueueActionResult(action: .hold, messages: ["0AM9TBNB000"], recipients: 1)
        #expect(BulkAction.summary(one) == "held 1 message (1 recipient): 0AM9TBNB000")
        let many = QueueActionResult(action: .delete, messages: (0..<30).map { "ID\($0)" }, recipients: 31)
        #expect(BulkAction.summary(many) == "deleted 30 messages (31 recipients)")
        let none = QueueActionResult(action: .retry, messages: [], recipients: 0)
        #expect(BulkAction.summary(none) == "requeued 0 messages (0 recipients)")
    }

    @Test("the watch screen fits the terminal: cut to its rows and columns")
    func watchScreen() throws {
        let json = """
            {"time": 1795000000, "messages": 3, "recipients": {"queued": 2, "hold": 1}, "oldest_arrival": 1794999000,
             "destinations": [{"domain": "gmail.com", "recipients": 2, "deferred": 1}],
             "last_minute": {"received": 3, "delivered": 0, "deferred": 1, "bounced": 0, "expired": 0},
             "last_hour": {"received": 9, "delivered": 5, "deferred": 1, "bounced": 0, "expired": 0},
             "latest_errors": []}
            """
        let stats = try AdminJSON.decode(QueueStats.self, from: Data(json.utf8))
        let lines = QueueWatch.render(stats, source: "http://127.0.0.1:8025", size: (rows: 6, columns: 40))
        #expect(lines.count == 6)
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(lines[0].hasPrefix("poshta queue watch — http://127.0.0.1:80"))
        #expect(lines[2] == "messages: 3")
        #expect(lines[3] == "recipients: queued 2, deferred 0, active")
    }

    @Test("a log line about a message gets its queue id; others do not")
    func logQueueID() {
        #expect(JSONLogHandler.queueID(in: "0AMEMP8JC00: to=<a@b>, status=sent") == "0AMEMP8JC00")
        #expect(JSONLogHandler.queueID(in: "NOQUEUE: reject: …") == nil)
        #expect(JSONLogHandler.queueID(in: "listening on 127.0.0.1:25 (relay)") == nil)
    }
}
