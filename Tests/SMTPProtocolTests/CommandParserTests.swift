import Testing

@testable import SMTPProtocol

/// `SMTPCommandParser`: one command line (without CRLF) → `SMTPCommand`, or
/// the syntax error with the exact reply the client gets.
@Suite("Command parser")
struct CommandParserTests {
    static let alice = Mailbox(localPart: "alice", domain: .name("example.com"))
    static let bob = Mailbox(localPart: "bob", domain: .name("example.org"))

    static let validLines: [(String, SMTPCommand)] = [
        ("EHLO client.example.com", .ehlo("client.example.com")),
        ("HELO client.example.com", .helo("client.example.com")),
        ("EHLO [192.0.2.1]", .ehlo("[192.0.2.1]")),
        ("EHLO [IPv6:2001:db8::1]", .ehlo("[IPv6:2001:db8::1]")),
        ("MAIL FROM:<alice@example.com>", .mail(.mailbox(alice), MailParameters())),
        ("MAIL FROM:<>", .mail(.null, MailParameters())),
        ("MAIL FROM:<> SIZE=0", .mail(.null, MailParameters(size: 0))),
        ("MAIL FROM:<alice@example.com> SIZE=12345", .mail(.mailbox(alice), MailParameters(size: 12345))),
        ("MAIL FROM:<alice@example.com> BODY=7BIT", .mail(.mailbox(alice), MailParameters(body: .sevenBit))),
        ("MAIL FROM:<alice@example.com> BODY=8BITMIME", .mail(.mailbox(alice), MailParameters(body: .eightBitMIME))),
        ("MAIL FROM:<alice@example.com> SMTPUTF8", .mail(.mailbox(alice), MailParameters(smtpUTF8: true))),
        (
            "MAIL FROM:<alice@example.com> SIZE=1000 BODY=8BITMIME SMTPUTF8",
            .mail(.mailbox(alice), MailParameters(size: 1000, body: .eightBitMIME, smtpUTF8: true))
        ),
        (
            "MAIL FROM:<alice@example.com> SMTPUTF8 BODY=7BIT SIZE=1000",
            .mail(.mailbox(alice), MailParameters(size: 1000, body: .sevenBit, smtpUTF8: true))
        ),
        (
            "MAIL FROM:<alice@example.com> X-FOO=bar RET=HDRS ENVID=QQ314159",
            .mail(
                .mailbox(alice),
                MailParameters(other: [
                    ESMTPParameter("X-FOO", "bar"), ESMTPParameter("RET", "HDRS"), ESMTPParameter("ENVID", "QQ314159"),
                ]))
        ),
        (
            "MAIL FROM:<alice@example.com> AUTH=<>",
            .mail(.mailbox(alice), MailParameters(other: [ESMTPParameter("AUTH", "<>")]))
        ),
        ("MAIL FROM:<alice@example.com> HOLD", .mail(.mailbox(alice), MailParameters(other: [ESMTPParameter("HOLD")]))),
        ("RCPT TO:<bob@example.org>", .rcpt(.mailbox(bob), [])),
        ("RCPT TO:<Postmaster>", .rcpt(.postmaster, [])),
        ("RCPT TO:<postmaster>", .rcpt(.postmaster, [])),
        ("RCPT TO:<POSTMASTER>", .rcpt(.postmaster, [])),
        (
            "RCPT TO:<postmaster@example.org>",
            .rcpt(.mailbox(Mailbox(localPart: "postmaster", domain: .name("example.org"))), [])
        ),
        (
            "RCPT TO:<bob@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.org",
            .rcpt(
                .mailbox(bob),
                [ESMTPParameter("NOTIFY", "SUCCESS,FAILURE"), ESMTPParameter("ORCPT", "rfc822;bob@example.org")])
        ),
        ("RCPT TO:<Postmaster> NOTIFY=NEVER", .rcpt(.postmaster, [ESMTPParameter("NOTIFY", "NEVER")])),
        ("DATA", .data),
        ("RSET", .rset),
        ("NOOP", .noop(nil)),
        ("NOOP are you there", .noop("are you there")),
        ("QUIT", .quit),
        ("VRFY alice", .vrfy("alice")),
        ("VRFY <alice@example.com>", .vrfy("<alice@example.com>")),
        ("VRFY Alice Smith", .vrfy("Alice Smith")),
        ("EXPN staff", .expn("staff")),
        ("HELP", .help(nil)),
        ("HELP MAIL", .help("MAIL")),
        ("STARTTLS", .startTLS),
        ("AUTH PLAIN", .auth(mechanism: "PLAIN", initialResponse: nil)),
        ("AUTH PLAIN AGFsaWNlAHNlY3JldA==", .auth(mechanism: "PLAIN", initialResponse: "AGFsaWNlAHNlY3JldA==")),
        ("AUTH PLAIN =", .auth(mechanism: "PLAIN", initialResponse: "=")),
        ("AUTH LOGIN", .auth(mechanism: "LOGIN", initialResponse: nil)),
        ("AUTH CRAM-MD5", .auth(mechanism: "CRAM-MD5", initialResponse: nil)),
    ]

