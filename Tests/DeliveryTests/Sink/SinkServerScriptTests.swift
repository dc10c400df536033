import PoshtaTestSupport
import SMTPProtocol
import Testing

/// The sink's scripted misbehaviour and protocol details, driven byte by
/// byte with `TestSMTPClient`.
@Suite("SinkServer scripts: failures, pipelining, TLS and AUTH rules, run-time changes")
struct SinkServerScriptTests {
    @Test("pipelined MAIL, RCPT, RCPT, DATA are answered in order; the body is dot-unstuffed")
    func pipelining() async throws {
        let sink = try await SinkServer.start()
        let client = try await TestSMTPClient.afterEHLO(port: sink.port)
        try await client.send("MAIL FROM:<a@shop.test> SIZE=40\r\nRCPT TO:<b@example.net>\r\nRCPT TO:<Postmaster>\r\nDATA\r\n")
        #expect(try await client.reply().codes == "250 2.1.0")
        #expect(try await client.reply().codes == "250 2.1.5")
        #expect(try await client.reply().codes == "250 2.1.5")
        #expect(try await client.reply().code == 354)
        try await client.send("Subject: x\r\n\r\n..dot\r\n...\r\nend\r\n.\r\nNOOP\r\n")
        #expect(try await client.reply().queueID == "SINK1")
        #expect(try await client.reply().codes == "250 2.0.0")
        try await client.expect("QUIT", code: 221)
        #expect(await client.waitForClose())
        let message = try #require(sink.messages.first)
        #expect(message.text == "Subject: x\r\n\r\n.dot\r\n..\r\nend\r\n")
        #expect(message.recipients == ["b@example.net", "Postmaster"])
        #expect(message.mailParameters.size == 40)
        let batches = Dictionary(grouping: sink.commands, by: \.batch).mapValues { $0.map(\.verb) }
        #expect(batches.values.contains(["MAIL", "RCPT", "RCPT", "DATA"]))
        await client.close()
        await sink.stop()
    }

    @Test("a refused greeting closes the connection; the next connection is greeted")
    func refusedAtConnect() async throws {
        let sink = try await SinkServer.start(behavior: SinkBehavior(failures: [.refuseConnections(times: 1)]))
        let first = try await TestSMTPClient.connect(port: sink.port)
        #expect(try await first.reply().codes == "421 4.7.0")
        #expect(await first.waitForClose())
        let second = try await TestSMTPClient.greeted(port: sink.port)
        await second.close()
        await first.close()
        await sink.stop()
    }

    @Test("the behavior's greeting replaces the 220; a 554 is sent and the connection closed")
    func customGreeting() async throws {
        var behavior = SinkBehavior()
        behavior.greeting = SMTPReply(554, "5.7.1", "No SMTP service here")
        let sink = try await SinkServer.start(behavior: behavior)
        let client = try await TestSMTPClient.connect(port: sink.port)
        #expect(try await client.reply().codes == "554 5.7.1")
        #expect(await client.waitForClose())
        await client.close()
        await sink.stop()
    }

    @Test("acceptWithoutReply keeps the message and closes without the 250")
    func acceptWithoutReply() async throws {
        let sink = try await SinkServer.start(behavior: SinkBehavior(failures: [.acceptWithoutReply(times: 1)]))
        let client = try await TestSMTPClient.afterEHLO(port: sink.port)
        try await client.beginData(from: "a@shop.test", to: ["b@example.net"])
        try await client.send("Subject: once\r\n\r\nbody\r\n.\r\n")
        #expect(await client.waitForClose())
        #expect(await client.unexpectedReply(within: .milliseconds(50)) == nil)
        #expect(sink.messages.count == 1)
        // The retry is accepted normally: the message arrives twice.
        let retry = try await TestSMTPClient.greeted(port: sink.port)
        let reply = try await retry.sendMail(from: "a@shop.test", to: ["b@example.net"], message: "Subject: once\r\n\r\nbody\r\n")
        #expect(reply.code == 250)
        #expect(sink.messages.map(\.text) == ["Subject: once\r\n\r\nbody\r\n", "Subject: once\r\n\r\nbody\r\n"])
        await retry.close()
        await client.close()
        await sink.stop()
    }

