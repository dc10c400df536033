import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("relay policy over loopback: trusted networks and address tricks")
struct RelayPolicyTests {
    /// Only 127.0.0.1 may relay; 127.0.0.2 is loopback too, but untrusted.
    static let onlyLocalhostTrusted = """
        [[listener]]
        address = "127.0.0.1:0"
        trusted_networks = ["127.0.0.1/32"]

        """

    @Test("a client outside trusted_networks gets 554 5.7.1 at RCPT and nothing is queued")
    func untrustedClientIsRefused() async throws {
        let server = try await TestDaemon(configuration: Self.onlyLocalhostTrusted)
        let client = try await TestSMTPClient.afterEHLO(port: server.port(), from: "127.0.0.2")
        #expect(try await client.command("MAIL FROM:<a@shop.example>").codes == "250 2.1.0")
        let refused = try await client.command("RCPT TO:<b@example.net>")
        #expect(refused.codes == "554 5.7.1")
        #expect(refused.lines.joined().contains("Relay access denied"))
        // The postmaster of another domain is just as foreign.
        #expect(try await client.command("RCPT TO:<postmaster@example.net>").codes == "554 5.7.1")
        #expect(try await client.command("DATA").code == 554)
        try await expectNothingQueued(server)
        await client.close()
        try await server.stop()
    }

    @Test("a client inside trusted_networks relays to any domain")
    func trustedClientRelays() async throws {
        let server = try await TestDaemon(configuration: Self.onlyLocalhostTrusted)
        let client = try await TestSMTPClient.afterEHLO(port: server.port(), from: "127.0.0.1")
        let reply = try await client.sendMail(
            from: "a@shop.example", to: ["b@example.net", "c@elsewhere.example"], message: "Subject: ok\r\n\r\nrelayed\r\n")
        let id = try #require(reply.queueID, "refused: \(reply)")
        let files = try await server.waitForOutbox(count: 1)
        let message = CapturedMessage(try #require(files["\(id).eml"]))
        #expect(message.text.hasPrefix("Received: from client.test (unknown [127.0.0.1])\r\n"))
        #expect(message.body == "relayed\r\n".bytes)
        await client.close()
        try await server.stop()
    }

    @Test(
        "an address trick is refused with 553 5.7.1, even from a trusted client, and nothing is queued",
        arguments: [
            "user%host@example.net",
            "host!user@example.net",
            "\"user@host\"@example.net",
            "@a.example,@b.example:user@c.example",
        ])
    func addressTrickIsRefused(_ address: String) async throws {
        let server = try await TestDaemon(configuration: Self.onlyLocalhostTrusted)
        let client = try await TestSMTPClient.afterEHLO(port: server.port(), from: "127.0.0.1")
        #expect(try await client.command("MAIL FROM:<a@shop.example>").code == 250)
        let reply = try await client.command("RCPT TO:<\(address)>")
        #expect(reply.codes == "553 5.7.1", "RCPT TO:<\(address)> got \(reply)")
        #expect(try await client.command("DATA").code == 554)
        try await expectNothingQueued(server)
        await client.close()
        try await server.stop()
    }

    @Test("an address with two @ is refused as a syntax error, never rewritten")
    func doubleAtIsRefused() async throws {
        let server = try await TestDaemon(configuration: Self.onlyLocalhostTrusted)
        let client = try await TestSMTPClient.afterEHLO(port: server.port(), from: "127.0.0.1")
        #expect(try await client.command("MAIL FROM:<a@shop.example>").code == 250)
        let reply = try await client.command("RCPT TO:<user@host@example.net>")
        #expect(reply.isPermanentFailure, "got \(reply)")
        #expect(try await client.command("DATA").code == 554)
        try await expectNothingQueued(server)
        await client.close()
        try await server.stop()
    }
}
