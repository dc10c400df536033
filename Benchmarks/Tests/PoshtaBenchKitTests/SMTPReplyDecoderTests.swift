import NIOCore
import Testing

@testable import PoshtaBenchKit

/// Framing of server replies.
@Suite struct SMTPReplyDecoderTests {
    private func decode(_ chunks: [String]) throws -> [SMTPReply] {
        var decoder = SMTPReplyDecoder()
        var buffer = ByteBuffer()
        var replies: [SMTPReply] = []
        for chunk in chunks {
            buffer.writeString(chunk)
            while let reply = try decoder.next(from: &buffer) { replies.append(reply) }
        }
        return replies
    }

    @Test func singleAndMultiLine() throws {
        let replies = try decode([
            "220 bench ESMTP\r\n",
            "250-bench\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n",
            "354 go ahead\r\n",
        ])
        #expect(replies.count == 3)
        #expect(replies[0] == SMTPReply(code: 220, lines: ["bench ESMTP"]))
        #expect(replies[1].code == 250)
        #expect(replies[1].lines.count == 4)
        #expect(replies[1].announces("PIPELINING"))
        #expect(replies[1].announces("SIZE"))
        #expect(!replies[1].announces("CHUNKING"))
        #expect(replies[2].code == 354)
    }

    @Test func splitAcrossReadsAndBareLF() throws {
        let replies = try decode(["25", "0-first\n250", " second\r", "\n221\r\n"])
        #expect(replies == [SMTPReply(code: 250, lines: ["first", "second"]), SMTPReply(code: 221, lines: [""])])
    }

    @Test func pipelinedRepliesInOneRead() throws {
        let replies = try decode(["250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n"])
        #expect(replies.map(\.code) == [250, 250, 354])
        #expect(replies[2].summary == "354 End data with <CR><LF>.<CR><LF>")
    }

    @Test func malformedLinesAreErrors() {
        #expect(throws: SMTPReplyError.self) { try decode(["hello\r\n"]) }
        #expect(throws: SMTPReplyError.self) { try decode(["250x\r\n"]) }
        #expect(throws: SMTPReplyError.self) { try decode(["250-a\r\n251 b\r\n"]) }
        #expect(throws: SMTPReplyError.self) { try decode([String(repeating: "9", count: 5000)]) }
    }
}
