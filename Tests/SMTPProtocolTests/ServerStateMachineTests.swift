import Testing

@testable import SMTPProtocol

/// `SMTPServerStateMachine`: commands in, actions out. Order, limits, relay,
/// address tricks, the error budget and the outcome of each message.
@Suite("Server state machine")
struct ServerStateMachineTests {
    static let alice = Mailbox(localPart: "alice", domain: .name("example.com"))
    static let bob = Mailbox(localPart: "bob", domain: .name("example.org"))
    static let carol = Mailbox(localPart: "carol", domain: .name("example.org"))

    /// A machine that has said EHLO and started a transaction from alice.
    static func inTransaction(_ machine: SMTPServerStateMachine = makeMachine()) -> SMTPServerStateMachine {
        var machine = machine
        #expect(machine.send("EHLO client.example.com").status == "250")
        #expect(machine.send("MAIL FROM:<alice@example.com>").status == "250 2.1.0")
        return machine
    }

    // MARK: Greeting and EHLO

    @Test("EHLO lists PIPELINING, SIZE, ENHANCEDSTATUSCODES, 8BITMIME and SMTPUTF8")
    func ehloExtensions() {
        var machine = makeMachine(maxMessageSize: 25_000_000)
        let action = machine.send("EHLO client.example.com")
        #expect(
            action
                == .reply(
                    SMTPReply(
                        code: 250, enhancedCode: nil,
                        lines: [
                            "mx.example.com", "PIPELINING", "SIZE 25000000", "ENHANCEDSTATUSCODES", "8BITMIME",
                            "SMTPUTF8",
                        ])))
        #expect(machine.heloName == "client.example.com")
        #expect(machine.isExtended)
    }

    @Test("EHLO lists STARTTLS before TLS, and AUTH only once TLS is up")
    func ehloWithTLSAndAuth() {
        var machine = makeMachine(offersStartTLS: true, authMechanisms: ["PLAIN", "LOGIN"])
        let before = machine.send("EHLO client.example.com").replies.first?.lines ?? []
        #expect(before.contains("STARTTLS"))
        #expect(!before.contains { $0.hasPrefix("AUTH") })
        #expect(before.first == "mx.example.com")
        #expect(before.last == "SMTPUTF8")
        #expect(machine.send("STARTTLS").status == "220 2.0.0")
        machine.tlsStarted()
        let after = machine.send("EHLO client.example.com").replies.first?.lines ?? []
        #expect(after.contains("AUTH PLAIN LOGIN"))
        #expect(!after.contains("STARTTLS"))
    }

    @Test("HELO answers with the host name alone and turns extensions off")
    func helo() {
        var machine = makeMachine()
        machine.send("EHLO client.example.com")
        #expect(machine.send("HELO old.example.com") == .reply(SMTPReply(250, "mx.example.com")))
        #expect(machine.heloName == "old.example.com")
        #expect(!machine.isExtended)
    }

    // MARK: A whole transaction

    @Test("a transaction goes EHLO, MAIL, RCPT, DATA, message, spool, 250")
    func wholeTransaction() {
        var machine = makeMachine()
        #expect(machine.send("EHLO client.example.com").status == "250")
        #expect(
            machine.send("MAIL FROM:<alice@example.com> SIZE=500 BODY=8BITMIME")
                == .reply(SMTPReply(250, "2.1.0", "Ok")))
        #expect(machine.send("RCPT TO:<bob@example.org>") == .reply(SMTPReply(250, "2.1.5", "Ok")))
        #expect(machine.send("RCPT TO:<carol@example.org>") == .reply(SMTPReply(250, "2.1.5", "Ok")))
        #expect(machine.send("DATA") == .replyAndReadMessage(SMTPReply(354, "End data with <CR><LF>.<CR><LF>")))
        let content = bytes("Subject: hi\r\n\r\nhello\r\n")
        let action = machine.receive(.message(.complete(content)))
        let expected = MailTransaction(
            sender: .mailbox(Self.alice), parameters: MailParameters(size: 500, body: .eightBitMIME),
            recipients: [Self.bob, Self.carol])
        #expect(action == .spool(expected, content))
        #expect(machine.transaction == nil)
        let queued = SMTPReply(250, "2.0.0", "Ok: queued as 3F9A2C7B")
        #expect(machine.spoolFinished(queued) == .reply(queued))
        // The next transaction needs no RSET.
        #expect(machine.send("MAIL FROM:<> ").status == "250 2.1.0")
        #expect(machine.errorCount == 0)
    }

    @Test("the null sender is accepted")
    func nullSender() {
        var machine = makeMachine()
        machine.send("EHLO client.example.com")
        #expect(machine.send("MAIL FROM:<>").status == "250 2.1.0")
        #expect(machine.transaction?.sender == .null)
    }

    // MARK: Order of commands

    @Test(
        "commands out of order get 503 5.5.1, and DATA without recipients 554 5.5.1",
        arguments: [
            (["MAIL FROM:<alice@example.com>"], "503 5.5.1"),
            (["RCPT TO:<bob@example.org>"], "503 5.5.1"),
            (["DATA"], "503 5.5.1"),
            (["EHLO c.example", "RCPT TO:<bob@example.org>"], "503 5.5.1"),
            (["EHLO c.example", "DATA"], "503 5.5.1"),
            (["HELO c.example", "DATA"], "503 5.5.1"),
            (["EHLO c.example", "MAIL FROM:<alice@example.com>", "DATA"], "554 5.5.1"),
            (["EHLO c.example", "MAIL FROM:<alice@example.com>", "MAIL FROM:<alice@example.com>"], "503 5.5.1"),
            (
                ["EHLO c.example", "MAIL FROM:<alice@example.com>", "RCPT TO:<bob@example.org>", "MAIL FROM:<>"],
                "503 5.5.1"
            ),
            (
                ["EHLO c.example", "MAIL FROM:<alice@example.com>", "RCPT TO:<bob@example.org>", "RSET", "DATA"],
                "503 5.5.1"
            ),
            (
                [
                    "EHLO c.example", "MAIL FROM:<alice@example.com>", "RCPT TO:<bob@example.org>", "RSET",
                    "RCPT TO:<bob@example.org>",
                ], "503 5.5.1"
            ),
        ])
    func orderErrors(lines: [String], expected: String) {
        var machine = makeMachine()
        let action = machine.send(lines)
        #expect(action?.status == expected)
        #expect(action?.closesConnection == false)
    }

    @Test("DATA without recipients says so")
    func noValidRecipients() {
        var machine = Self.inTransaction()
        #expect(machine.send("DATA") == .reply(SMTPReply(554, "5.5.1", "No valid recipients")))
    }

    @Test("a message frame without a transaction is refused")
    func messageWithoutTransaction() {
        var machine = makeMachine()
        machine.send("EHLO client.example.com")
        #expect(machine.receive(.message(.complete(bytes("x\r\n")))).status == "503 5.5.1")
    }

    @Test("RSET clears the transaction and keeps the greeting")
    func rsetClears() {
        var machine = Self.inTransaction()
        machine.send("RCPT TO:<bob@example.org>")
        #expect(machine.send("RSET") == .reply(SMTPReply(250, "2.0.0", "Ok")))
        #expect(machine.transaction == nil)
        #expect(machine.heloName == "client.example.com")
        #expect(machine.send("MAIL FROM:<alice@example.com>").status == "250 2.1.0")
        #expect(machine.transaction?.recipients == [])
    }

    @Test("RSET before any greeting is fine")
    func rsetFirst() {
        var machine = makeMachine()
        #expect(machine.send("RSET").status == "250 2.0.0")
        #expect(machine.errorCount == 0)
    }

    @Test("EHLO in the middle of a transaction starts over")
    func ehloResets() {
        var machine = Self.inTransaction()
        machine.send("RCPT TO:<bob@example.org>")
        #expect(machine.send("EHLO again.example.com").status == "250")
        #expect(machine.transaction == nil)
        #expect(machine.send("MAIL FROM:<alice@example.com>").status == "250 2.1.0")
    }

    // MARK: MAIL parameters

    @Test("a SIZE over the limit gets 552 5.3.4 at MAIL; at the limit it passes")
    func sizeLimitAtMail() {
        var machine = makeMachine(maxMessageSize: 10_000)
        machine.send("EHLO client.example.com")
        #expect(machine.send("MAIL FROM:<alice@example.com> SIZE=10001").status == "552 5.3.4")
        #expect(machine.transaction == nil)
        #expect(machine.send("MAIL FROM:<alice@example.com> SIZE=99999999999999999999").status == "552 5.3.4")
        #expect(machine.send("MAIL FROM:<alice@example.com> SIZE=10000").status == "250 2.1.0")
    }

    @Test(
        "MAIL parameters after HELO get 555 5.5.4",
        arguments: ["SIZE=100", "BODY=8BITMIME", "BODY=7BIT", "SMTPUTF8", "X-FOO=bar"])
    func parametersAfterHelo(parameter: String) {
        var machine = makeMachine()
        machine.send("HELO client.example.com")
        #expect(machine.send("MAIL FROM:<alice@example.com> \(parameter)").status == "555 5.5.4")
        #expect(machine.send("MAIL FROM:<alice@example.com>").status == "250 2.1.0")
    }

    @Test("unknown MAIL and RCPT parameters get 555 5.5.4")
    func unknownParameters() {
        var machine = makeMachine()
        machine.send("EHLO client.example.com")
        let mail = machine.send("MAIL FROM:<alice@example.com> RET=HDRS")
        #expect(mail.status == "555 5.5.4")
        #expect(mail.replies.first?.lines.first?.contains("RET") == true)
        #expect(machine.send("MAIL FROM:<alice@example.com> SMTPUTF8 BODY=7BIT").status == "250 2.1.0")
        #expect(machine.send("RCPT TO:<bob@example.org> NOTIFY=NEVER").status == "555 5.5.4")
        #expect(machine.transaction?.recipients == [])
    }

    // MARK: UTF-8 addresses (RFC 6531)

    @Test(
        "a UTF-8 sender needs SMTPUTF8: 553 5.6.7 without it",
        arguments: ["<пользователь@example.com>", "<alice@пример.рф>", "<\"ü\"@example.com>"])
    func utf8SenderNeedsSMTPUTF8(path: String) {
        var machine = makeMachine()
        machine.send("EHLO client.example.com")
        #expect(machine.send("MAIL FROM:\(path)").status == "553 5.6.7")
        #expect(machine.send("MAIL FROM:\(path) SMTPUTF8").status == "250 2.1.0")
    }

    @Test(
        "a UTF-8 recipient needs SMTPUTF8 on MAIL: 553 5.6.7 without it",
        arguments: ["<пользователь@example.org>", "<bob@пример.рф>", "<用户@例子.广告>"])
    func utf8RecipientNeedsSMTPUTF8(path: String) {
        var plain = Self.inTransaction()
        #expect(plain.send("RCPT TO:\(path)").status == "553 5.6.7")
        #expect(plain.transaction?.recipients == [])

        var utf8 = makeMachine()
        utf8.send("EHLO client.example.com")
        utf8.send("MAIL FROM:<alice@example.com> SMTPUTF8")
        #expect(utf8.send("RCPT TO:\(path)").status == "250 2.1.5")
        #expect(utf8.transaction?.recipients.count == 1)
    }

    // MARK: Recipients and relay

    @Test("recipients beyond the limit get 452 4.5.3, which does not count as an error")
    func tooManyRecipients() {
        var machine = Self.inTransaction(makeMachine(maxRecipients: 3))
        for name in ["a", "b", "c"] {
            #expect(machine.send("RCPT TO:<\(name)@example.org>").status == "250 2.1.5")
        }
        for name in ["d", "e", "f", "g", "h", "i"] {
            #expect(machine.send("RCPT TO:<\(name)@example.org>").status == "452 4.5.3")
        }
        #expect(machine.transaction?.recipients.map(\.localPart) == ["a", "b", "c"])
        #expect(machine.errorCount == 0)
        #expect(machine.send("DATA").status == "354")
    }

    @Test("a recipient given twice is kept once")
    func duplicateRecipients() {
        var machine = Self.inTransaction()
        #expect(machine.send("RCPT TO:<bob@example.org>").status == "250 2.1.5")
        #expect(machine.send("RCPT TO:<bob@example.org>").status == "250 2.1.5")
        #expect(machine.send("RCPT TO: <bob@example.org>").status == "250 2.1.5")
        #expect(machine.send("RCPT TO:<bob@EXAMPLE.org>").status == "250 2.1.5")
        #expect(machine.transaction?.recipients == [Self.bob])
    }

    @Test("a duplicate at the recipient limit is still 250, not 452")
    func duplicateAtLimit() {
        var machine = Self.inTransaction(makeMachine(maxRecipients: 1))
        machine.send("RCPT TO:<bob@example.org>")
        #expect(machine.send("RCPT TO:<bob@example.org>").status == "250 2.1.5")
        #expect(machine.send("RCPT TO:<carol@example.org>").status == "452 4.5.3")
    }

    @Test("a client that may not relay gets 554 5.7.1 for every recipient")
    func relayDenied() {
        var machine = Self.inTransaction(makeMachine(mayRelay: false))
        let action = machine.send("RCPT TO:<bob@example.org>")
        #expect(action.status == "554 5.7.1")
        #expect(action.replies.first?.lines.first?.contains("Relay access denied") == true)
        #expect(machine.send("RCPT TO:<carol@example.org>").status == "554 5.7.1")
        #expect(machine.transaction?.recipients == [])
        #expect(machine.errorCount == 2)
        #expect(machine.send("DATA").status == "554 5.5.1")
    }

    @Test("a client becomes able to relay when the session says so")
    func relayAllowedLater() {
        var machine = Self.inTransaction(makeMachine(mayRelay: false))
        #expect(machine.send("RCPT TO:<bob@example.org>").status == "554 5.7.1")
        machine.clientMayRelay = true
        #expect(machine.send("RCPT TO:<bob@example.org>").status == "250 2.1.5")
    }

    @Test("a client that may not relay may still write to an inbound mailbox: unsubscribe@ and unsubscribe+TOKEN@, any case; nothing else")
    func inboundMailbox() {
        var base = makeMachine(mayRelay: false)
        var configuration = base.configuration
        configuration.inboundMailboxes = [InboundMailbox("unsubscribe@mail.shop.example")!]
        base = SMTPServerStateMachine(configuration: configuration, clientMayRelay: false)
        var machine = Self.inTransaction(base)
        #expect(machine.send("RCPT TO:<unsubscribe+aGk.Xy-_z@mail.shop.example>").status == "250 2.1.5")
        #expect(machine.send("RCPT TO:<Unsubscribe@MAIL.shop.example>").status == "250 2.1.5")
        #expect(machine.send("RCPT TO:<unsubscribed@mail.shop.example>").status == "554 5.7.1")
        #expect(machine.send("RCPT TO:<unsubscribe@shop.example>").status == "554 5.7.1")
        #expect(machine.send("RCPT TO:<unsubscribe+x@[192.0.2.1]>").status == "554 5.7.1")
        #expect(machine.transaction?.recipients.map(\.description) == ["unsubscribe+aGk.Xy-_z@mail.shop.example", "Unsubscribe@MAIL.shop.example"])
        #expect(InboundMailbox("no-at-sign") == nil && InboundMailbox("@x") == nil)
    }

    @Test("<Postmaster> is the postmaster of this host")
    func postmaster() {
        var machine = Self.inTransaction()
        #expect(machine.send("RCPT TO:<Postmaster>").status == "250 2.1.5")
        #expect(machine.transaction?.recipients == [Mailbox(localPart: "postmaster", domain: .name("mx.example.com"))])
    }

    // MARK: Address tricks (refused, never rewritten)

    @Test(
        "address tricks in a recipient get 553 5.7.1, even from a trusted client",
        arguments: [
            "<user%host@example.org>", "<host!user@example.org>", "<\"user@host\"@example.org>",
            "<\"user%host\"@example.org>", "<a%b%c@example.org>", "<user%host.example@[192.0.2.1]>",
        ])
    func addressTricks(path: String) throws {
        guard case .success(.rcpt) = parseResult("RCPT TO:\(path)") else {
            Issue.record("\(path) should parse: the refusal is policy, not syntax")
            return
        }
        var machine = Self.inTransaction()
        #expect(machine.send("RCPT TO:\(path)").status == "553 5.7.1")
        #expect(machine.transaction?.recipients == [])
        var untrusted = Self.inTransaction(makeMachine(mayRelay: false))
        #expect(untrusted.send("RCPT TO:\(path)").status == "553 5.7.1")
    }

    @Test(
        "source routes get 553 5.7.1 at MAIL and RCPT",
        arguments: ["MAIL FROM:<@a.example:alice@example.com>", "RCPT TO:<@a.example,@b.example:bob@example.org>"])
    func sourceRoutes(line: String) {
        var machine = makeMachine()
        machine.send("EHLO client.example.com")
        if line.hasPrefix("RCPT") { machine.send("MAIL FROM:<alice@example.com>") }
        #expect(machine.send(line).status == "553 5.7.1")
        #expect(machine.transaction?.recipients ?? [] == [])
    }

    @Test("user@host@domain gets 501 5.1.3 and is not added")
    func twoAts() {
        var machine = Self.inTransaction()
        #expect(machine.send("RCPT TO:<bob@host@example.org>").status == "501 5.1.3")
        #expect(machine.transaction?.recipients == [])
    }

    // MARK: Other commands

    @Test(
        "each other command gets its reply",
        arguments: [
            ("NOOP", "250 2.0.0"), ("NOOP hello", "250 2.0.0"), ("VRFY alice", "252 2.0.0"),
            ("EXPN staff", "502 5.5.1"),
            ("HELP", "214 2.0.0"), ("HELP MAIL", "214 2.0.0"), ("STARTTLS", "502 5.5.1"), ("AUTH PLAIN", "502 5.5.1"),
            ("AUTH PLAIN AGFsaWNlAHNlY3JldA==", "502 5.5.1"),
        ])
    func otherCommands(line: String, expected: String) {
        var machine = makeMachine()
        machine.send("EHLO client.example.com")
        let action = machine.send(line)
        #expect(action.status == expected)
        #expect(!action.closesConnection)
    }

    @Test("QUIT answers 221 and closes")
    func quit() {
        var machine = Self.inTransaction()
        #expect(machine.send("QUIT") == .replyAndClose([SMTPReply(221, "2.0.0", "Bye")]))
    }

    @Test("STARTTLS on a listener that offers it answers 220 and forgets the transaction")
    func startTLS() {
        var machine = Self.inTransaction(makeMachine(offersStartTLS: true))
        #expect(machine.send("STARTTLS") == .replyAndStartTLS(SMTPReply(220, "2.0.0", "Ready to start TLS")))
        #expect(machine.transaction == nil)
    }

    // MARK: Framing errors and message outcomes

    @Test("a command line over 512 octets and a bare line ending get 500 5.5.2")
    func framingErrors() {
        var machine = makeMachine()
        #expect(machine.receive(.commandTooLong).status == "500 5.5.2")
        #expect(machine.receive(.commandBareLineEnding).status == "500 5.5.2")
        #expect(machine.errorCount == 2)
    }

    @Test("a syntax error from the parser reaches the client with its reply")
    func syntaxErrorReply() {
        var machine = makeMachine()
        machine.send("EHLO client.example.com")
        #expect(machine.send("MAIL FROM:<alice>").status == "501 5.1.7")
        #expect(machine.send("FOO").status == "500 5.5.1")
        #expect(machine.receive(.command([0x4E, 0x4F, 0x4F, 0x50, 0x20, 0xFF])).status == "500 5.5.2")
        #expect(machine.errorCount == 3)
    }

    @Test(
        "each message outcome gets its reply and ends the transaction",
        arguments: [
            (SMTPServerFramer.MessageOutcome.tooLarge, "552 5.3.4"),
            (.lineTooLong, "500 5.5.2"),
            (.bareLineEnding, "550 5.6.0"),
        ])
    func messageOutcomes(outcome: SMTPServerFramer.MessageOutcome, expected: String) {
        var machine = Self.inTransaction()
        machine.send("RCPT TO:<bob@example.org>")
        #expect(machine.send("DATA").status == "354")
        let action = machine.receive(.message(outcome))
        #expect(action.status == expected)
        #expect(machine.transaction == nil)
        #expect(machine.send("MAIL FROM:<alice@example.com>").status == "250 2.1.0")
    }

    @Test("a message with bare line endings is refused with a sentence saying why")
    func bareLineEndingSentence() {
        var machine = Self.inTransaction()
        machine.send("RCPT TO:<bob@example.org>")
        machine.send("DATA")
        let text = machine.receive(.message(.bareLineEnding)).replies.first?.lines.joined() ?? ""
        #expect(text.contains("Bare CR or LF line endings are not allowed"))
        #expect(text.contains("Nothing was queued"))
    }

    @Test("the spool's answer is passed on; a 4xx does not count as an error and a 5xx does")
    func spoolOutcomes() {
        var machine = makeMachine()
        let deferred = SMTPReply(451, "4.3.0", "Local error; try again later")
        #expect(machine.spoolFinished(deferred) == .reply(deferred))
        #expect(machine.errorCount == 0)
        let refused = SMTPReply(554, "5.6.0", "Unknown template")
        #expect(machine.spoolFinished(refused) == .reply(refused))
        #expect(machine.errorCount == 1)
    }

    // MARK: Error budget

    @Test("the error that uses up the budget is answered, then 421 4.7.0 closes the session")
    func errorBudget() {
        var machine = makeMachine(maxErrors: 5)
        for _ in 0..<4 {
            let action = machine.send("FOO")
            #expect(action == .reply(SMTPReply(500, "5.5.1", "Command unrecognized")))
        }
        let last = machine.send("FOO")
        guard case .replyAndClose(let replies) = last else {
            Issue.record("the fifth error did not close: \(last)")
            return
        }
        #expect(replies.map(\.status) == ["500 5.5.1", "421 4.7.0"])
        #expect(replies[1].lines[0].hasPrefix("mx.example.com "))
    }

    @Test("every kind of 5xx counts toward the budget; 2xx and 4xx do not")
    func errorBudgetMixed() {
        var machine = Self.inTransaction(makeMachine(mayRelay: false, maxRecipients: 0, maxErrors: 4))
        #expect(machine.send("NOOP").status == "250 2.0.0")
        #expect(machine.receive(.commandTooLong).status == "500 5.5.2")  // 1
        #expect(machine.send("MAIL FROM:<alice@example.com>").status == "503 5.5.1")  // 2
        #expect(machine.send("RCPT TO:<bob@example.org>").status == "554 5.7.1")  // 3
        machine.clientMayRelay = true
        #expect(machine.send("RCPT TO:<bob@example.org>").status == "452 4.5.3")
        #expect(machine.errorCount == 3)
        let last = machine.send("DATA")  // 4: no valid recipients
        #expect(last.closesConnection)
        #expect(last.replies.map(\.status) == ["554 5.5.1", "421 4.7.0"])
    }
}
