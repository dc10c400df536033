import Testing

@testable import SMTPProtocol

/// `SMTPReplyParser`: a client reading replies from bytes.
@Suite("Reply parser")
struct ReplyParserTests {
    /// Every complete reply in `input`, appended in one go.
    static func replies(_ input: String) throws -> [SMTPReply] {
        try replies(chunks: [bytes(input)])
    }

    static func replies(chunks: [[UInt8]]) throws -> [SMTPReply] {
        var parser = SMTPReplyParser()
        var out: [SMTPReply] = []
        for chunk in chunks {
            parser.append(chunk)
            while let reply = try parser.next() { out.append(reply) }
        }
        return out
    }

    static let fixtures: [(String, SMTPReply)] = [
        ("250 2.1.0 Ok\r\n", SMTPReply(250, "2.1.0", "Ok")),
        ("220 mx.example.com ESMTP Poshta\r\n", SMTPReply(220, "mx.example.com ESMTP Poshta")),
        ("354 End data with <CR><LF>.<CR><LF>\r\n", SMTPReply(354, "End data with <CR><LF>.<CR><LF>")),
        ("250\r\n", SMTPReply(code: 250, enhancedCode: nil, lines: [""])),
        ("250 \r\n", SMTPReply(code: 250, enhancedCode: nil, lines: [""])),
        ("250 2.0.0\r\n", SMTPReply(code: 250, enhancedCode: EnhancedStatusCode(2, 0, 0), lines: [""])),
        ("250 2.0.0 \r\n", SMTPReply(code: 250, enhancedCode: EnhancedStatusCode(2, 0, 0), lines: [""])),
        ("250 Ok\n", SMTPReply(250, "Ok")),
        ("421 4.7.0 mx Error: too many errors\r\n", SMTPReply(421, "4.7.0", "mx Error: too many errors")),
        // An enhanced code whose class differs from the reply's is text.
        ("250 5.0.0 odd\r\n", SMTPReply(250, "5.0.0 odd")),
        ("550 2.0.0 odd\r\n", SMTPReply(550, "2.0.0 odd")),
        ("250 2.0\r\n", SMTPReply(250, "2.0")),
        (
            "250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250 SMTPUTF8\r\n",
            SMTPReply(
                code: 250, enhancedCode: nil, lines: ["mx.example.com", "PIPELINING", "SIZE 10485760", "SMTPUTF8"])
        ),
        (
            "550-5.7.1 first\r\n550-5.7.1 second\r\n550 5.7.1 third\r\n",
            SMTPReply(code: 550, enhancedCode: EnhancedStatusCode(5, 7, 1), lines: ["first", "second", "third"])
        ),
        ("250-a\r\n250 b\r\n", SMTPReply(code: 250, enhancedCode: nil, lines: ["a", "b"])),
        ("250-\r\n250 b\r\n", SMTPReply(code: 250, enhancedCode: nil, lines: ["", "b"])),
        ("250-a\n250 b\n", SMTPReply(code: 250, enhancedCode: nil, lines: ["a", "b"])),
    ]

    @Test("a reply parses into its code, enhanced code and lines", arguments: fixtures)
    func parsesReplies(input: String, expected: SMTPReply) throws {
        #expect(try Self.replies(input) == [expected])
    }

    @Test("a reply split across appends at any position parses the same", arguments: fixtures)
    func splitAnywhere(input: String, expected: SMTPReply) throws {
        let all = bytes(input)
        for position in 0...all.count {
            let got = try Self.replies(chunks: [Array(all[..<position]), Array(all[position...])])
            #expect(got == [expected], "split at \(position)")
        }
        #expect(try Self.replies(chunks: all.map { [$0] }) == [expected], "byte by byte")
    }