    @Test("each command line parses to its command", arguments: validLines)
    func parsesEveryCommand(line: String, expected: SMTPCommand) throws {
        #expect(try SMTPCommandParser.parse(bytes(line)) == expected)
    }

    static let caseVariants: [(String, SMTPCommand)] = [
        ("ehlo client.example.com", .ehlo("client.example.com")),
        ("Helo client.example.com", .helo("client.example.com")),
        ("mail from:<alice@example.com>", .mail(.mailbox(alice), MailParameters())),
        ("MaIl FrOm:<alice@example.com>", .mail(.mailbox(alice), MailParameters())),
        ("rcpt to:<bob@example.org>", .rcpt(.mailbox(bob), [])),
        ("rCpT tO:<bob@example.org>", .rcpt(.mailbox(bob), [])),
        ("rcpt to:<postmaster>", .rcpt(.postmaster, [])),
        ("data", .data), ("rset", .rset), ("noop", .noop(nil)), ("quit", .quit), ("Quit", .quit),
        ("vrfy alice", .vrfy("alice")), ("expn staff", .expn("staff")), ("help", .help(nil)),
        ("starttls", .startTLS), ("StartTLS", .startTLS),
        ("auth plain", .auth(mechanism: "PLAIN", initialResponse: nil)),
        (
            "mail from:<alice@example.com> size=10 body=8bitmime smtputf8",
            .mail(.mailbox(alice), MailParameters(size: 10, body: .eightBitMIME, smtpUTF8: true))
        ),
        ("mail from:<alice@example.com> body=7bit", .mail(.mailbox(alice), MailParameters(body: .sevenBit))),
    ]

    @Test("verbs, FROM:/TO: and parameter keywords are case-insensitive", arguments: caseVariants)
    func caseInsensitive(line: String, expected: SMTPCommand) throws {
        #expect(try SMTPCommandParser.parse(bytes(line)) == expected)
    }

    @Test(
        "one or more spaces after the colon are accepted",
        arguments: [
            ("MAIL FROM: <alice@example.com>", SMTPCommand.mail(.mailbox(alice), MailParameters())),
            ("MAIL FROM:   <alice@example.com> SIZE=5", .mail(.mailbox(alice), MailParameters(size: 5))),
            ("MAIL FROM: <>", .mail(.null, MailParameters())),
            ("RCPT TO: <bob@example.org>", .rcpt(.mailbox(bob), [])),
            ("RCPT TO: <Postmaster>", .rcpt(.postmaster, [])),
        ])
    func spaceAfterColon(line: String, expected: SMTPCommand) throws {
        #expect(try SMTPCommandParser.parse(bytes(line)) == expected)
    }