    @Test("hang at the end of DATA: no reply, no message, the client must time out")
    func hang() async throws {
        let failure = SinkBehavior.ScriptedFailure(at: .dataEnd, .hang)
        let sink = try await SinkServer.start(behavior: SinkBehavior(failures: [failure]))
        let client = try await TestSMTPClient.afterEHLO(port: sink.port)
        try await client.beginData(from: "a@shop.test", to: ["b@example.net"])
        try await client.send("body\r\n.\r\nNOOP\r\n")
        #expect(await client.unexpectedReply(within: .milliseconds(300)) == nil)
        #expect(sink.messages.isEmpty)
        await client.close()
        await sink.stop()
    }

    @Test("times counts transactions: every RCPT of the first transaction fails, the second passes")
    func timesCountsTransactions() async throws {
        let sink = try await SinkServer.start(behavior: SinkBehavior(failures: [.temporary(at: .rcpt, times: 1)]))
        let client = try await TestSMTPClient.afterEHLO(port: sink.port)
        try await client.expect("MAIL FROM:<a@shop.test>", code: 250)
        #expect(try await client.command("RCPT TO:<b@example.net>").codes == "451 4.3.0")
        #expect(try await client.command("RCPT TO:<c@example.net>").codes == "451 4.3.0")
        try await client.expect("RSET", code: 250)
        try await client.beginData(from: "a@shop.test", to: ["b@example.net", "c@example.net"])
        await client.close()
        await sink.stop()
    }

    @Test("scripted replies at MAIL and DATA, and one that closes after replying")
    func mailAndDataFailures() async throws {
        let sink = try await SinkServer.start(
            behavior: SinkBehavior(failures: [
                .init(at: .mail, matching: .sender("full@shop.test"), .reply(SMTPReply(452, "4.3.1", "Out of storage"))),
                .init(at: .data, times: 1, .replyAndDisconnect(SMTPReply(421, "4.4.2", "Bye now"))),
            ]))
        let client = try await TestSMTPClient.afterEHLO(port: sink.port)
        #expect(try await client.command("MAIL FROM:<full@shop.test>").codes == "452 4.3.1")
        try await client.expect("MAIL FROM:<a@shop.test>", code: 250)
        try await client.expect("RCPT TO:<b@example.net>", code: 250)
        #expect(try await client.command("DATA").codes == "421 4.4.2")
        #expect(await client.waitForClose())
        await client.close()
        await sink.stop()
    }

    @Test("setBehavior applies on an open connection and starts the failure counts again")
    func setBehavior() async throws {
        let sink = try await SinkServer.start(behavior: SinkBehavior(failures: [.temporary(at: .rcpt)]))
        let client = try await TestSMTPClient.afterEHLO(port: sink.port)
        try await client.expect("MAIL FROM:<a@shop.test>", code: 250)
        #expect(try await client.command("RCPT TO:<b@example.net>").code == 451)
        try sink.setBehavior(SinkBehavior())
        try await client.expect("RCPT TO:<b@example.net>", code: 250)
        try sink.setBehavior(SinkBehavior(failures: [.temporary(at: .rcpt, times: 1)]))
        #expect(try await client.command("RCPT TO:<c@example.net>").code == 451)
        await client.close()
        await sink.stop()
    }

    @Test("with ehlo off, EHLO gets 502 5.5.1 and HELO works; the message records HELO")
    func heloFallback() async throws {
        var behavior = SinkBehavior()
        behavior.ehlo = false
        let sink = try await SinkServer.start(behavior: behavior)
        let client = try await TestSMTPClient.greeted(port: sink.port)
        #expect(try await client.command("EHLO client.test").codes == "502 5.5.1")
        try await client.expect("HELO client.test", code: 250)
        try await client.beginData(from: "a@shop.test", to: ["b@example.net"])
        try await client.send("body\r\n.\r\n")
        #expect(try await client.reply().code == 250)
        #expect(sink.messages.first?.usedEHLO == false)
        await client.close()
        await sink.stop()
    }

