import Foundation
import Logging
import PoshtaTestSupport
import Testing

@testable import Spool

@Suite("the durable spool")
struct SpoolTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    func envelope(_ spool: Spool, recipients: [String] = ["b@example.net"]) -> SpoolEnvelope {
        SpoolEnvelope(
            queueID: spool.makeQueueID(), sender: "a@shop.example", recipients: recipients,
            arrival: Date().timeIntervalSince1970)
    }

    func message(_ text: String) -> [UInt8] { Array("Subject: \(text)\r\n\r\n\(text)\r\n".utf8) }

    /// Appends bytes to the newest segment, as a crash part-way through a flush leaves them.
    func appendToLastSegment(_ spool: Spool, _ bytes: [UInt8]) throws {
        let segment = spool.segmentsDirectory + "/" + (try segmentFiles(spool).last ?? "")
        let handle = try #require(FileHandle(forWritingAtPath: segment))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    func segmentFiles(_ spool: Spool) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: spool.segmentsDirectory).filter { $0.hasSuffix(".seg") }.sorted()
    }

    @Test("an accepted message can be claimed and read back byte for byte")
    func acceptClaimRead() async throws {
        let folder = try TemporaryDirectory()
        let spool = try Spool(directory: folder.path + "/spool", logger: logger)
        let first = envelope(spool, recipients: ["b@example.net", "c@example.net"])
        try await spool.accept(first, message: message("one"))
        let claimed = try await spool.claimDue(now: Date().timeIntervalSince1970 + 1, limit: 10)
        #expect(claimed.count == 1)
        #expect(claimed[0].envelope == first)
        #expect(claimed[0].recipients.map(\.address) == ["b@example.net", "c@example.net"])
        #expect(try spool.readMessage(at: claimed[0].location) == message("one"))
        #expect(try await spool.recipientStates(of: first.queueID).map(\.state) == [.active, .active])
        // Claimed recipients are not handed out twice.
        #expect(try await spool.claimDue(now: Date().timeIntervalSince1970 + 1, limit: 10).isEmpty)
        spool.close()
    }

    @Test("many concurrent accepts share flushes and all become durable")
    func groupCommit() async throws {
        let folder = try TemporaryDirectory()
        let spool = try Spool(directory: folder.path + "/spool", logger: logger)
        let envelopes = (0..<200).map { _ in envelope(spool) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, item) in envelopes.enumerated() {
                group.addTask { try await spool.accept(item, message: self.message("m\(index)")) }
            }
            try await group.waitForAll()
        }
        spool.close()
        // Everything is in one segment, and a fresh open (as after a crash) finds all of it.
        let reopened = try Spool(directory: folder.path + "/spool", logger: logger)
        let claimed = try await reopened.claimDue(now: Date().timeIntervalSince1970 + 1, limit: 1000)
        #expect(Set(claimed.map(\.envelope.queueID)) == Set(envelopes.map(\.queueID)))
        for item in claimed {
            let index = try #require(envelopes.firstIndex { $0.queueID == item.envelope.queueID })
            #expect(try reopened.readMessage(at: item.location) == message("m\(index)"))
        }
        reopened.close()
    }

    @Test("a torn record at the end of a segment is cut off; the acknowledged ones stay")
    func tornTail() async throws {
        let folder = try TemporaryDirectory()
        let directory = folder.path + "/spool"
        let spool = try Spool(directory: directory, logger: logger)
        let kept = envelope(spool)
        try await spool.accept(kept, message: message("kept"))
        spool.close()
        let segment = spool.segmentsDirectory + "/" + (try segmentFiles(spool).last ?? "")
        let sizeBefore = try FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int ?? 0
        // Half a record, as a crash in the middle of a write leaves it.
        let (torn, _) = try SegmentRecord.encode(envelope(spool), message: message("torn"))
        try appendToLastSegment(spool, Array(torn.prefix(torn.count / 2)))

        let reopened = try Spool(directory: directory, logger: logger)
        let sizeAfter = try FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int ?? 0
        #expect(sizeAfter == sizeBefore)
        let claimed = try await reopened.claimDue(now: Date().timeIntervalSince1970 + 1, limit: 10)
        #expect(claimed.map(\.envelope.queueID) == [kept.queueID])
        reopened.close()
    }

    @Test("a record on disk but missing from the index is queued again on open")
    func unindexedRecord() async throws {
        let folder = try TemporaryDirectory()
        let directory = folder.path + "/spool"
        let spool = try Spool(directory: directory, logger: logger)
        try await spool.accept(envelope(spool), message: message("indexed"))
        spool.close()
        // A crash between fdatasync and the index commit leaves exactly this.
        let orphan = envelope(spool)
        let (record, _) = try SegmentRecord.encode(orphan, message: message("orphan"))
        try appendToLastSegment(spool, record)

        let reopened = try Spool(directory: directory, logger: logger)
        let claimed = try await reopened.claimDue(now: Date().timeIntervalSince1970 + 1, limit: 10)
        #expect(claimed.count == 2)
        let found = try #require(claimed.first { $0.envelope.queueID == orphan.queueID })
        #expect(try reopened.readMessage(at: found.location) == message("orphan"))
        reopened.close()
    }

    @Test("a lost index is rebuilt from the segment files")
    func rebuildIndex() async throws {
        let folder = try TemporaryDirectory()
        let directory = folder.path + "/spool"
        let spool = try Spool(directory: directory, logger: logger)
        let first = envelope(spool)
        try await spool.accept(first, message: message("first"))
        spool.close()
        for name in ["index.sqlite", "index.sqlite-wal", "index.sqlite-shm"] {
            try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
        }
        let reopened = try Spool(directory: directory, logger: logger)
        let claimed = try await reopened.claimDue(now: Date().timeIntervalSince1970 + 1, limit: 10)
        #expect(claimed.map(\.envelope) == [first])
        // New ids continue after the recovered one.
        #expect(reopened.makeQueueID() > first.queueID)
        reopened.close()
    }

    @Test("recipients left active by a crash are queued again")
    func activeRequeued() async throws {
        let folder = try TemporaryDirectory()
        let directory = folder.path + "/spool"
        let spool = try Spool(directory: directory, logger: logger)
        let item = envelope(spool)
        try await spool.accept(item, message: message("active"))
        _ = try await spool.claimDue(now: Date().timeIntervalSince1970 + 1, limit: 10)
        spool.close()
        let reopened = try Spool(directory: directory, logger: logger)
        #expect(try await reopened.recipientStates(of: item.queueID).map(\.state) == [.queued])
        reopened.close()
    }

    @Test("outcomes are kept per recipient: one delivered, one deferred until later")
    func perRecipient() async throws {
        let folder = try TemporaryDirectory()
        let spool = try Spool(directory: folder.path + "/spool", logger: logger)
        let item = envelope(spool, recipients: ["b@example.net", "c@example.net"])
        try await spool.accept(item, message: message("split"))
        let now = Date().timeIntervalSince1970
        _ = try await spool.claimDue(now: now + 1, limit: 10)
        try await spool.record(
            [
                RecipientOutcome(queueID: item.queueID, position: 0, state: .delivered, reply: "250 ok"),
                RecipientOutcome(
                    queueID: item.queueID, position: 1, state: .deferred, notBefore: now + 300, reply: "451 later"),
            ], now: now)
        let states = try await spool.recipientStates(of: item.queueID)
        #expect(states.map(\.state) == [.delivered, .deferred])
        #expect(states[1].reply == "451 later")
        #expect(try await spool.claimDue(now: now + 1, limit: 10).isEmpty)
        let due = try await spool.claimDue(now: now + 301, limit: 10)
        #expect(due.first?.recipients.map(\.address) == ["c@example.net"])
        #expect(try await spool.nextDueTime() == nil)
        spool.close()
    }

    @Test("a segment whose messages are all finished is removed; one with queued mail stays")
    func garbageCollection() async throws {
        let folder = try TemporaryDirectory()
        let directory = folder.path + "/spool"
        var spool = try Spool(directory: directory, logger: logger)
        let done = envelope(spool)
        try await spool.accept(done, message: message("done"))
        spool.close()
        spool = try Spool(directory: directory, logger: logger)  // a new segment is current now
        let waiting = envelope(spool)
        try await spool.accept(waiting, message: message("waiting"))
        spool.close()
        spool = try Spool(directory: directory, logger: logger)
        #expect(try segmentFiles(spool).count == 3)
        let now = Date().timeIntervalSince1970
        #expect(try await spool.claimDue(now: now + 1, limit: 10).count == 2)
        try await spool.record(
            [RecipientOutcome(queueID: done.queueID, position: 0, state: .delivered, reply: "250 ok")], now: now)
        try await spool.record(
            [RecipientOutcome(queueID: waiting.queueID, position: 0, state: .deferred, notBefore: now + 60, reply: "451")],
            now: now)
        let removed = try await spool.collectGarbage()
        #expect(removed == 1)
        #expect(try segmentFiles(spool).count == 2)
        spool.close()
        spool = try Spool(directory: directory, logger: logger)
        #expect(try await spool.recipientStates(of: waiting.queueID).map(\.state) == [.deferred])
        #expect(try await spool.recipientStates(of: done.queueID).isEmpty)
        spool.close()
    }
}