    @Test(
        "spaces around arguments and between parameters are not part of them",
        arguments: [
            ("QUIT ", SMTPCommand.quit),
            ("DATA   ", .data),
            ("EHLO   client.example.com  ", .ehlo("client.example.com")),
            ("NOOP  ", .noop(nil)),
            ("HELP ", .help(nil)),
            ("MAIL FROM:<alice@example.com> ", .mail(.mailbox(alice), MailParameters())),
            (
                "MAIL FROM:<alice@example.com>   SIZE=7    SMTPUTF8  ",
                .mail(.mailbox(alice), MailParameters(size: 7, smtpUTF8: true))
            ),
            ("AUTH  PLAIN   abc=  ", .auth(mechanism: "PLAIN", initialResponse: "abc=")),
        ])
    func surroundingSpaces(line: String, expected: SMTPCommand) throws {
        #expect(try SMTPCommandParser.parse(bytes(line)) == expected)
    }

    @Test("a SIZE larger than an Int can hold is kept as Int.max, so it is always over the limit")
    func hugeSize() throws {
        let command = try SMTPCommandParser.parse(bytes("MAIL FROM:<> SIZE=99999999999999999999"))
        #expect(command == .mail(.null, MailParameters(size: Int.max)))
    }

    @Test("unknown parameters keep their order, upper-cased keywords and values as sent")
    func unknownParametersKept() throws {
        let command = try SMTPCommandParser.parse(bytes("MAIL FROM:<> x-Foo=MixedCase ret=hdrs"))
        guard case .mail(_, let parameters) = command else {
            Issue.record("not a MAIL command: \(command)")
            return
        }
        #expect(parameters.other == [ESMTPParameter("X-FOO", "MixedCase"), ESMTPParameter("RET", "hdrs")])
        #expect(parameters.other.map(\.keyword) == ["X-FOO", "RET"])
    }

    @Test(
        "valid UTF-8 is accepted inside an address, a parameter value and a NOOP text",
        arguments: [
            (
                "MAIL FROM:<пользователь@пример.рф> SMTPUTF8",
                SMTPCommand.mail(
                    .mailbox(Mailbox(localPart: "пользователь", domain: .name("пример.рф"))),
                    MailParameters(smtpUTF8: true))
            ),
            ("RCPT TO:<用户@例子.广告>", .rcpt(.mailbox(Mailbox(localPart: "用户", domain: .name("例子.广告"))), [])),
            ("RCPT TO:<bob@example.org> X-NOTE=grüße", .rcpt(.mailbox(bob), [ESMTPParameter("X-NOTE", "grüße")])),
            ("NOOP привет", .noop("привет")),
        ])
    func utf8Accepted(line: String, expected: SMTPCommand) throws {
        #expect(try SMTPCommandParser.parse(bytes(line)) == expected)
    }

    // MARK: Syntax errors, each with its exact reply

    struct ErrorFixture: Sendable, CustomTestStringConvertible {
        var line: [UInt8]
        var code: Int
        var enhanced: String
        init(_ line: String, _ code: Int, _ enhanced: String) {
            self.init(bytes: bytes(line), code, enhanced)
        }
        init(bytes: [UInt8], _ code: Int, _ enhanced: String) {
            self.line = bytes
            self.code = code
            self.enhanced = enhanced
        }
        var testDescription: String { "\(visible(line)) → \(code) \(enhanced)" }
    }

    static let unknownCommands: [ErrorFixture] = [
        ErrorFixture("", 500, "5.5.1"),
        ErrorFixture("FOO", 500, "5.5.1"),
        ErrorFixture("TURN", 500, "5.5.1"),
        ErrorFixture("ETRN example.com", 500, "5.5.1"),
        ErrorFixture("BDAT 100 LAST", 500, "5.5.1"),
        ErrorFixture("MAILFROM:<alice@example.com>", 500, "5.5.1"),
        ErrorFixture(" MAIL FROM:<alice@example.com>", 500, "5.5.1"),
        ErrorFixture("QU!T", 500, "5.5.1"),
        ErrorFixture("NOOP\tx", 500, "5.5.1"),
        ErrorFixture("GET / HTTP/1.1", 500, "5.5.1"),
    ]

