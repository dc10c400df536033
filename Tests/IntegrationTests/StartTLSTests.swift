import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("STARTTLS and AUTH over loopback")
struct StartTLSTests {
    static let listener = """
        [[listener]]
        address = "127.0.0.1:0"
        tls = "starttls"
        trusted_networks = ["127.0.0.9/32"]

        """
    static let plainBob = SASLBase64.encode("\u{0}bob@shop.example\u{0}right-password")

    func daemon() async throws -> TestDaemon {
        try await TestDaemon(
            configuration: Self.listener, tls: true, users: [("bob@shop.example", "right-password", [])])
    }

    @Test("STARTTLS, a new EHLO, AUTH PLAIN, and the message is received with ESMTPSA over TLSv1.3")
    func startTLSThenAuth() async throws {
        let server = try await daemon()
        let client = try await TestSMTPClient.connect(port: server.port())
        _ = try await client.reply()
        let clear = try await client.command("EHLO client.test")
        #expect(clear.lines.contains("STARTTLS"))
        #expect(!clear.lines.contains { $0.hasPrefix("AUTH") })
        #expect(try await client.command("STARTTLS").code == 220)
        #expect(try await client.startTLS() == "tlsv13")
        let secure = try await client.command("EHLO client.test")
        #expect(!secure.lines.contains("STARTTLS"))
        #expect(secure.lines.contains("AUTH PLAIN LOGIN"))
        let auth = try await client.command("AUTH PLAIN \(Self.plainBob)")
        #expect(auth.code == 235 && auth.enhancedCode == EnhancedStatusCode(2, 7, 0))
        #expect(try await client.command("MAIL FROM:<bob@shop.example>").code == 250)
        #expect(try await client.command("RCPT TO:<someone@example.net>").code == 250)
        #expect(try await client.command("DATA").code == 354)
        try await client.send("Subject: tls\r\n\r\nover TLS\r\n.\r\n")
        #expect(try await client.reply().code == 250)
        await client.close()
        let files = try await server.waitForOutbox(count: 1)
        let text = String(decoding: try #require(files.values.first), as: UTF8.self)
        #expect(text.contains(" with ESMTPSA id "))
        #expect(text.contains("(using TLSv1.3)"))
        #expect(server.logs.matching("sasl_username=bob@shop.example").count >= 1)
        #expect(server.logs.all.allSatisfy { !$0.contains("right-password") })
        try await server.stop()
    }

    @Test("commands pipelined after STARTTLS in the same write are thrown away, never answered")
    func injectionAfterStartTLS() async throws {
        let server = try await daemon()
        let client = try await TestSMTPClient.connect(port: server.port())
        _ = try await client.reply()
        _ = try await client.command("EHLO client.test")
        try await client.send("STARTTLS\r\nRSET\r\nMAIL FROM:<evil@x.example>\r\n")
        #expect(try await client.reply().code == 220)
        try await client.startTLS()
        // The first reply in TLS must answer our EHLO, not the injected RSET.
        let reply = try await client.command("EHLO client.test")
        #expect(reply.code == 250)
        #expect(reply.lines.first == "mail.test")
        #expect(try await client.command("MAIL FROM:<a@b.example>").code == 250)
        await client.close()
        try await server.stop()
    }

    @Test("AUTH before TLS is refused with 538 5.7.11, and a wrong password gets 535 5.7.8")
    func refusals() async throws {
        let server = try await daemon()
        let client = try await TestSMTPClient.connect(port: server.port())
        _ = try await client.reply()
        _ = try await client.command("EHLO client.test")
        let clear = try await client.command("AUTH PLAIN \(Self.plainBob)")
        #expect(clear.code == 538 && clear.enhancedCode == EnhancedStatusCode(5, 7, 11))
        #expect(try await client.command("STARTTLS").code == 220)
        try await client.startTLS()
        _ = try await client.command("EHLO client.test")
        let wrong = SASLBase64.encode("\u{0}bob@shop.example\u{0}wrong")
        let failed = try await client.command("AUTH PLAIN \(wrong)", timeout: .seconds(15))
        #expect(failed.code == 535 && failed.enhancedCode == EnhancedStatusCode(5, 7, 8))
        // Still not allowed to relay from outside trusted_networks.
        _ = try await client.command("MAIL FROM:<a@b.example>")
        #expect(try await client.command("RCPT TO:<x@example.net>").code == 554)
        await client.close()
        #expect(server.logs.all.allSatisfy { !$0.contains("wrong") || $0.contains("failed") })
        try await server.stop()
    }

    @Test("an implicit-TLS submission listener greets in TLS and wants AUTH before MAIL")
    func implicitSubmission() async throws {
        let server = try await TestDaemon(
            configuration: """
                [[listener]]
                address = "127.0.0.1:0"
                mode = "submission"
                tls = "implicit"

                """, tls: true, users: [("bob@shop.example", "right-password", [])])
        let client = try await TestSMTPClient.connect(port: server.port(), tls: true)
        #expect(try await client.reply().code == 220)
        let ehlo = try await client.command("EHLO client.test")
        #expect(!ehlo.lines.contains("STARTTLS"))
        #expect(ehlo.lines.contains("AUTH PLAIN LOGIN"))
        let refused = try await client.command("MAIL FROM:<bob@shop.example>")
        #expect(refused.code == 530 && refused.enhancedCode == EnhancedStatusCode(5, 7, 0))
        #expect(try await client.command("AUTH LOGIN").lines == ["VXNlcm5hbWU6"])
        #expect(try await client.command(SASLBase64.encode("bob@shop.example")).lines == ["UGFzc3dvcmQ6"])
        #expect(try await client.command(SASLBase64.encode("right-password")).code == 235)
        #expect(try await client.command("MAIL FROM:<ceo@shop.example>").code == 553)
        #expect(try await client.command("MAIL FROM:<bob@shop.example>").code == 250)
        #expect(try await client.command("RCPT TO:<anyone@example.net>").code == 250)
        await client.close()
        try await server.stop()
    }
}
