import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("a client that disconnects in the middle of DATA leaves nothing")
struct DisconnectTests {
    struct Cut: CustomTestStringConvertible, Sendable {
        var sent: String
        var testDescription: String {
            sent.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
        }
    }

    /// Where the connection drops: mid-line, after a line, after the final dot, before its LF.
    static let cuts = [
        "Subject: cut\r\n\r\nhalf a li", "Subject: cut\r\n\r\na whole line\r\n", "Subject: cut\r\n\r\nlast line\r\n.",
        "Subject: cut\r\n\r\nlast line\r\n.\r", "",
    ].map(Cut.init)

    @Test("disconnecting mid-DATA queues nothing and the daemon keeps accepting mail", arguments: cuts)
    func disconnectMidData(_ cut: Cut) async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        try await client.beginData(from: "a@shop.example", to: ["b@example.net"])
        if !cut.sent.isEmpty { try await client.send(cut.sent) }
        await client.close()

        // Bounded wait for the session to notice, then check the spool.
        let deadline = ContinuousClock.now + .seconds(5)
        while server.logs.matching("lost connection in DATA").isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(server.logs.matching("lost connection in DATA").count == 1)
        try await expectNothingQueued(server)

        let next = try await TestSMTPClient.afterEHLO(port: server.port())
        try await expectOnlyControlMessageDelivered(server, next)
        await next.close()
        try await server.stop()
    }

    @Test("many clients dropping mid-DATA at once leave nothing and do not disturb a client that finishes")
    func manyDisconnects() async throws {
        let server = try await TestDaemon()
        let port = server.port()
        let survivor = try await TestSMTPClient.afterEHLO(port: port)
        try await survivor.beginData(from: "a@shop.example", to: ["b@example.net"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let client = try await TestSMTPClient.afterEHLO(port: port)
                    try await client.beginData(from: "a@shop.example", to: ["b@example.net"])
                    try await client.send("Subject: \(index)\r\n\r\n" + String(repeating: "body\r\n", count: index * 50))
                    await client.close()
                }
            }
            try await group.waitForAll()
        }
        try await survivor.send("Subject: survivor\r\n\r\nmade it\r\n.\r\n")
        let id = try #require(try await survivor.reply().queueID)
        let files = try await server.waitForOutbox(count: 1)
        try await Task.sleep(for: .milliseconds(200))
        #expect(Array(server.outbox().keys) == ["\(id).eml"])
        #expect(try await server.spooledRecipientCount() == 1)
        #expect(CapturedMessage(try #require(files["\(id).eml"])).body == "made it\r\n".bytes)
        await survivor.close()
        try await server.stop()
    }
}
