import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("who may relay after AUTH: relay listeners, AUTH in clear on loopback, the trace it leaves")
struct AuthenticationPolicyTests {
    static let user = "bob@shop.example"
    static let password = "right-password"

    @Test("on a relay listener an untrusted client is refused, even in TLS, until it authenticates; then it relays")
    func relayListenerWithAuth() async throws {
        let server = try await TestDaemon(
            configuration: """
                [[listener]]
                address = "127.0.0.1:0"
                mode = "relay"
                tls = "starttls"
                trusted_networks = ["127.0.0.9/32"]

                """, tls: true, users: [(Self.user, Self.password, [])])
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        #expect(try await client.command("MAIL FROM:<\(Self.user)>").code == 250)
        #expect(try await client.command("RCPT TO:<customer@example.net>").codes == "554 5.7.1")
        #expect(try await client.command("RSET").code == 250)

        try await client.expect("STARTTLS", code: 220)
        try await client.startTLS()
        try await client.expect("EHLO client.test", code: 250)
        #expect(try await client.command("MAIL FROM:<\(Self.user)>").code == 250)
        #expect(try await client.command("RCPT TO:<customer@example.net>").codes == "554 5.7.1", "TLS alone let it relay")
        #expect(try await client.command("RSET").code == 250)

        #expect(try await client.authPlain(user: Self.user, password: Self.password).codes == "235 2.7.0")
        let reply = try await client.sendMail(
            from: Self.user, to: ["customer@example.net"], message: "Subject: relayed\r\n\r\nafter AUTH\r\n")
        let id = try #require(reply.queueID, "refused: \(reply)")
        let files = try await server.waitForOutbox(count: 1)
        #expect(files["\(id).eml"] != nil)
        await client.close()
        try await server.stop()
    }

    @Test("allow_plaintext_auth on a loopback listener offers AUTH without TLS, and it works")
    func plaintextAuthOnLoopback() async throws {
        let server = try await TestDaemon(
            configuration: """
                [[listener]]
                address = "127.0.0.1:0"
                mode = "relay"
                trusted_networks = ["127.0.0.9/32"]
                allow_plaintext_auth = true

                """, users: [(Self.user, Self.password, [])])
        let client = try await TestSMTPClient.greeted(port: server.port())
        let ehlo = try await client.command("EHLO client.test")
        #expect(!ehlo.lines.contains("STARTTLS"))
        #expect(ehlo.lines.contains("AUTH PLAIN LOGIN"), "EHLO: \(ehlo.lines)")
        #expect(try await client.command("MAIL FROM:<\(Self.user)>").code == 250)
        #expect(try await client.command("RCPT TO:<customer@example.net>").codes == "554 5.7.1")
        #expect(try await client.command("RSET").code == 250)
        #expect(try await client.authPlain(user: Self.user, password: Self.password).codes == "235 2.7.0")
        let reply = try await client.sendMail(
            from: Self.user, to: ["customer@example.net"], message: "Subject: clear\r\n\r\nno TLS\r\n")
        let id = try #require(reply.queueID, "refused: \(reply)")
        let files = try await server.waitForOutbox(count: 1)
        let header = String(decoding: CapturedMessage(try #require(files["\(id).eml"])).header, as: UTF8.self)
        #expect(header.contains(" with ESMTPA id \(id)\r\n"), "header:\n\(header)")
        #expect(!header.contains("(using "))
        await client.close()
        try await server.stop()
    }

    @Test("check-config refuses allow_plaintext_auth on 0.0.0.0 and names the key")
    func plaintextAuthRefusedOffLoopback() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            """
            [server]
            hostname = "mail.test"
            spool = "spool"

            [[listener]]
            address = "0.0.0.0:2525"
            allow_plaintext_auth = true

            """, to: "poshta.toml")
        let result = try await ExternalProcess.run(DaemonProcess.binary, ["check-config", "--config", file])
        #expect(result.status != 0)
        #expect(result.error.contains("\(file):7:"), "stderr:\n\(result.error)")
        #expect(result.error.contains("allow_plaintext_auth"), "stderr:\n\(result.error)")
        #expect(result.error.contains("0.0.0.0"), "stderr:\n\(result.error)")
    }

    @Test("a message sent after AUTH over implicit TLS is received with ESMTPSA using TLSv1.3")
    func receivedHeaderAfterImplicitTLS() async throws {
        let server = try await TestDaemon(
            configuration: """
                [[listener]]
                address = "127.0.0.1:0"
                mode = "submission"
                tls = "implicit"

                """, tls: true, users: [(Self.user, Self.password, [])])
        let client = try await TestSMTPClient.implicitTLSAfterEHLO(port: server.port())
        #expect(try await client.authPlain(user: Self.user, password: Self.password).codes == "235 2.7.0")
        let reply = try await client.sendMail(
            from: Self.user, to: ["customer@example.net"], message: "Subject: implicit\r\n\r\nover 465\r\n")
        let id = try #require(reply.queueID, "refused: \(reply)")
        let files = try await server.waitForOutbox(count: 1)
        let message = CapturedMessage(try #require(files["\(id).eml"]))
        let received = String(decoding: message.header, as: UTF8.self).components(separatedBy: "\r\n").prefix(3)
        #expect(received.first == "Received: from client.test (unknown [127.0.0.1])")
        #expect(received.dropFirst().first?.hasPrefix("\tby mail.test (Poshta) with ESMTPSA id \(id) (using TLSv1.3") == true,
            "Received:\n\(received.joined(separator: "\n"))")
        #expect(message.body == Array("over 465\r\n".utf8))
        await client.close()
        try await server.stop()
    }
}
