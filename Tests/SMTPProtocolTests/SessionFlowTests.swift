import Testing

@testable import SMTPProtocol

/// The framer and the state machine driven together with a client's bytes,
/// as the session loop drives them: pipelining, limits and smuggling seen
/// as the replies a client would get.
@Suite("Session flow")
struct SessionFlowTests {
    /// Drives a framer and a state machine with a client's bytes, as the
    /// session does; returns every reply in order and the spooled messages.
    static func session(_ input: String, machine: SMTPServerStateMachine = makeMachine()) -> (
        replies: [SMTPReply], spooled: [MailTransaction: [UInt8]]
    ) {
        var machine = machine
        var framer = SMTPServerFramer()
        var replies: [SMTPReply] = []
        var spooled: [MailTransaction: [UInt8]] = [:]
        framer.append(bytes(input))
        while let frame = framer.next() {
            var action = machine.receive(frame)
            if case .spool(let transaction, let content) = action {
                spooled[transaction] = content
                action = machine.spoolFinished(SMTPReply(250, "2.0.0", "Ok: queued"))
            }
            replies += action.replies
            if case .replyAndReadMessage = action {
                framer.beginData(maxMessageSize: machine.configuration.maxMessageSize)
            }
            if action.closesConnection { break }
        }
        return (replies, spooled)
    }

    @Test("a pipelined session is answered in order")
    func pipelinedSession() {
        let (replies, spooled) = Self.session(
            "EHLO client.example.com\r\nMAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.org>\r\n"
                + "RCPT TO:<carol@example.org>\r\nDATA\r\nSubject: hi\r\n\r\n..dot\r\n.\r\nQUIT\r\n")
        #expect(
            replies.map(\.status) == ["250", "250 2.1.0", "250 2.1.5", "250 2.1.5", "354", "250 2.0.0", "221 2.0.0"])
        #expect(spooled.count == 1)
        #expect(spooled.values.first == bytes("Subject: hi\r\n\r\n.dot\r\n"))
    }

    @Test(
        "a smuggled transaction after a fake end of data is never answered or spooled",
        arguments: ServerFramerTests.smugglingCases)
    func smugglingSession(_ fixture: ServerFramerTests.Smuggling) {
        let input =
            "EHLO client.example.com\r\nMAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n"
            + fixture.prefix + fixture.variant + ServerFramerTests.smuggledTransaction + ".\r\nQUIT\r\n"
        let (replies, spooled) = Self.session(input)
        #expect(replies.map(\.status) == ["250", "250 2.1.0", "250 2.1.5", "354", "550 5.6.0", "221 2.0.0"])
        #expect(spooled.isEmpty)
    }

    @Test("an over-long command line in a session is answered 500 5.5.2 and the session goes on")
    func longCommandInSession() {
        let long = "NOOP " + String(repeating: "x", count: 600)
        let (replies, _) = Self.session("EHLO c.example\r\n\(long)\r\nNOOP\r\n")
        #expect(replies.map(\.status) == ["250", "500 5.5.2", "250 2.0.0"])
    }

    @Test("ten bad commands close the session with 421 and nothing after is read")
    func tenErrorsInSession() {
        let input = String(repeating: "BAD\r\n", count: 10) + "EHLO c.example\r\n"
        let (replies, _) = Self.session(input, machine: makeMachine(maxErrors: 10))
        #expect(replies.count == 11)
        #expect(replies.last?.status == "421 4.7.0")
        #expect(replies.dropLast().allSatisfy { $0.status == "500 5.5.1" })
    }

    static let envelope = "EHLO c.example\r\nMAIL FROM:<alice@example.com>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n"

    @Test("a message over the size limit is answered 552 5.3.4 and nothing is spooled")
    func tooLargeInSession() {
        let body = String(repeating: "0123456789abcdef\r\n", count: 100)  // 1,800 octets
        let (replies, spooled) = Self.session(
            Self.envelope + body + ".\r\nQUIT\r\n", machine: makeMachine(maxMessageSize: 1000))
        #expect(replies.map(\.status) == ["250", "250 2.1.0", "250 2.1.5", "354", "552 5.3.4", "221 2.0.0"])
        #expect(spooled.isEmpty)
    }

    @Test("a text line over 998 octets is answered 500 5.5.2 and nothing is spooled")
    func lineTooLongInSession() {
        let line = String(repeating: "x", count: 999)
        let (replies, spooled) = Self.session(Self.envelope + "ok\r\n\(line)\r\n.\r\nQUIT\r\n")
        #expect(replies.map(\.status) == ["250", "250 2.1.0", "250 2.1.5", "354", "500 5.5.2", "221 2.0.0"])
        #expect(spooled.isEmpty)
    }

    @Test("commands pipelined after the message are answered after its 250")
    func commandsAfterMessage() {
        let (replies, spooled) = Self.session(Self.envelope + "hi\r\n.\r\nRSET\r\nNOOP\r\nQUIT\r\n")
        #expect(
            replies.map(\.status) == [
                "250", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0", "250 2.0.0", "250 2.0.0", "221 2.0.0",
            ])
        #expect(spooled.values.first == bytes("hi\r\n"))
    }
}