    @Test("an unknown verb gets 500 5.5.1", arguments: unknownCommands)
    func unknownVerb(_ fixture: ErrorFixture) throws {
        let reply = try #require(errorReply(fixture.line))
        #expect(reply.status == "\(fixture.code) \(fixture.enhanced)")
        #expect(reply.lines == ["Command unrecognized"])
    }

    static let invalidCharacters: [ErrorFixture] = [
        ErrorFixture("NOOP \0", 500, "5.5.2"),
        ErrorFixture("NO\0OP", 500, "5.5.2"),
        ErrorFixture("\0", 500, "5.5.2"),
        ErrorFixture("MAIL FROM:<alice\0@example.com>", 500, "5.5.2"),
        ErrorFixture("NOOP\r", 500, "5.5.2"),
        ErrorFixture("NOOP\rQUIT", 500, "5.5.2"),
        ErrorFixture("NOOP\nQUIT", 500, "5.5.2"),
        ErrorFixture("MAIL FROM:<alice@example.com>\nRCPT TO:<bob@example.org>", 500, "5.5.2"),
        ErrorFixture(bytes: bytes("NOOP ") + [0xFF], 500, "5.5.2"),
        ErrorFixture(bytes: bytes("MAIL FROM:<") + [0xC3] + bytes("@example.com>"), 500, "5.5.2"),
        ErrorFixture(bytes: bytes("RCPT TO:<bob@example.org> X=") + [0xC0, 0x80], 500, "5.5.2"),
        ErrorFixture(bytes: [0x80, 0x81, 0x82], 500, "5.5.2"),
        ErrorFixture(bytes: bytes("EHLO ") + [0xED, 0xA0, 0x80], 500, "5.5.2"),  // a UTF-16 surrogate
        ErrorFixture("MAİL FROM:<alice@example.com>", 500, "5.5.2"),
        ErrorFixture("ЕHLO client.example.com", 500, "5.5.2"),  // Cyrillic Е
        ErrorFixture("QUITé", 500, "5.5.2"),
    ]

    @Test("NUL, bare CR or LF, invalid UTF-8 and 8-bit verbs get 500 5.5.2", arguments: invalidCharacters)
    func invalidCharactersRefused(_ fixture: ErrorFixture) throws {
        let reply = try #require(errorReply(fixture.line))
        #expect(reply.status == "\(fixture.code) \(fixture.enhanced)")
    }

