import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("limits on lines, sizes and recipients, with their exact replies")
struct MessageLimitTests {
    static let smallLimits = """
        [limits]
        max_message_size = 10000
        max_recipients = 3

        """

    @Test("a command line of 512 octets is read; one of 513 gets 500 5.5.2 and the session goes on")
    func commandLineLimit() async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        // "NOOP " + 505 + CRLF = 512 octets, the most RFC 5321 §4.5.3.1.4 allows.
        #expect(try await client.command("NOOP " + String(repeating: "x", count: 505)).code == 250)
        let tooLong = try await client.command("NOOP " + String(repeating: "x", count: 506))
        #expect(tooLong.codes == "500 5.5.2")
        // An over-long MAIL is not half-read as a command either.
        let longMail = try await client.command("MAIL FROM:<" + String(repeating: "a", count: 600) + "@shop.example>")
        #expect(longMail.codes == "500 5.5.2")
        try await expectNothingQueued(server)
        try await expectOnlyControlMessageDelivered(server, client)
        await client.close()
        try await server.stop()
    }

    @Test("a text line of 998 octets is accepted; one of 999 gets 500 5.5.2 at the end of DATA and nothing is queued")
    func textLineLimit() async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        try await client.beginData(from: "a@shop.example", to: ["b@example.net"])
        try await client.send("Subject: long\r\n\r\n" + String(repeating: "y", count: 999) + "\r\nend\r\n.\r\n")
        #expect(try await client.reply().codes == "500 5.5.2")
        try await expectNothingQueued(server)

        let longest = String(repeating: "z", count: 998)
        try await client.beginData(from: "a@shop.example", to: ["b@example.net"])
        try await client.send("Subject: longest\r\n\r\n" + longest + "\r\n.\r\n")
        let id = try #require(try await client.reply().queueID)
        let files = try await server.waitForOutbox(count: 1)
        #expect(Array(files.keys) == ["\(id).eml"])
        #expect(CapturedMessage(try #require(files["\(id).eml"])).body == (longest + "\r\n").bytes)
        await client.close()
        try await server.stop()
    }

    @Test("SIZE above max_message_size gets 552 5.3.4 at MAIL")
    func declaredSizeOverLimit() async throws {
        let server = try await TestDaemon(configuration: Self.smallLimits)
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        let ehlo = try await client.command("EHLO client.test")
        #expect(ehlo.lines.contains("SIZE 10000"))
        #expect(try await client.command("MAIL FROM:<a@shop.example> SIZE=10001").codes == "552 5.3.4")
        // No transaction was opened: RCPT needs MAIL first.
        #expect(try await client.command("RCPT TO:<b@example.net>").codes == "503 5.5.1")
        try await expectNothingQueued(server)
        #expect(try await client.command("MAIL FROM:<a@shop.example> SIZE=10000").codes == "250 2.1.0")
        #expect(try await client.command("RSET").code == 250)
        try await expectOnlyControlMessageDelivered(server, client)
        await client.close()
        try await server.stop()
    }

    @Test("a message larger than max_message_size without SIZE gets 552 5.3.4 at the end of DATA and nothing is queued")
    func undeclaredSizeOverLimit() async throws {
        let server = try await TestDaemon(configuration: Self.smallLimits)
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        try await client.beginData(from: "a@shop.example", to: ["b@example.net"])
        let line = String(repeating: "w", count: 98) + "\r\n"  // 100 octets
        try await client.send("Subject: big\r\n\r\n" + String(repeating: line, count: 120) + ".\r\n")
        #expect(try await client.reply().codes == "552 5.3.4")
        try await expectNothingQueued(server)
        // Just under the limit is fine.
        try await client.beginData(from: "a@shop.example", to: ["b@example.net"])
        let body = String(repeating: line, count: 95)
        try await client.send("Subject: fits\r\n\r\n" + body + ".\r\n")
        let id = try #require(try await client.reply().queueID)
        let files = try await server.waitForOutbox(count: 1)
        #expect(CapturedMessage(try #require(files["\(id).eml"])).body == body.bytes)
        await client.close()
        try await server.stop()
    }

    @Test("the recipient after max_recipients gets 452 4.5.3; the others receive the message")
    func recipientLimit() async throws {
        let server = try await TestDaemon(configuration: Self.smallLimits)
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        #expect(try await client.command("MAIL FROM:<a@shop.example>").code == 250)
        for index in 1...3 {
            #expect(try await client.command("RCPT TO:<r\(index)@example.net>").codes == "250 2.1.5")
        }
        #expect(try await client.command("RCPT TO:<r4@example.net>").codes == "452 4.5.3")
        #expect(try await client.command("RCPT TO:<r5@example.net>").codes == "452 4.5.3")
        #expect(try await client.command("DATA").code == 354)
        try await client.send("Subject: many\r\n\r\nto three\r\n.\r\n")
        let id = try #require(try await client.reply().queueID)
        _ = try await server.waitForOutbox(count: 1)
        let states = try await waitForStates(server, id: id, count: 3)
        #expect(states == ["r1@example.net": "delivered", "r2@example.net": "delivered", "r3@example.net": "delivered"])
        await client.close()
        try await server.stop()
    }

    /// The outbox file is written before the states are recorded; wait for both.
    private func waitForStates(_ server: TestDaemon, id: String, count: Int) async throws -> [String: String] {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let states = try await server.recipientStates(of: id)
            if states.values.filter({ $0 == "delivered" }).count >= count || ContinuousClock.now >= deadline {
                return states
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