    @Test("extensions turned off are not advertised, and their parameters are refused")
    func extensionsOff() async throws {
        var behavior = SinkBehavior()
        behavior.pipelining = false
        behavior.eightBitMIME = false
        behavior.smtpUTF8 = false
        behavior.size = 1000
        let sink = try await SinkServer.start(behavior: behavior)
        let client = try await TestSMTPClient.greeted(port: sink.port)
        let ehlo = try await client.command("EHLO client.test")
        #expect(ehlo.lines == ["sink.test", "SIZE 1000", "ENHANCEDSTATUSCODES"])
        #expect(try await client.command("MAIL FROM:<a@shop.test> BODY=8BITMIME").codes == "555 5.5.4")
        #expect(try await client.command("MAIL FROM:<a@shop.test> SMTPUTF8").codes == "555 5.5.4")
        #expect(try await client.command("MAIL FROM:<a@shop.test> SIZE=1001").codes == "552 5.3.4")
        #expect(try await client.command("MAIL FROM:<δ@shop.test>").codes == "553 5.6.7")
        await client.close()
        await sink.stop()
    }

    @Test("STARTTLS with AUTH: no AUTH before TLS (538), MAIL needs both (530), then PLAIN and LOGIN")
    func startTLSAndAuth() async throws {
        let directory = try TemporaryDirectory()
        let certificate = try TestCertificate.write(in: directory, hostname: "sink.test")
        var behavior = SinkBehavior(tls: .starttls(certificatePath: certificate.certificate, keyPath: certificate.key))
        behavior.requireTLS = true
        behavior.auth = ("bob", "s3cret")
        let sink = try await SinkServer.start(behavior: behavior)
        let client = try await TestSMTPClient.greeted(port: sink.port)
        let plainEHLO = try await client.command("EHLO client.test")
        #expect(plainEHLO.lines.contains("STARTTLS"))
        #expect(!plainEHLO.lines.contains("AUTH PLAIN LOGIN"))
        #expect(try await client.command("MAIL FROM:<a@shop.test>").codes == "530 5.7.0")
        #expect(try await client.command("AUTH PLAIN").codes == "538 5.7.11")
        try await client.expect("STARTTLS", code: 220)
        #expect(try await client.startTLS() == "tlsv13")
        let tlsEHLO = try await client.expect("EHLO client.test", code: 250)
        #expect(tlsEHLO.lines.contains("AUTH PLAIN LOGIN"))
        #expect(!tlsEHLO.lines.contains("STARTTLS"))
        #expect(try await client.command("MAIL FROM:<a@shop.test>").codes == "530 5.7.0")
        try await client.expect("AUTH PLAIN", code: 334)
        #expect(try await client.command(SASLBase64.encode("\0bob\0wrong")).codes == "535 5.7.8")
        try await client.expect("AUTH LOGIN", code: 334)
        try await client.expect(SASLBase64.encode("bob"), code: 334)
        try await client.expect(SASLBase64.encode("s3cret"), code: 235)
        let reply = try await client.sendMail(from: "a@shop.test", to: ["b@example.net"], message: "body\r\n")
        #expect(reply.code == 250)
        let message = try #require(sink.messages.first)
        #expect(message.authUser == "bob")
        #expect(message.tlsVersion == "TLSv1.3")
        #expect(!sink.commands.contains { $0.line.contains(SASLBase64.encode("s3cret")) })
        await client.close()
        await sink.stop()
    }

    @Test("a delay before each reply makes a short client timeout expire; pipelined commands stay one batch")
    func replyDelay() async throws {
        var behavior = SinkBehavior()
        behavior.replyDelay = .milliseconds(200)
        let sink = try await SinkServer.start(behavior: behavior)
        let client = try await TestSMTPClient.connect(port: sink.port)
        await #expect(throws: TestSMTPClient.Failure.self) { try await client.reply(timeout: .milliseconds(50)) }
        #expect(try await client.reply(timeout: .seconds(10)).code == 220)
        try await client.send("EHLO client.test\r\n")
        #expect(try await client.reply().code == 250)
        try await client.send("MAIL FROM:<a@shop.test>\r\nRCPT TO:<b@example.net>\r\n")
        #expect(try await client.reply().code == 250)
        #expect(try await client.reply().code == 250)
        let batches = sink.commands.map(\.batch)
        #expect(batches[1] == batches[2], "transcript:\n\(sink.transcriptText)")
        #expect(batches[0] != batches[1])
        await client.close()
        await sink.stop()
    }

    @Test("waitForMessages throws a clear error when too few messages arrive")
    func waitTimesOut() async throws {
        let sink = try await SinkServer.start()
        let error = await #expect(throws: SinkServerError.self) {
            try await sink.waitForMessages(1, timeout: .milliseconds(100))
        }
        #expect(error?.description.contains("0 of 1 message(s)") == true)
        await sink.stop()
    }
}
