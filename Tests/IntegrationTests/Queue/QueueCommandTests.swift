import Foundation
import Logging
import PoshtaTestSupport
import Spool
import Testing

/// `poshta queue list|show|stats` run as the real binary over a real spool.
@Suite("poshta queue: list, show and stats read the spool")
struct QueueCommandTests {
    /// A configuration whose spool holds an order mail for gmail.com (two
    /// hours old) and an abandoned-cart mail to example.net.
    private func prepared() async throws -> (TemporaryDirectory, String, [QueueID]) {
        let directory = try TemporaryDirectory(prefix: "poshta-queue")
        let file = try DaemonConfiguration(spool: "spool").write(in: directory)
        let spool = try Spool(directory: directory.path + "/spool", logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let now = Date().timeIntervalSince1970
        var ids: [QueueID] = []
        for (recipient, tags, arrival) in [
            ("ana@gmail.com", ["order": "1042", "template": "order_paid"], now - 7200),
            ("bo@example.net", ["automation": "abandoned_cart"], now),
        ] {
            let envelope = SpoolEnvelope(
                queueID: spool.makeQueueID(), sender: "shop@shop.example", recipients: [recipient], arrival: arrival,
                tags: tags)
            try await spool.accept(envelope, message: Array("Subject: for \(recipient)\r\n\r\nHello.\r\n".utf8))
            ids.append(envelope.queueID)
        }
        spool.close()
        return (directory, file, ids)
    }

    private func poshta(_ arguments: [String]) async throws -> ExternalProcess.Result {
        try await ExternalProcess.run(DaemonProcess.binary, arguments, timeout: .seconds(30))
    }

    @Test("list filters by tag and domain, as a table and as JSON that parses")
    func list() async throws {
        let (directory, file, ids) = try await prepared()
        defer { withExtendedLifetime(directory) {} }
        let table = try await poshta(["queue", "list", "--config", file])
        #expect(table.status == 0, "\(table.error)")
        #expect(table.output.contains(ids[0].description) && table.output.contains(ids[1].description))
        #expect(table.output.contains("queued    ana@gmail.com"))
        #expect(table.output.contains("in 2 messages"))

        let json = try await poshta(["queue", "list", "--config", file, "--order", "1042", "--json"])
        #expect(json.status == 0, "\(json.error)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(parsed["total"] as? Int == 1)
        let messages = try #require(parsed["messages"] as? [[String: Any]])
        #expect(messages.map { $0["id"] as? String } == [ids[0].description])

        let older = try await poshta(["queue", "list", "--config", file, "--older-than", "1h", "--domain", "GMAIL.COM"])
        #expect(older.output.contains(ids[0].description) && !older.output.contains(ids[1].description))
        let none = try await poshta(["queue", "list", "--config", file, "--automation", "win_back"])
        #expect(none.output.contains("Mail queue is empty"))

        let bad = try await poshta(["queue", "list", "--config", file, "--state", "sent"])
        #expect(bad.status != 0)
        #expect(bad.error.contains("--state: \"sent\" is not one of queued, deferred, active, hold"))
    }

    @Test("show prints the envelope and, with --body, the message bytes; stats counts")
    func showAndStats() async throws {
        let (directory, file, ids) = try await prepared()
        defer { withExtendedLifetime(directory) {} }
        let shown = try await poshta(["queue", "show", "--config", file, ids[1].description])
        #expect(shown.status == 0, "\(shown.error)")
        #expect(shown.output.contains("recipient <bo@example.net>: queued, 0 attempt(s)"))
        #expect(shown.output.contains("tag automation: abandoned_cart"))
        let body = try await poshta(["queue", "show", "--config", file, "--body", ids[1].description])
        #expect(body.output == "Subject: for bo@example.net\r\n\r\nHello.\r\n")
        let missing = try await poshta(["queue", "show", "--config", file, "0000000000Z"])
        #expect(missing.status == 1)
        #expect(missing.error.contains("no message 0000000000Z on the queue"))

        let stats = try await poshta(["queue", "stats", "--config", file, "--json"])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(stats.output.utf8)) as? [String: Any])
        #expect(parsed["messages"] as? Int == 2)
        #expect((parsed["recipients"] as? [String: Int])?["queued"] == 2)
        #expect((parsed["last_hour"] as? [String: Int])?["received"] == 1)
    }

    @Test("install-links makes sendmail and mailq; mailq lists the queue; another MTA's file is left alone")
    func links() async throws {
        let (directory, file, ids) = try await prepared()
        defer { withExtendedLifetime(directory) {} }
        let bin = directory.path + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try "#!/bin/sh\n".write(toFile: bin + "/sendmail", atomically: true, encoding: .utf8)

        let refused = try await poshta(["install-links", bin])
        #expect(refused.status == 1)
        #expect(refused.error.contains("\(bin)/sendmail exists (another MTA's?); left alone"))
        #expect(refused.output.contains("\(bin)/mailq -> "))
        #expect(try String(contentsOfFile: bin + "/sendmail", encoding: .utf8) == "#!/bin/sh\n")

        let forced = try await poshta(["install-links", "--force", bin])
        #expect(forced.status == 0, "\(forced.error)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: bin + "/sendmail") == DaemonProcess.binary)

        let mailq = try await ExternalProcess.run(bin + "/mailq", ["--config", file], timeout: .seconds(30))
        #expect(mailq.status == 0, "\(mailq.error)")
        #expect(mailq.output.contains(ids[0].description) && mailq.output.contains("in 2 messages"))
    }
}
