import Foundation
import Logging
import PoshtaTestSupport
import Testing

@testable import Spool

@Suite("queue administration on the spool: filters, actions, read-only inspection")
struct QueueAdministrationTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Three messages: an order confirmation for order 1042 to gmail, an
    /// abandoned-cart mail to two domains, and a plain one from `<>`.
    func filledSpool(_ folder: TemporaryDirectory) async throws -> (Spool, [QueueID]) {
        let spool = try Spool(directory: folder.path + "/spool", logger: logger)
        let now = Date().timeIntervalSince1970
        let specs: [(String, [String], [String: String], Double)] = [
            ("shop@shop.example", ["ana@gmail.com"], ["template": "order_paid", "order": "1042", "customer": "ana@gmail.com"], now - 7200),
            ("shop@shop.example", ["bo@Example.NET", "cy@gmail.com"], ["automation": "abandoned_cart"], now - 60),
            ("", ["dee@example.org"], [:], now),
        ]
        var ids: [QueueID] = []
        for (sender, recipients, tags, arrival) in specs {
            let envelope = SpoolEnvelope(
                queueID: spool.makeQueueID(), sender: sender, recipients: recipients, arrival: arrival, tags: tags)
            try await spool.accept(envelope, message: Array("Subject: x\r\n\r\nbody of \(envelope.queueID)\r\n".utf8))
            ids.append(envelope.queueID)
        }
        return (spool, ids)
    }

    func listed(_ spool: Spool, _ filter: QueueFilter) async throws -> [String] {
        try await spool.inspector.list(filter, now: Date().timeIntervalSince1970).messages.map(\.id)
    }

    @Test("each filter selects exactly the matching messages")
    func filters() async throws {
        let folder = try TemporaryDirectory()
        let (spool, ids) = try await filledSpool(folder)
        defer { spool.close() }
        let all = ids.map(\.description)
        #expect(try await listed(spool, QueueFilter()) == all)
        #expect(try await listed(spool, QueueFilter(domain: "GMAIL.com")) == [all[0], all[1]])
        #expect(try await listed(spool, QueueFilter(domain: "example.net")) == [all[1]])
        #expect(try await listed(spool, QueueFilter(recipient: "dee@")) == [all[2]])
        #expect(try await listed(spool, QueueFilter(sender: "<>")) == [all[2]])
        #expect(try await listed(spool, QueueFilter(sender: "SHOP@")) == [all[0], all[1]])
        #expect(try await listed(spool, QueueFilter(olderThan: 3600)) == [all[0]])
        #expect(try await listed(spool, QueueFilter(order: "1042")) == [all[0]])
        #expect(try await listed(spool, QueueFilter(automation: "abandoned_cart")) == [all[1]])
        #expect(try await listed(spool, QueueFilter(template: "order_paid", customer: "ana@gmail.com")) == [all[0]])
        #expect(try await listed(spool, QueueFilter(order: "9999")).isEmpty)
        #expect(try await listed(spool, QueueFilter(ids: [all[2].lowercased()])) == [all[2]])
        let listing = try await spool.inspector.list(QueueFilter(), limit: 2, now: Date().timeIntervalSince1970)
        #expect(listing.total == 3)
        #expect(listing.messages.count == 2)
        #expect(listing.messages[1].recipients.map(\.address) == ["bo@Example.NET", "cy@gmail.com"])
        #expect(listing.messages[0].tags["order"] == "1042")
    }

    @Test("hold takes mail out of delivery, release and retry bring it back, delete removes it")
    func actions() async throws {
        let folder = try TemporaryDirectory()
        let (spool, ids) = try await filledSpool(folder)
        defer { spool.close() }
        let now = Date().timeIntervalSince1970
        let held = try await spool.apply(.hold, to: QueueFilter(automation: "abandoned_cart"), now: now)
        #expect(held.messages == [ids[1].description])
        #expect(held.recipients == 2)
        #expect(try await listed(spool, QueueFilter(states: [.hold])) == [ids[1].description])
        // Held mail is never claimed for delivery.
        let claimed = try await spool.claimDue(now: now + 1, limit: 100)
        #expect(claimed.map(\.envelope.queueID) == [ids[0], ids[2]])

        // A deferral of a recipient held during its attempt keeps it held.
        try await spool.apply(.hold, to: QueueFilter(ids: [ids[0].description]), now: now)
        try await spool.record(
            [RecipientOutcome(queueID: ids[0], position: 0, state: .deferred, notBefore: now + 300, reply: "451 later")],
            now: now)
        #expect(try await spool.recipientStates(of: ids[0]).map(\.state) == [.hold])

        let released = try await spool.apply(.release, to: QueueFilter(), now: now)
        #expect(released.messages == [ids[0].description, ids[1].description])
        #expect(try await spool.claimDue(now: now + 1, limit: 100).map(\.envelope.queueID) == [ids[0], ids[1]])

        let deleted = try await spool.apply(.delete, to: QueueFilter(ids: [ids[2].description]), now: now)
        #expect(deleted.recipients == 1)
        #expect(try await listed(spool, QueueFilter()) == [ids[0].description, ids[1].description])
        let shown = try #require(try await spool.inspector.message(ids[2].description))
        #expect(shown.finished)
        #expect(shown.recipients[0].state == .deleted)
        #expect(shown.recipients[0].history?.last?.relay == "admin")
        // Nothing left to delete: a second delete changes nothing.
        #expect(try await spool.apply(.delete, to: QueueFilter(ids: [ids[2].description]), now: now).messages.isEmpty)
    }

    @Test("retry makes deferred mail due now")
    func retry() async throws {
        let folder = try TemporaryDirectory()
        let (spool, ids) = try await filledSpool(folder)
        defer { spool.close() }
        let now = Date().timeIntervalSince1970
        _ = try await spool.claimDue(now: now + 1, limit: 100)
        try await spool.record(
            [(ids[0], 0), (ids[1], 0), (ids[1], 1), (ids[2], 0)].map {
                RecipientOutcome(queueID: $0.0, position: $0.1, state: .deferred, notBefore: now + 3600, reply: "451")
            }, now: now)
        #expect(try await spool.claimDue(now: now + 1, limit: 100).isEmpty)
        // The filter picks messages; the action applies to all their pending recipients.
        let retried = try await spool.apply(.retry, to: QueueFilter(domain: "gmail.com"), now: now)
        #expect(retried.messages == [ids[0].description, ids[1].description])
        #expect(retried.recipients == 3)
        #expect(try await spool.claimDue(now: now + 1, limit: 100).map(\.envelope.queueID) == [ids[0], ids[1]])
    }

    @Test("activity per bucket: arrivals and each attempt's outcome fall in the minute they happened, older ones nowhere")
    func activity() async throws {
        let folder = try TemporaryDirectory()
        let (spool, ids) = try await filledSpool(folder)
        defer { spool.close() }
        // "Now" is the newest arrival, however long the machine took to get here.
        let now = try #require(try await spool.inspector.list(QueueFilter(), now: Date().timeIntervalSince1970).messages.last?.arrival)
        _ = try await spool.claimDue(now: Date().timeIntervalSince1970 + 1, limit: 100)
        try await spool.record(
            [
                RecipientOutcome(queueID: ids[1], position: 0, state: .delivered, reply: "250 ok"),
                RecipientOutcome(queueID: ids[1], position: 1, state: .deferred, notBefore: now + 600, reply: "451 later"),
                RecipientOutcome(queueID: ids[2], position: 0, state: .bounced, reply: "550 no such user"),
            ], now: now - 90)
        let hour = try await spool.inspector.activity(now: now, bucket: 60, buckets: 60)
        #expect(hour.received.count == 60 && hour.bucket == 60)
        // Whole minutes: the last bucket holds now. Arrivals: one 60 s ago (bucket 58), one now (59); two hours ago is outside.
        #expect(hour.received.reduce(0, +) == 2 && hour.received[59] >= 1)
        #expect(hour.delivered.reduce(0, +) == 1 && hour.deferred.reduce(0, +) == 1 && hour.bounced.reduce(0, +) == 1)
        let minute = try #require(hour.delivered.firstIndex(of: 1))
        #expect((57...58).contains(minute) && hour.deferred[minute] == 1 && hour.bounced[minute] == 1)
        #expect(hour.start.truncatingRemainder(dividingBy: 60) == 0 && hour.start + 3600 > now && hour.start + 3540 <= now)
        let day = try await spool.inspector.activity(now: now, bucket: 900, buckets: 96)
        #expect(day.received.reduce(0, +) == 3 && day.delivered.reduce(0, +) == 1)
    }

    @Test("a read-only inspector sees the same queue, stats and bytes without the daemon")
    func readOnly() async throws {
        let folder = try TemporaryDirectory()
        let (spool, ids) = try await filledSpool(folder)
        spool.close()
        let inspector = try QueueInspector(spoolDirectory: folder.path + "/spool")
        let now = Date().timeIntervalSince1970
        #expect(try await inspector.list(QueueFilter(), now: now).total == 3)
        let bytes = try #require(try await inspector.messageBytes(ids[1].description))
        #expect(String(decoding: bytes, as: UTF8.self).contains("body of \(ids[1])"))
        let stats = try await inspector.stats(now: now)
        #expect(stats.messages == 3)
        #expect(stats.recipients["queued"] == 4)
        #expect(stats.destinations.first == QueueStats.DestinationCount(domain: "gmail.com", recipients: 2, deferred: 0))
        #expect(stats.lastMinute.received == 1)
        #expect(stats.lastHour.received == 2)
        #expect(try #require(stats.oldestArrival) < now - 7000)
        #expect(throws: SpoolError.self) { try QueueInspector(spoolDirectory: folder.path + "/nothing") }
    }
}
