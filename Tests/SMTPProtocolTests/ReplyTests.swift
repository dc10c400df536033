import Testing

@testable import SMTPProtocol

/// `SMTPReply` and `EnhancedStatusCode`: the bytes a server sends.
@Suite("Replies")
struct ReplyTests {
    @Test("a one-line reply with an enhanced code encodes as code, code, text, CRLF")
    func oneLineWithEnhancedCode() {
        #expect(SMTPReply(250, "2.1.0", "Ok").encoded == bytes("250 2.1.0 Ok\r\n"))
        #expect(
            SMTPReply(554, "5.7.1", "<bob@example.org>: Relay access denied").encoded
                == bytes("554 5.7.1 <bob@example.org>: Relay access denied\r\n"))
    }

    @Test("a one-line reply without an enhanced code encodes as code, text, CRLF")
    func oneLineWithoutEnhancedCode() {
        #expect(SMTPReply(220, "mx.example.com ESMTP Poshta").encoded == bytes("220 mx.example.com ESMTP Poshta\r\n"))
        #expect(
            SMTPReply(354, "End data with <CR><LF>.<CR><LF>").encoded
                == bytes("354 End data with <CR><LF>.<CR><LF>\r\n"))
    }

    @Test("a multi-line reply uses '-' on every line but the last")
    func multiLine() {
        let reply = SMTPReply(code: 250, enhancedCode: nil, lines: ["a", "b"])
        #expect(reply.encoded == bytes("250-a\r\n250 b\r\n"))
        let three = SMTPReply(code: 250, enhancedCode: nil, lines: ["mx.example.com", "PIPELINING", "SIZE 100"])
        #expect(three.encoded == bytes("250-mx.example.com\r\n250-PIPELINING\r\n250 SIZE 100\r\n"))
    }

    @Test("a multi-line reply repeats the enhanced code on every line (RFC 2034 §3)")
    func multiLineEnhancedOnEveryLine() {
        let reply = SMTPReply(
            code: 550, enhancedCode: EnhancedStatusCode(5, 7, 1), lines: ["first", "second", "third"])
        #expect(reply.encoded == bytes("550-5.7.1 first\r\n550-5.7.1 second\r\n550 5.7.1 third\r\n"))
    }

    @Test("a reply made with no lines still has one, empty")
    func noLines() {
        let reply = SMTPReply(code: 250, enhancedCode: nil, lines: [])
        #expect(reply.lines == [""])
        // No space after the code when there is no text (RFC 5321 §4.2's Reply-line).
        #expect(reply.encoded == bytes("250\r\n"))
    }

    @Test("an enhanced code that does not parse is left out")
    func invalidEnhancedTextDropped() {
        #expect(SMTPReply(250, "two.oh.oh", "Ok").enhancedCode == nil)
        #expect(SMTPReply(250, "two.oh.oh", "Ok").encoded == bytes("250 Ok\r\n"))
    }

    @Test("the log form is one line, with lines joined by ' / '")
    func descriptions() {
        #expect(SMTPReply(550, "5.7.1", "Relay access denied").description == "550 5.7.1 Relay access denied")
        #expect(SMTPReply(220, "mx ESMTP").description == "220 mx ESMTP")
        #expect(SMTPReply(code: 250, enhancedCode: nil, lines: ["a", "b"]).description == "250 a / b")
    }

    @Test(
        "the code class says positive, transient or permanent",
        arguments: [
            (220, true, false, false), (250, true, false, false), (354, true, false, false),
            (421, false, true, false), (452, false, true, false), (499, false, true, false),
            (500, false, false, true), (554, false, false, true),
        ])
    func classes(code: Int, positive: Bool, transient: Bool, permanent: Bool) {
        let reply = SMTPReply(code, "x")
        #expect(reply.isPositive == positive)
        #expect(reply.isTransientFailure == transient)
        #expect(reply.isPermanentFailure == permanent)
    }

    // MARK: Enhanced status codes

    @Test(
        "enhanced status codes parse as class.subject.detail",
        arguments: [
            ("2.0.0", EnhancedStatusCode(2, 0, 0)), ("4.5.3", EnhancedStatusCode(4, 5, 3)),
            ("5.7.1", EnhancedStatusCode(5, 7, 1)), ("5.123.999", EnhancedStatusCode(5, 123, 999)),
        ])
    func enhancedCodes(text: String, code: EnhancedStatusCode) {
        #expect(EnhancedStatusCode(text) == code)
        #expect(code.description == text)
    }

    @Test(
        "text that is not an enhanced status code is refused",
        arguments: [
            "", "5", "5.7", "5.7.1.0", "3.0.0", "1.0.0", "6.0.0", "5..1", "5.7.", ".7.1", "5.1000.0", "5.0.1000",
            "a.b.c", "5.7.x", "5.٧.1", "５.7.1", " 5.7.1", "5.7.1 ",
        ])
    func invalidEnhancedCodes(text: String) {
        #expect(EnhancedStatusCode(text) == nil)
    }

    // MARK: Replies the server sends on its own

    @Test("the greeting and the EHLO and HELO replies carry no enhanced code (RFC 2034 §3)")
    func greetingAndEhloHaveNoEnhancedCode() {
        var machine = makeMachine(maxMessageSize: 10_485_760)
        #expect(machine.greeting.enhancedCode == nil)
        #expect(machine.greeting.encoded == bytes("220 mx.example.com ESMTP Poshta\r\n"))

        let ehlo = machine.send("EHLO client.example.com").replies
        #expect(ehlo.count == 1)
        #expect(ehlo[0].enhancedCode == nil)
        #expect(
            ehlo[0].encoded
                == bytes(
                    "250-mx.example.com\r\n" + "250-PIPELINING\r\n" + "250-SIZE 10485760\r\n"
                        + "250-ENHANCEDSTATUSCODES\r\n" + "250-8BITMIME\r\n" + "250 SMTPUTF8\r\n"))

        let helo = machine.send("HELO client.example.com").replies
        #expect(helo.map(\.encoded) == [bytes("250 mx.example.com\r\n")])
    }

    @Test("the closing replies name the host and carry their enhanced codes")
    func closingReplies() {
        let machine = makeMachine()
        #expect(machine.idleTimeoutReply.status == "421 4.4.2")
        #expect(machine.shutdownReply.status == "421 4.3.2")
        #expect(machine.tooManyConnectionsReply.status == "421 4.7.0")
        for reply in [machine.idleTimeoutReply, machine.shutdownReply, machine.tooManyConnectionsReply] {
            #expect(reply.lines[0].hasPrefix("mx.example.com "))
            #expect(reply.encoded.suffix(2) == [0x0D, 0x0A])
        }
    }
}
