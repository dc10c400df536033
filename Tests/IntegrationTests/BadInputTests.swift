import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("bad commands and bad bytes get an error reply, never a crash")
struct BadInputTests {
    @Test("commands out of order get 503 5.5.1")
    func wrongOrder() async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.greeted(port: server.port())
        #expect(try await client.command("MAIL FROM:<a@shop.example>").codes == "503 5.5.1")
        #expect(try await client.command("EHLO client.test").code == 250)
        #expect(try await client.command("RCPT TO:<b@example.net>").codes == "503 5.5.1")
        #expect(try await client.command("DATA").codes == "503 5.5.1")
        #expect(try await client.command("MAIL FROM:<a@shop.example>").code == 250)
        #expect(try await client.command("MAIL FROM:<a@shop.example>").codes == "503 5.5.1")
        try await expectNothingQueued(server)
        await client.close()
        try await server.stop()
    }

    @Test("an unknown command gets 500 5.5.1")
    func unknownCommand() async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        #expect(try await client.command("FROB nicate").codes == "500 5.5.1")
        #expect(try await client.command("GET / HTTP/1.1").codes == "500 5.5.1")
        #expect(try await client.command("NOOP").code == 250)
        await client.close()
        try await server.stop()
    }

    @Test("a known command with bad arguments gets 501 5.5.4", arguments: [
        "EHLO", "HELO", "MAIL TO:<a@shop.example>", "MAIL FROM:a@shop.example", "DATA now", "QUIT please",
    ])
    func syntaxError(_ line: String) async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.greeted(port: server.port())
        if !line.hasPrefix("EHLO") && !line.hasPrefix("HELO") { try await client.expect("EHLO client.test", code: 250) }
        #expect(try await client.command(line).codes == "501 5.5.4", "\(line)")
        #expect(try await client.command("NOOP").code == 250)
        await client.close()
        try await server.stop()
    }

    @Test(
        "NUL, bare CR and 8-bit bytes in a command get an error; the session and the server go on",
        arguments: [
            Array("NO\0OP\r\n".utf8),
            Array("MAIL FROM:<a\0b@shop.example>\r\n".utf8),
            Array("NOOP\rRSET\r\n".utf8),
            [0xFF, 0xFE, 0x80, 0x0D, 0x0A],
            Array("EHLO ".utf8) + [0xC3, 0x28, 0x0D, 0x0A],  // invalid UTF-8
            Array("MAIL FROM:<".utf8) + [0xE9] + Array("t\u{E9}@shop.example>\r\n".utf8),
            Array("MA\u{130}L FROM:<a@shop.example>\r\n".utf8),  // a UTF-8 letter in the verb
        ])
    func badBytes(_ line: [UInt8]) async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        try await client.send(line)
        let reply = try await client.reply()
        #expect(reply.isPermanentFailure, "\(line) got \(reply)")
        #expect([500, 501, 553, 555].contains(reply.code), "\(line) got \(reply)")
        #expect(try await client.command("NOOP").code == 250)
        try await expectNothingQueued(server)
        // The same session and a new one both still send mail.
        try await expectOnlyControlMessageDelivered(server, client)
        let next = try await TestSMTPClient.afterEHLO(port: server.port())
        #expect(try await next.command("QUIT").code == 221)
        await next.close()
        await client.close()
        try await server.stop()
    }

    @Test("a command line ended by a bare LF gets 500 5.5.2; the next CRLF line is read as usual")
    func bareLineFeedInCommand() async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        try await client.send("MAIL FROM:<a@shop.example>\nNOOP\r\n")
        #expect(try await client.reply().codes == "500 5.5.2")
        #expect(try await client.reply().codes == "250 2.0.0")
        // The MAIL before the bare LF was not executed.
        #expect(try await client.command("RCPT TO:<b@example.net>").codes == "503 5.5.1")
        await client.close()
        try await server.stop()
    }
}