    static let badArguments: [ErrorFixture] = [
        ErrorFixture("EHLO", 501, "5.5.4"),
        ErrorFixture("EHLO ", 501, "5.5.4"),
        ErrorFixture("HELO", 501, "5.5.4"),
        ErrorFixture("EHLO client example", 501, "5.5.4"),
        ErrorFixture("EHLO exämple.com", 501, "5.5.4"),
        ErrorFixture("MAIL", 501, "5.5.4"),
        ErrorFixture("MAIL FROM", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:", 501, "5.5.4"),
        ErrorFixture("MAIL FROM: ", 501, "5.5.4"),
        ErrorFixture("MAIL FROM :<alice@example.com>", 501, "5.5.4"),
        ErrorFixture("MAIL TO:<alice@example.com>", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:alice@example.com", 501, "5.5.4"),
        ErrorFixture("MAIL  FROM:<alice@example.com>", 501, "5.5.4"),
        ErrorFixture("RCPT", 501, "5.5.4"),
        ErrorFixture("RCPT TO:bob@example.org", 501, "5.5.4"),
        ErrorFixture("RCPT FROM:<bob@example.org>", 501, "5.5.4"),
        ErrorFixture("RCPT TO:", 501, "5.5.4"),
        ErrorFixture("DATA now", 501, "5.5.4"),
        ErrorFixture("RSET all", 501, "5.5.4"),
        ErrorFixture("QUIT now", 501, "5.5.4"),
        ErrorFixture("STARTTLS please", 501, "5.5.4"),
        ErrorFixture("VRFY", 501, "5.5.4"),
        ErrorFixture("VRFY   ", 501, "5.5.4"),
        ErrorFixture("EXPN", 501, "5.5.4"),
        ErrorFixture("AUTH", 501, "5.5.4"),
        ErrorFixture("AUTH PLAIN abc def", 501, "5.5.4"),
        // MAIL parameters
        ErrorFixture("MAIL FROM:<> SIZE", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> SIZE=", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> SIZE=abc", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> SIZE=-1", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> SIZE=1.5", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> SIZE=123456789012345678901", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> BODY", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> BODY=BINARYMIME", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> BODY=8BIT", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> SMTPUTF8=yes", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> SIZE=1 SIZE=2", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> size=1 SIZE=1", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> X-FOO=1 x-foo=2", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> -X=1", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> =1", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> X_Y=1", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> X=", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> X=a=b", 501, "5.5.4"),
        ErrorFixture("MAIL FROM:<> X=a\u{7F}", 501, "5.5.4"),
        // RCPT parameters
        ErrorFixture("RCPT TO:<bob@example.org> NOTIFY=", 501, "5.5.4"),
        ErrorFixture("RCPT TO:<bob@example.org> NOTIFY=NEVER NOTIFY=NEVER", 501, "5.5.4"),
        ErrorFixture("RCPT TO:<bob@example.org> ?=1", 501, "5.5.4"),
    ]

    @Test("wrong arguments to a known verb get 501 5.5.4", arguments: badArguments)
    func badArgumentsRefused(_ fixture: ErrorFixture) throws {
        let reply = try #require(errorReply(fixture.line))
        #expect(reply.status == "\(fixture.code) \(fixture.enhanced)")
    }

    static let badAddresses: [ErrorFixture] = [
        ErrorFixture("MAIL FROM:<alice>", 501, "5.1.7"),
        ErrorFixture("MAIL FROM:<Postmaster>", 501, "5.1.7"),
        ErrorFixture("MAIL FROM:<alice@>", 501, "5.1.7"),
        ErrorFixture("MAIL FROM:<alice@example.com", 501, "5.1.7"),
        ErrorFixture("MAIL FROM:<alice@example.com>SIZE=10", 501, "5.1.7"),
        ErrorFixture("MAIL FROM:<alice@example.com>>", 501, "5.1.7"),
        ErrorFixture("MAIL FROM:<al..ice@example.com>", 501, "5.1.7"),
        ErrorFixture("MAIL FROM:<alice@host@example.com>", 501, "5.1.7"),
        ErrorFixture("MAIL FROM:< >", 501, "5.1.7"),
        ErrorFixture("MAIL FROM:<@example.com>", 501, "5.1.7"),
        ErrorFixture("RCPT TO:<>", 501, "5.1.3"),
        ErrorFixture("RCPT TO:<bob>", 501, "5.1.3"),
        ErrorFixture("RCPT TO:<bob@>", 501, "5.1.3"),
        ErrorFixture("RCPT TO:<bob@host@example.org>", 501, "5.1.3"),
        ErrorFixture("RCPT TO:<bob@example.org", 501, "5.1.3"),
        ErrorFixture("RCPT TO:<bob@example.org>NOTIFY=NEVER", 501, "5.1.3"),
        ErrorFixture("RCPT TO:<Postmaster>x", 501, "5.1.3"),
        ErrorFixture("RCPT TO:<bob@exa_mple.org>", 501, "5.1.3"),
        ErrorFixture("RCPT TO:<bob@[192.0.2.300]>", 501, "5.1.3"),
        ErrorFixture("RCPT TO:<@example.org>", 501, "5.1.3"),
        ErrorFixture("RCPT TO:<@a,b:bob@example.org>", 501, "5.1.3"),
    ]

    @Test("a bad sender gets 501 5.1.7 and a bad recipient 501 5.1.3", arguments: badAddresses)
    func badAddressRefused(_ fixture: ErrorFixture) throws {
        let reply = try #require(errorReply(fixture.line))
        #expect(reply.status == "\(fixture.code) \(fixture.enhanced)")
    }

    static let sourceRoutes: [String] = [
        "MAIL FROM:<@a.example:alice@example.com>",
        "MAIL FROM:<@a.example,@b.example:alice@example.com>",
        "RCPT TO:<@a.example:bob@example.org>",
        "RCPT TO:<@a.example,@b.example:bob@example.org>",
        "RCPT TO:<@[192.0.2.1],@b.example:bob@example.org>",
        "rcpt to: <@A.EXAMPLE:bob@example.org>",
    ]

    @Test("a source route gets 553 5.7.1 and is never rewritten", arguments: sourceRoutes)
    func sourceRouteRefused(line: String) throws {
        #expect(parseResult(line) == .failure(.sourceRoute))
        let reply = try #require(errorReply(line))
        #expect(reply.status == "553 5.7.1")
    }

    @Test(
        "each syntax error carries its reply",
        arguments: [
            (SMTPSyntaxError.unrecognizedCommand, "500 5.5.1 Command unrecognized"),
            (.invalidCharacters("NUL"), "500 5.5.2 NUL"),
            (.badArguments("Syntax: DATA"), "501 5.5.4 Syntax: DATA"),
            (.badSenderAddress("no domain"), "501 5.1.7 Bad sender address syntax: no domain"),
            (.badRecipientAddress("no domain"), "501 5.1.3 Bad recipient address syntax: no domain"),
            (.badParameter("SIZE=x"), "501 5.5.4 SIZE=x"),
        ])
    func errorReplies(error: SMTPSyntaxError, expected: String) {
        #expect(error.reply.description == expected)
    }

    @Test("the source-route refusal tells the client to send to the final address")
    func sourceRouteReplyText() {
        let reply = SMTPSyntaxError.sourceRoute.reply
        #expect(reply.status == "553 5.7.1")
        #expect(reply.lines[0].contains("final address"))
    }

    // MARK: Per-verb facts

    @Test(
        "commands that must end a pipelined group say so (RFC 2920 §3.1)",
        arguments: [
            (SMTPCommand.ehlo("x"), true), (.helo("x"), true), (.data, true), (.quit, true), (.startTLS, true),
            (.auth(mechanism: "PLAIN", initialResponse: nil), true), (.vrfy("x"), true), (.expn("x"), true),
            (.noop(nil), true), (.help(nil), true),
            (.mail(.null, MailParameters()), false), (.rcpt(.postmaster, []), false), (.rset, false),
        ])
    func pipelineGroups(command: SMTPCommand, ends: Bool) {
        #expect(command.endsPipelineGroup == ends)
    }

    @Test(
        "each command names its verb",
        arguments: [
            (SMTPCommand.ehlo("x"), "EHLO"), (.helo("x"), "HELO"), (.mail(.null, MailParameters()), "MAIL"),
            (.rcpt(.postmaster, []), "RCPT"), (.data, "DATA"), (.rset, "RSET"), (.vrfy("x"), "VRFY"),
            (.expn("x"), "EXPN"), (.help(nil), "HELP"), (.noop(nil), "NOOP"), (.quit, "QUIT"),
            (.startTLS, "STARTTLS"), (.auth(mechanism: "PLAIN", initialResponse: nil), "AUTH"),
        ])
    func verbs(command: SMTPCommand, verb: String) {
        #expect(command.verb == verb)
    }
}
