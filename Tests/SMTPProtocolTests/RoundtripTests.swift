import Testing

@testable import SMTPProtocol

/// Every command's wire form, framed and parsed again, gives back the same
/// command (as nio-imap's `RoundtripTests.swift` does for IMAP). This is what
/// lets the same codec serve Poshta's SMTP client.
@Suite("Roundtrip")
struct RoundtripTests {
    static let alice = Mailbox(localPart: "alice", domain: .name("example.com"))

    static let samples: [SMTPCommand] = [
        .ehlo("client.example.com"),
        .ehlo("[192.0.2.1]"),
        .ehlo("[IPv6:2001:db8::1]"),
        .helo("client.example.com"),
        .mail(.null, MailParameters()),
        .mail(.mailbox(alice), MailParameters()),
        .mail(.mailbox(alice), MailParameters(size: 12345)),
        .mail(.mailbox(alice), MailParameters(size: 0, body: .sevenBit)),
        .mail(.mailbox(alice), MailParameters(body: .eightBitMIME)),
        .mail(.mailbox(alice), MailParameters(smtpUTF8: true)),
        .mail(.mailbox(alice), MailParameters(size: Int.max, body: .eightBitMIME, smtpUTF8: true)),
        .mail(
            .mailbox(alice),
            MailParameters(
                size: 10,
                other: [ESMTPParameter("RET", "HDRS"), ESMTPParameter("ENVID", "x+2By"), ESMTPParameter("HOLD")])),
        .mail(.mailbox(Mailbox(localPart: "\"john smith\"", domain: .name("example.com"))), MailParameters()),
        .mail(.mailbox(Mailbox(localPart: "\"a\\\"b\\\\c\"", domain: .name("example.com"))), MailParameters()),
        .mail(.mailbox(Mailbox(localPart: "пользователь", domain: .name("пример.рф"))), MailParameters(smtpUTF8: true)),
        .mail(.mailbox(Mailbox(localPart: "first.last+tag", domain: .ipv4("192.0.2.1"))), MailParameters()),
        .rcpt(.postmaster, []),
        .rcpt(.mailbox(alice), []),
        .rcpt(.mailbox(Mailbox(localPart: "Bob", domain: .name("Example.ORG"))), []),
        .rcpt(.mailbox(Mailbox(localPart: "bob", domain: .ipv6("2001:db8::1"))), []),
        .rcpt(.mailbox(Mailbox(localPart: "bob", domain: .ipv6("::ffff:192.0.2.1"))), []),
        .rcpt(.mailbox(Mailbox(localPart: "bob", domain: .general(tag: "x-tag", content: "a:b"))), []),
        .rcpt(.mailbox(Mailbox(localPart: "用户", domain: .name("例子.广告"))), []),
        .rcpt(.mailbox(Mailbox(localPart: "user%host", domain: .name("example.org"))), []),
        .rcpt(.mailbox(Mailbox(localPart: "\"user@host\"", domain: .name("example.org"))), []),
        .rcpt(
            .mailbox(alice),
            [ESMTPParameter("NOTIFY", "SUCCESS,FAILURE"), ESMTPParameter("ORCPT", "rfc822;alice@example.com")]),
        .data,
        .rset,
        .noop(nil),
        .noop("are you there?"),
        .quit,
        .vrfy("alice"),
        .vrfy("Alice Smith"),
        .expn("staff"),
        .help(nil),
        .help("MAIL"),
        .startTLS,
        .auth(mechanism: "PLAIN", initialResponse: nil),
        .auth(mechanism: "PLAIN", initialResponse: "AGFsaWNlAHNlY3JldA=="),
        .auth(mechanism: "PLAIN", initialResponse: "="),
        .auth(mechanism: "LOGIN", initialResponse: nil),
        .auth(mechanism: "CRAM-MD5", initialResponse: nil),
    ]

    @Test("every command survives encode then parse", arguments: samples)
    func roundtrip(_ command: SMTPCommand) throws {
        let encoded = command.encoded
        #expect(encoded.suffix(2) == [0x0D, 0x0A])
        #expect(try SMTPCommandParser.parse(encoded.dropLast(2)) == command)
    }

    @Test("every command survives encode, framing and parse", arguments: samples)
    func roundtripThroughFramer(_ command: SMTPCommand) throws {
        var framer = SMTPServerFramer()
        framer.append(command.encoded)
        guard case .command(let line) = framer.next() else {
            Issue.record("the framer did not give back a command line for \(command.line)")
            return
        }
        #expect(framer.next() == nil)
        #expect(try SMTPCommandParser.parse(line) == command)
    }

    @Test("all the samples pipelined in one stream come back in order")
    func pipelinedRoundtrip() throws {
        let stream = Self.samples.filter { $0 != .data }.flatMap(\.encoded)
        var parsed: [SMTPCommand] = []
        for frame in framesInOneChunk(stream) {
            guard case .command(let line) = frame else {
                Issue.record("unexpected frame \(frame)")
                continue
            }
            parsed.append(try SMTPCommandParser.parse(line))
        }
        #expect(parsed == Self.samples.filter { $0 != .data })
    }

    @Test(
        "commands encode to the line a client sends",
        arguments: [
            (SMTPCommand.ehlo("c.example"), "EHLO c.example\r\n"),
            (.mail(.null, MailParameters()), "MAIL FROM:<>\r\n"),
            (
                .mail(
                    .mailbox(alice),
                    MailParameters(size: 10, body: .eightBitMIME, smtpUTF8: true, other: [ESMTPParameter("x-a", "1")])),
                "MAIL FROM:<alice@example.com> SIZE=10 BODY=8BITMIME SMTPUTF8 X-A=1\r\n"
            ),
            (.rcpt(.postmaster, []), "RCPT TO:<Postmaster>\r\n"),
            (
                .rcpt(.mailbox(alice), [ESMTPParameter("NOTIFY", "NEVER")]),
                "RCPT TO:<alice@example.com> NOTIFY=NEVER\r\n"
            ),
            (.rcpt(.mailbox(Mailbox(localPart: "a", domain: .ipv6("::1"))), []), "RCPT TO:<a@[IPv6:::1]>\r\n"),
            (.data, "DATA\r\n"), (.rset, "RSET\r\n"), (.quit, "QUIT\r\n"), (.startTLS, "STARTTLS\r\n"),
            (.noop(nil), "NOOP\r\n"), (.noop("x"), "NOOP x\r\n"), (.help(nil), "HELP\r\n"),
            (.vrfy("alice"), "VRFY alice\r\n"), (.expn("staff"), "EXPN staff\r\n"),
            (.auth(mechanism: "PLAIN", initialResponse: "AGE="), "AUTH PLAIN AGE=\r\n"),
        ])
    func encodedLines(command: SMTPCommand, wire: String) {
        #expect(command.encoded == bytes(wire))
    }
}
