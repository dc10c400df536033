import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("plain SMTP sessions over loopback")
struct PlainSessionTests {
    @Test("a message sent in a plain session lands in the outbox with its body intact")
    func plainSession() async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.connect(port: server.port())
        let greeting = try await client.reply()
        #expect(greeting.code == 220)
        #expect(greeting.lines[0].hasPrefix("mail.test ESMTP"))
        let body = "From: a@shop.example\r\nTo: b@example.net\r\nSubject: hi\r\n\r\nHello.\r\n..leading dot\r\n"
        let reply = try await client.sendMail(from: "a@shop.example", to: ["b@example.net"], message: body)
        #expect(reply.code == 250)
        #expect(reply.enhancedCode == EnhancedStatusCode(2, 0, 0))
        let id = try #require(reply.lines[0].split(separator: " ").last.map(String.init))
        #expect(try await client.command("QUIT").code == 221)
        await client.close()

        let files = try await server.waitForOutbox(count: 1)
        let message = try #require(files["\(id).eml"])
        let text = String(decoding: message, as: UTF8.self)
        #expect(text.hasPrefix("Received: from client.test (unknown [127.0.0.1])\r\n\tby mail.test (Poshta) with ESMTP id \(id)\r\n"))
        // The client sent "...leading dot" on the wire; unstuffed, the body is as written.
        #expect(text.hasSuffix("\r\n\r\nHello.\r\n..leading dot\r\n"))
        #expect(text.contains("\r\nMessage-ID: <\(id)."))
        #expect(text.contains("\r\nDate: "))
        try await server.stop()
    }

    @Test("pipelined commands in one write are answered in order, in one response")
    func pipelined() async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.connect(port: server.port())
        _ = try await client.reply()
        let ehlo = try await client.command("EHLO client.test")
        #expect(ehlo.lines.contains("PIPELINING"))
        try await client.send(
            "MAIL FROM:<a@shop.example>\r\nRCPT TO:<b@example.net>\r\nRCPT TO:<c@example.net>\r\nDATA\r\n")
        #expect(try await client.reply().code == 250)
        #expect(try await client.reply().code == 250)
        #expect(try await client.reply().code == 250)
        #expect(try await client.reply().code == 354)
        try await client.send("Subject: pipelined\r\n\r\nbody\r\n.\r\nQUIT\r\n")
        #expect(try await client.reply().code == 250)
        #expect(try await client.reply().code == 221)
        #expect(await client.waitForClose())
        let files = try await server.waitForOutbox(count: 1)
        #expect(files.count == 1)
        try await server.stop()
    }
}
