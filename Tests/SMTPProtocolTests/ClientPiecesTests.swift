import NIOCore
import SMTPProtocol
import Testing

@Suite("client side: EHLO extensions, MAIL parameters, DATA encoding")
struct ClientPiecesTests {
    @Test("EHLO keywords are read case-insensitively with their parameters")
    func extensions() {
        let reply = SMTPReply(
            code: 250, enhancedCode: nil,
            lines: ["mx.example greets you", "pipelining", "SIZE 1000", "8BITMIME", "AUTH=LOGIN", "AUTH PLAIN login",
                    "STARTTLS", "ENHANCEDSTATUSCODES", "SMTPUTF8"])
        let extensions = ServerExtensions(ehloReply: reply)
        #expect(extensions.pipelining)
        #expect(extensions.sizeLimit == 1000)
        #expect(extensions.eightBitMIME && extensions.smtpUTF8 && extensions.startTLS && extensions.enhancedStatusCodes)
        #expect(extensions.authMechanisms == ["PLAIN", "LOGIN"])
        #expect(!ServerExtensions.none.pipelining)
        #expect(ServerExtensions(ehloReply: SMTPReply(code: 250, enhancedCode: nil, lines: ["x", "SIZE 0"])).sizeLimit == nil)
        #expect(ServerExtensions(ehloReply: SMTPReply(code: 250, enhancedCode: nil, lines: ["x", "SIZE 0"])).size)
    }

    @Test("MAIL carries SIZE, BODY and SMTPUTF8 only when offered and needed")
    func mailParameters() throws {
        let all = ServerExtensions(ehloReply: SMTPReply(code: 250, enhancedCode: nil, lines: ["x", "SIZE 100", "8BITMIME", "SMTPUTF8"]))
        let plain = OutboundEnvelope(sender: "a@shop.example", recipients: ["b@example.net"], size: 42)
        #expect(try plain.mailCommand(for: all, serverName: "mx") == "MAIL FROM:<a@shop.example> SIZE=42")
        #expect(try plain.mailCommand(for: .none, serverName: "mx") == "MAIL FROM:<a@shop.example>")
        let bounce = OutboundEnvelope(sender: "", recipients: ["b@example.net"], size: 1, eightBitMIME: true)
        #expect(try bounce.mailCommand(for: all, serverName: "mx") == "MAIL FROM:<> SIZE=1 BODY=8BITMIME")
        let utf8 = OutboundEnvelope(sender: "a@shop.example", recipients: ["иван@пример.бг"], size: 1)
        #expect(try utf8.mailCommand(for: all, serverName: "mx") == "MAIL FROM:<a@shop.example> SIZE=1 SMTPUTF8")
        #expect(plain.recipientCommands == ["RCPT TO:<b@example.net>"])
    }

    @Test("a server that cannot take the message gets no transaction: SMTPUTF8, 8BITMIME, SIZE")
    func refusals() {
        let utf8 = OutboundEnvelope(sender: "a@shop.example", recipients: ["иван@пример.бг"], size: 1)
        #expect(throws: OutboundRefusal(SMTPReply(553, "5.6.7", "SMTPUTF8 is required, but was not offered by server mx"))) {
            try utf8.mailCommand(for: .none, serverName: "mx")
        }
        let eightBit = OutboundEnvelope(sender: "a@b.example", recipients: ["c@d.example"], size: 1, eightBitMIME: true)
        #expect(throws: OutboundRefusal.self) { try eightBit.mailCommand(for: .none, serverName: "mx") }
        let big = OutboundEnvelope(sender: "a@b.example", recipients: ["c@d.example"], size: 101)
        let small = ServerExtensions(ehloReply: SMTPReply(code: 250, enhancedCode: nil, lines: ["x", "SIZE 100"]))
        do {
            _ = try big.mailCommand(for: small, serverName: "mx")
            Issue.record("a message over the server's SIZE must not be sent")
        } catch {
            #expect(error.reply.code == 552)
            #expect(error.reply.enhancedCode == EnhancedStatusCode(5, 3, 4))
        }
    }

    @Test("DATA: leading dots doubled, CRLF completed, dot line appended", arguments: [
        ("Subject: x\r\n\r\nbody\r\n", "Subject: x\r\n\r\nbody\r\n.\r\n"),
        (".starts\r\n..two\r\nmid.dle\r\n.\r\n", "..starts\r\n...two\r\nmid.dle\r\n..\r\n.\r\n"),
        ("no final line break", "no final line break\r\n.\r\n"),
        ("lone LF at the end\n", "lone LF at the end\r\n.\r\n"),
        ("", ".\r\n"),
        (".", "..\r\n.\r\n"),
    ])
    func dataEncoding(input: String, expected: String) {
        var buffer = ByteBuffer()
        MessageDataEncoder.write(Array(input.utf8), to: &buffer)
        #expect(String(buffer: buffer) == expected)
    }

    @Test("DATA encoding of a large message keeps every byte and stuffs every dot line")
    func largeData() {
        var message: [UInt8] = []
        for index in 0..<20_000 {
            message += Array((index % 7 == 0 ? ".line \(index)\r\n" : "line \(index)\r\n").utf8)
        }
        var buffer = ByteBuffer()
        MessageDataEncoder.write(message, to: &buffer)
        let text = String(buffer: buffer)
        #expect(text.hasSuffix("\r\n.\r\n"))
        let lines = text.dropLast(5).split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(lines.count == 20_000)
        #expect(lines.filter { $0.hasPrefix("..line") }.count == (0..<20_000).filter { $0 % 7 == 0 }.count)
    }
}