    @Test("no reply is returned until its last line is complete")
    func waitsForLastLine() throws {
        var parser = SMTPReplyParser()
        parser.append(bytes("250-mx.example.com\r\n250-PIPELINING\r\n"))
        #expect(try parser.next() == nil)
        parser.append(bytes("250 SMTPUTF8"))
        #expect(try parser.next() == nil)
        parser.append(bytes("\r"))
        #expect(try parser.next() == nil)
        parser.append(bytes("\n"))
        #expect(
            try parser.next()
                == SMTPReply(code: 250, enhancedCode: nil, lines: ["mx.example.com", "PIPELINING", "SMTPUTF8"]))
        #expect(try parser.next() == nil)
    }

    @Test("pipelined replies in one append come out one by one, in order")
    func pipelinedReplies() throws {
        var parser = SMTPReplyParser()
        parser.append(
            bytes("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n554-5.7.1 no\r\n554 5.7.1 relay\r\n354 go ahead\r\n250 2.0.0 Ok: qu")
        )
        #expect(try parser.next() == SMTPReply(250, "2.1.0", "Ok"))
        #expect(try parser.next() == SMTPReply(250, "2.1.5", "Ok"))
        #expect(
            try parser.next()
                == SMTPReply(code: 554, enhancedCode: EnhancedStatusCode(5, 7, 1), lines: ["no", "relay"]))
        #expect(try parser.next() == SMTPReply(354, "go ahead"))
        #expect(try parser.next() == nil)
        parser.append(bytes("eued as 3F9A2C7B\r\n"))
        #expect(try parser.next() == SMTPReply(250, "2.0.0", "Ok: queued as 3F9A2C7B"))
    }

    @Test("only the enhanced code that starts a line is taken off it")
    func enhancedOnlyWherePresent() throws {
        let got = try Self.replies("250-2.0.0 one\r\n250-two\r\n250 2.0.0 three\r\n")
        #expect(
            got == [SMTPReply(code: 250, enhancedCode: EnhancedStatusCode(2, 0, 0), lines: ["one", "two", "three"])])
    }

    static let malformed: [(String, String)] = [
        ("hello\r\n", "hello"),
        ("\r\n", ""),
        ("25\r\n", "25"),
        ("2x0 Ok\r\n", "2x0 Ok"),
        ("250x Ok\r\n", "250x Ok"),
        ("2500 Ok\r\n", "2500 Ok"),
        ("250_Ok\r\n", "250_Ok"),
        ("199 Ok\r\n", "199 Ok"),
        ("100 Continue\r\n", "100 Continue"),
        ("600 Ok\r\n", "600 Ok"),
        ("000 Ok\r\n", "000 Ok"),
        (" 250 Ok\r\n", " 250 Ok"),
        ("250-a\r\n251 b\r\n", "251 b"),
        ("250-a\r\n550 b\r\n", "550 b"),
        ("250-a\r\nb\r\n", "b"),
        ("HTTP/1.1 400 Bad Request\r\n", "HTTP/1.1 400 Bad Request"),
    ]

    @Test("a malformed line is an error naming the line", arguments: malformed)
    func malformedLines(input: String, line: String) {
        var parser = SMTPReplyParser()
        parser.append(bytes(input))
        #expect(throws: SMTPReplyParser.Failure(line: line)) {
            while try parser.next() != nil {}
        }
    }

    @Test("every reply survives encode then parse")
    func roundtrip() throws {
        let samples: [SMTPReply] = [
            SMTPReply(250, "2.1.0", "Ok"),
            SMTPReply(220, "mx.example.com ESMTP Poshta"),
            SMTPReply(code: 250, enhancedCode: nil, lines: ["mx.example.com", "PIPELINING", "SIZE 1000", "SMTPUTF8"]),
            SMTPReply(code: 550, enhancedCode: EnhancedStatusCode(5, 6, 0), lines: ["Bare CR or LF", "not allowed"]),
            SMTPReply(421, "4.7.0", "mx.example.com Error: too many errors; closing connection"),
            SMTPReply(354, "End data with <CR><LF>.<CR><LF>"),
            SMTPReply(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery"),
        ]
        let stream = samples.flatMap(\.encoded)
        #expect(try Self.replies(chunks: [stream]) == samples)
        #expect(try Self.replies(chunks: stream.map { [$0] }) == samples)
    }
}
