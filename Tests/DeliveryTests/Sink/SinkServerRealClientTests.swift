import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

/// The sink speaks SMTP well enough for real clients: swaks and Python's smtplib.
@Suite("SinkServer with real clients: swaks and Python's smtplib deliver to it")
struct SinkServerRealClientTests {
    static let body = "Hello sink.\r\n.leading dot\r\n..two dots\r\n\r\nГрüße — 日本\r\nlast line\r\n"

    static func swaks(_ arguments: [String]) async throws -> ExternalProcess.Result {
        let swaks = try #require(try? ExternalProcess.locate("swaks"), "swaks is not installed: apt-get install swaks")
        return try await ExternalProcess.run(swaks, arguments, timeout: .seconds(30))
    }

    static func python(_ script: String, input: String? = nil) async throws -> ExternalProcess.Result {
        let python = try #require(try? ExternalProcess.locate("python3"), "python3 is not installed")
        return try await ExternalProcess.run(python, ["-c", script], input: input, timeout: .seconds(60))
    }

    @Test("swaks with --pipeline delivers; the sink records envelope, HELO name and the dot-unstuffed body")
    func swaksPlain() async throws {
        let sink = try await SinkServer.start()
        let directory = try TemporaryDirectory()
        let bodyFile = try directory.write(Self.body, to: "body.txt")
        let result = try await Self.swaks([
            "--server", "127.0.0.1:\(sink.port)", "--helo", "swaks.test", "--pipeline",
            "--from", "shop@shop.example", "--to", "customer@example.net,second@example.org",
            "--header", "Subject: hello", "--body", "@" + bodyFile,
        ])
        #expect(result.status == 0, "swaks failed:\n\(result.output)\n\(result.error)")
        let message = try #require(try await sink.waitForMessages(1, timeout: .seconds(10)).first)
        #expect(message.sender == "shop@shop.example")
        #expect(message.recipients == ["customer@example.net", "second@example.org"])
        #expect(message.heloName == "swaks.test")
        #expect(message.usedEHLO)
        #expect(!message.usedTLS)
        #expect(message.authUser == nil)
        #expect(message.connection == 1)
        #expect(message.text.contains("\r\nSubject: hello\r\n"))
        // swaks ends the body with empty lines of its own.
        #expect(message.text.contains("\r\n\r\n" + Self.body), "data:\n\(message.text)")
        #expect(message.text.hasSuffix("\r\n"))
        #expect(result.output.contains("queued as \(message.queueID)"))

        // MAIL, both RCPTs and DATA were read before the sink answered any of them.
        let commands = sink.commands
        let mail = try #require(commands.first { $0.verb == "MAIL" })
        let group = commands.filter { $0.batch == mail.batch }.map(\.verb)
        #expect(group == ["MAIL", "RCPT", "RCPT", "DATA"], "transcript:\n\(sink.transcriptText)")
        await sink.stop()
    }

