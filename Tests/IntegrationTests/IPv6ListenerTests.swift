import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("IPv6 listeners")
struct IPv6ListenerTests {
    @Test(
        "a listener on [::1]:0 accepts mail next to an IPv4 one",
        .enabled("::1 cannot be bound on this machine (no IPv6 loopback)") { await LoopbackSocket.ipv6LoopbackAvailable() })
    func ipv6Loopback() async throws {
        let server = try await TestDaemon(
            configuration: """
                [[listener]]
                address = "127.0.0.1:0"

                [[listener]]
                address = "[::1]:0"
                trusted_networks = ["::1/128"]

                """)
        #expect(server.daemon.smtpAddresses.count == 2)
        #expect(server.daemon.smtpAddresses[1].ipAddress == "::1")
        let client = try await TestSMTPClient.afterEHLO(host: "::1", port: server.port(1))
        let reply = try await client.sendMail(
            from: "a@shop.example", to: ["b@example.net"], message: "Subject: v6\r\n\r\nover IPv6\r\n")
        let id = try #require(reply.queueID, "refused: \(reply)")
        #expect(try await client.command("QUIT").code == 221)
        await client.close()

        let files = try await server.waitForOutbox(count: 1)
        let message = CapturedMessage(try #require(files["\(id).eml"]))
        #expect(message.text.hasPrefix("Received: from client.test (unknown [IPv6:::1])\r\n"))
        #expect(message.body == "over IPv6\r\n".bytes)
        try await server.stop()
    }
}
