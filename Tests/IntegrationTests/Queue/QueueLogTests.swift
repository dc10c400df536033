import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

/// What a sysadmin greps for: one line per event with the queue id, as
/// text or as JSON for log shippers; and a deleted message's file going away.
@Suite("the daemon's log lines and an administrator's delete, with the real binary")
struct QueueLogTests {
    private func send(port: Int, to recipient: String) async throws -> String {
        let client = try await TestSMTPClient.afterEHLO(port: port)
        let reply = try await client.sendMail(
            from: "shop@shop.example", to: [recipient], message: "Subject: log\r\n\r\nHello.\r\n")
        await client.close()
        return try #require(reply.queueID, "\(reply)")
    }

    @Test("--log-format json: one JSON object per line, with queue_id on the lines about a message")
    func jsonLog() async throws {
        let directory = try TemporaryDirectory(prefix: "poshta-jsonlog")
        let file = try DaemonConfiguration(spool: "spool").write(in: directory)
        let daemon = try DaemonProcess(
            configurationFile: file, logFile: directory.path + "/poshta.log", arguments: ["--log-format", "json"])
        let port = try #require(try await daemon.waitForPort(), "log:\n\(daemon.log)")
        let id = try await send(port: port, to: "ana@example.net")
        #expect(try await daemon.waitForLog("status=sent") != nil, "log:\n\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)

        let lines = daemon.log.split(separator: "\n")
        #expect(lines.count >= 5)
        var aboutMessage: [[String: String]] = []
        for line in lines {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "not JSON: \(line)")
            #expect(object["time"]?.hasSuffix("Z") == true && object["level"] != nil && object["message"] != nil)
            if object["queue_id"] == id { aboutMessage.append(object) }
        }
        let messages = aboutMessage.compactMap { $0["message"] }
        #expect(messages.contains { $0.hasPrefix("\(id): client=[127.0.0.1]:") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("\(id): to=<ana@example.net>") && $0.contains("status=sent") })
    }

    @Test("delete: the message leaves the queue at once, and its segment file goes once no live message is in it")
    func deleteRemovesFiles() async throws {
        let directory = try TemporaryDirectory(prefix: "poshta-delete")
        var configuration = DaemonConfiguration(spool: "spool")
        // Nothing listens on port 1: the message waits, deferred, for five minutes.
        configuration.deliverySettings = """
            route = "relay"
            relays = [ { host = "127.0.0.1", port = 1, tls = "none" } ]
            min_backoff = 300
            max_backoff = 600
            """
        let file = try configuration.write(in: directory)
        let segments = directory.path + "/spool/segments"
        var daemon = try DaemonProcess(configurationFile: file, logFile: directory.path + "/poshta.log")
        let port = try #require(try await daemon.waitForPort(), "log:\n\(daemon.log)")
        let url = try #require(try await daemon.waitForAdminURL())
        let id = try await send(port: port, to: "ana@example.net")
        let before = try FileManager.default.contentsOfDirectory(atPath: segments).sorted()

        let deleted = try await ExternalProcess.run(
            DaemonProcess.binary, ["queue", "delete", "--config", file, "--admin", url, id], timeout: .seconds(30))
        #expect(deleted.status == 0, "\(deleted.error)")
        #expect(try await daemon.waitForLog("\(id): removed by the administrator") != nil)
        let listed = try await ExternalProcess.run(
            DaemonProcess.binary, ["queue", "list", "--config", file, "--admin", url], timeout: .seconds(30))
        #expect(listed.output.contains("Mail queue is empty"), "\(listed.output)")

        // The segment being written is shared and append-only; the next
        // start begins a new one, and the old one, all finished, is removed.
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        daemon = try DaemonProcess(configurationFile: file, logFile: directory.path + "/poshta2.log")
        _ = try #require(try await daemon.waitForPort(), "log:\n\(daemon.log)")
        let deadline = ContinuousClock.now + .seconds(10)
        var after = try FileManager.default.contentsOfDirectory(atPath: segments)
        while after.contains(where: before.contains), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            after = try FileManager.default.contentsOfDirectory(atPath: segments)
        }
        #expect(!before.isEmpty)
        #expect(!after.contains(where: before.contains), "still there: \(after)")
        daemon.signal(SIGTERM)
        _ = try await daemon.waitForExit()
    }
}