    @Test("swaks logs in with AUTH PLAIN after STARTTLS (TLS 1.3); a wrong password gets 535 5.7.8")
    func swaksStartTLSAndAuth() async throws {
        let directory = try TemporaryDirectory()
        let certificate = try TestCertificate.write(in: directory, hostname: "sink.test")
        var behavior = SinkBehavior(tls: .starttls(certificatePath: certificate.certificate, keyPath: certificate.key))
        behavior.requireTLS = true
        behavior.auth = ("bob", "s3cret")
        let sink = try await SinkServer.start(behavior: behavior)
        let result = try await Self.swaks([
            "--server", "127.0.0.1:\(sink.port)", "--helo", "swaks.test", "--tls",
            "--auth", "PLAIN", "--auth-user", "bob", "--auth-password", "s3cret",
            "--from", "shop@shop.example", "--to", "customer@example.net",
        ])
        #expect(result.status == 0, "swaks failed:\n\(result.output)\n\(result.error)")
        #expect(result.output.contains("TLS started with cipher TLSv1.3"))
        let message = try #require(try await sink.waitForMessages(1, timeout: .seconds(10)).first)
        #expect(message.tlsVersion == "TLSv1.3")
        #expect(message.authUser == "bob")
        let verbs = sink.commands.map(\.verb)
        let startTLS = try #require(verbs.firstIndex(of: "STARTTLS"))
        let auth = try #require(verbs.firstIndex(of: "AUTH"))
        #expect(startTLS < auth)
        #expect(sink.commands[auth].inTLS)
        #expect(sink.commands[auth].line == "AUTH PLAIN <redacted>")
        // The EHLO reply offered AUTH only inside TLS.
        let ehloReplies = sink.transcript.filter { $0.direction == .sent && $0.text.hasPrefix("250-AUTH") }
        #expect(ehloReplies.count == 1)

        let wrongPassword = try await Self.swaks([
            "--server", "127.0.0.1:\(sink.port)", "--tls", "--auth", "LOGIN", "--auth-user", "bob",
            "--auth-password", "wrong", "--from", "shop@shop.example", "--to", "customer@example.net",
        ])
        #expect(wrongPassword.status != 0)
        #expect(wrongPassword.output.contains("535 5.7.8"))
        #expect(sink.messages.count == 1)
        await sink.stop()
    }

    @Test("swaks --tls-on-connect delivers over implicit TLS")
    func swaksImplicitTLS() async throws {
        let directory = try TemporaryDirectory()
        let certificate = try TestCertificate.write(in: directory, hostname: "sink.test")
        let sink = try await SinkServer.start(
            behavior: SinkBehavior(tls: .implicit(certificatePath: certificate.certificate, keyPath: certificate.key)))
        let result = try await Self.swaks([
            "--server", "127.0.0.1:\(sink.port)", "--tls-on-connect",
            "--from", "shop@shop.example", "--to", "customer@example.net",
        ])
        #expect(result.status == 0, "swaks failed:\n\(result.output)\n\(result.error)")
        let message = try #require(try await sink.waitForMessages(1, timeout: .seconds(10)).first)
        #expect(message.usedTLS)
        #expect(!sink.commands.contains { $0.verb == "STARTTLS" })
        await sink.stop()
    }

    @Test("a scripted 451 at the end of DATA fails the first attempt; the second is accepted")
    func temporaryFailureThenSuccess() async throws {
        let sink = try await SinkServer.start(behavior: SinkBehavior(failures: [.temporary(at: .dataEnd, times: 1)]))
        let arguments = [
            "--server", "127.0.0.1:\(sink.port)", "--from", "shop@shop.example", "--to", "customer@example.net",
        ]
        let first = try await Self.swaks(arguments)
        #expect(first.status != 0)
        #expect(first.output.contains("451 4.3.0"), "swaks:\n\(first.output)")
        #expect(sink.messages.isEmpty)
        let second = try await Self.swaks(arguments)
        #expect(second.status == 0, "swaks:\n\(second.output)")
        let messages = try await sink.waitForMessages(1, timeout: .seconds(10))
        #expect(messages.count == 1)
        #expect(messages.first?.connection == 2)
        await sink.stop()
    }

    @Test("smtplib gets 550 5.1.1 for one recipient; the message goes to the other")
    func oneRecipientRefused() async throws {
        let sink = try await SinkServer.start(behavior: SinkBehavior(failures: [.unknownRecipient(localPart: "nobody")]))
        let result = try await Self.python(
            """
            import smtplib, sys
            body = sys.stdin.buffer.read()
            with smtplib.SMTP("127.0.0.1", \(sink.port), local_hostname="python.test", timeout=20) as client:
                refused = client.sendmail("shop@shop.example", ["nobody@example.net", "customer@example.net"],
                                          b"Subject: hi\\r\\n\\r\\n" + body, mail_options=["BODY=8BITMIME", "SMTPUTF8"])
                print("refused:", sorted((k, v[0], v[1].decode()) for k, v in refused.items()))
            """, input: Self.body)
        #expect(result.status == 0, "python failed:\n\(result.output)\n\(result.error)")
        #expect(result.output.contains("refused: [('nobody@example.net', 550, '5.1.1 Recipient address rejected: User unknown')]"))
        let message = try #require(try await sink.waitForMessages(1, timeout: .seconds(10)).first)
        #expect(message.recipients == ["customer@example.net"])
        #expect(message.heloName == "python.test")
        #expect(message.mailParameters.body == .eightBitMIME)
        #expect(message.mailParameters.smtpUTF8)
        #expect(message.mailParameters.size != nil)
        #expect(message.data == Array(("Subject: hi\r\n\r\n" + Self.body).utf8))
        await sink.stop()
    }

