import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("SMTP smuggling over a socket: only CRLF.CRLF ends DATA")
struct SmugglingTests {
    /// A would-be end of data that is not `CRLF . CRLF`.
    struct Variant: CustomTestStringConvertible, Sendable {
        var bytes: String
        var testDescription: String {
            bytes.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
        }
    }

    static let variants = ["\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r", "\r\n.\n"].map(Variant.init)

    /// A second transaction hidden in the first message's DATA.
    static let smuggled = "MAIL FROM:<evil@x.example>\r\nRCPT TO:<victim@y.example>\r\nDATA\r\nFrom: ceo@shop.example\r\n\r\nsmuggled\r\n"

    @Test("a fake end of data followed by a second transaction gets exactly one 550 5.6.0 and queues nothing", arguments: variants)
    func smuggledTransactionIsRefused(_ variant: Variant) async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        try await client.beginData(from: "shop@shop.example", to: ["customer@example.net"])
        try await client.send("Subject: order\r\n\r\nyour order" + variant.bytes + Self.smuggled + "\r\n.\r\n")

        let reply = try await client.reply()
        #expect(reply.codes == "550 5.6.0")
        #expect(reply.lines.joined().contains("Bare CR or LF"))
        // Exactly one reply: nothing of the smuggled text was read as commands.
        #expect(await client.unexpectedReply(within: .milliseconds(300)) == nil)
        // No transaction is open (a smuggled MAIL would make this 503).
        #expect(try await client.command("RCPT TO:<victim@y.example>").codes == "503 5.5.1")
        try await expectNothingQueued(server)
        try await expectOnlyControlMessageDelivered(server, client)
        await client.close()
        try await server.stop()
    }

    @Test("the same bytes pipelined with the commands before them give the same single refusal", arguments: variants)
    func smuggledTransactionPipelined(_ variant: Variant) async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        try await client.send(
            "MAIL FROM:<shop@shop.example>\r\nRCPT TO:<customer@example.net>\r\nDATA\r\n"
                + "Subject: order\r\n\r\nyour order" + variant.bytes + Self.smuggled + "\r\n.\r\n")
        #expect(try await client.reply().codes == "250 2.1.0")
        #expect(try await client.reply().codes == "250 2.1.5")
        #expect(try await client.reply().code == 354)
        #expect(try await client.reply().codes == "550 5.6.0")
        #expect(await client.unexpectedReply(within: .milliseconds(300)) == nil)
        try await expectNothingQueued(server)
        await client.close()
        try await server.stop()
    }

    @Test("a dot line written in pieces still ends DATA only at CRLF.CRLF")
    func endOfDataSplitAcrossWrites() async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        try await client.beginData(from: "shop@shop.example", to: ["customer@example.net"])
        for piece in ["Subject: pieces\r\n\r\nline\r", "\n.", "\r", "\n"] {
            try await client.send(piece)
            try await Task.sleep(for: .milliseconds(20))
        }
        let id = try #require(try await client.reply().queueID)
        let files = try await server.waitForOutbox(count: 1)
        #expect(CapturedMessage(try #require(files["\(id).eml"])).body == "line\r\n".bytes)
        await client.close()
        try await server.stop()
    }
}