    @Test("smtplib over SMTP_SSL logs in with AUTH LOGIN and with AUTH PLAIN after an empty challenge")
    func smtplibImplicitTLSAndAuth() async throws {
        let directory = try TemporaryDirectory()
        let certificate = try TestCertificate.write(in: directory, hostname: "sink.test")
        var behavior = SinkBehavior(tls: .implicit(certificatePath: certificate.certificate, keyPath: certificate.key))
        behavior.auth = ("bob", "s3cret")
        let sink = try await SinkServer.start(behavior: behavior)
        let result = try await Self.python(
            """
            import smtplib, ssl
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            for mechanism in ["LOGIN", "PLAIN"]:
                with smtplib.SMTP_SSL("127.0.0.1", \(sink.port), context=context, timeout=20) as client:
                    client.ehlo("python.test")
                    client.user, client.password = "bob", "s3cret"
                    method = client.auth_login if mechanism == "LOGIN" else client.auth_plain
                    code, _ = client.auth(mechanism, method, initial_response_ok=False)
                    print(mechanism, code, client.sock.version())
                    client.sendmail("shop@shop.example", ["customer@example.net"], b"Subject: " + mechanism.encode() + b"\\r\\n\\r\\nbody\\r\\n")
            """)
        #expect(result.status == 0, "python failed:\n\(result.output)\n\(result.error)")
        #expect(result.output.contains("LOGIN 235 TLSv1.3"))
        #expect(result.output.contains("PLAIN 235 TLSv1.3"))
        let messages = try await sink.waitForMessages(2, timeout: .seconds(10))
        #expect(messages.map(\.authUser) == ["bob", "bob"])
        #expect(messages.map(\.tlsVersion) == ["TLSv1.3", "TLSv1.3"])
        #expect(sink.commands.filter { $0.verb == "AUTH" }.map(\.line) == ["AUTH LOGIN", "AUTH PLAIN"])
        await sink.stop()
    }

    @Test("parallel smtplib connections are counted: opened and open at the same time")
    func parallelConnections() async throws {
        let sink = try await SinkServer.start()
        let count = 5
        let result = try await Self.python(
            """
            import smtplib, threading, sys
            barrier = threading.Barrier(\(count))
            errors = []
            def send(i):
                try:
                    with smtplib.SMTP("127.0.0.1", \(sink.port), local_hostname="c%d.test" % i, timeout=20) as client:
                        client.ehlo()
                        barrier.wait(timeout=20)   # all connections are open now
                        client.sendmail("shop@shop.example", ["r%d@example.net" % i], b"Subject: x\\r\\n\\r\\nbody\\r\\n")
                        barrier.wait(timeout=20)
                except Exception as error:
                    errors.append(repr(error))
            threads = [threading.Thread(target=send, args=(i,)) for i in range(\(count))]
            for thread in threads: thread.start()
            for thread in threads: thread.join(30)
            print("errors:", errors)
            sys.exit(1 if errors else 0)
            """)
        #expect(result.status == 0, "python failed:\n\(result.output)\n\(result.error)")
        let messages = try await sink.waitForMessages(count, timeout: .seconds(10))
        #expect(Set(messages.map(\.connection)) == Set(1...count))
        #expect(Set(messages.flatMap(\.recipients)) == Set((0..<count).map { "r\($0)@example.net" }))
        #expect(sink.connectionsOpened == count)
        #expect(sink.maxSimultaneousConnections == count)
        await sink.stop()
    }
}
