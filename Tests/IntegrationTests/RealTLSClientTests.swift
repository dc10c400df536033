import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

/// Real mail clients log in over TLS: swaks, Python's smtplib and openssl.
///
/// Their transcripts hold the credentials (swaks prints the base64 of AUTH),
/// so failures print only the server's replies or the lines asserted on.
@Suite("real clients over TLS: swaks, smtplib and openssl s_client log in and send")
struct RealTLSClientTests {
    static let user = "bob@shop.example"
    static let password = "Tr0ub4dor&3-horse"

    /// Listener 0: relay with STARTTLS, nobody trusted, so only AUTH lets a
    /// client relay. Listener 1: submission with implicit TLS.
    static let listeners = """
        [[listener]]
        address = "127.0.0.1:0"
        tls = "starttls"
        trusted_networks = ["127.0.0.9/32"]

        [[listener]]
        address = "127.0.0.1:0"
        mode = "submission"
        tls = "implicit"

        """

    func daemon() async throws -> TestDaemon {
        try await TestDaemon(configuration: Self.listeners, tls: true, users: [(Self.user, Self.password, [])])
    }

    struct SwaksCase: Sendable, CustomTestStringConvertible {
        var mechanism: String
        var implicitTLS: Bool
        var testDescription: String { implicitTLS ? "--tls-on-connect -a \(mechanism)" : "-tls -a \(mechanism)" }
    }

    @Test(
        "swaks logs in over TLS and its message lands in the outbox, received with ESMTPSA over TLSv1.3",
        arguments: [SwaksCase(mechanism: "PLAIN", implicitTLS: false), SwaksCase(mechanism: "LOGIN", implicitTLS: true)])
    func swaks(_ swaksCase: SwaksCase) async throws {
        let swaks = try #require(try? ExternalProcess.locate("swaks"), "swaks is not installed: apt-get install swaks")
        let server = try await daemon()
        let port = server.port(swaksCase.implicitTLS ? 1 : 0)
        let result = try await ExternalProcess.run(
            swaks,
            [
                "--server", "127.0.0.1:\(port)", "--helo", "swaks.test",
                "--from", Self.user, "--to", "customer@example.net",
                swaksCase.implicitTLS ? "--tls-on-connect" : "-tls",
                "-a", swaksCase.mechanism, "-au", Self.user, "-ap", Self.password,
                "--header", "Subject: swaks over TLS", "--body", "sent by swaks",
            ], timeout: .seconds(30))
        let replies = Self.serverReplies(inSwaksTranscript: result.output)
        #expect(result.status == 0, "swaks exited \(result.status); the server said:\n\(replies.joined(separator: "\n"))")
        #expect(result.output.contains("=== TLS started with cipher TLSv1.3"), "swaks did not report TLSv1.3")
        #expect(replies.contains { $0.hasPrefix("<~  235 2.7.0") }, "no 235 in:\n\(replies.joined(separator: "\n"))")
        let id = try #require(RealClientTests.queueID(in: result.output), "no queue id in:\n\(replies.joined(separator: "\n"))")

        let files = try await server.waitForOutbox(count: 1)
        let message = CapturedMessage(try #require(files["\(id).eml"], "outbox: \(files.keys)"))
        let header = String(decoding: message.header, as: UTF8.self)
        #expect(header.hasPrefix("Received: from swaks.test (unknown [127.0.0.1])\r\n"))
        #expect(header.contains(" with ESMTPSA id \(id) (using TLSv1.3"), "header:\n\(header)")
        #expect(header.contains("\r\nSubject: swaks over TLS\r\n"))
        #expect(server.logs.matching("sasl_method=\(swaksCase.mechanism), sasl_username=\(Self.user)").count == 1)
        expectNoCredentials(in: server.logs.all)
        try await server.stop()
    }

    @Test("Python's smtplib.SMTP_SSL logs in and sends over implicit TLS")
    func smtplibImplicitTLS() async throws {
        let python = try #require(try? ExternalProcess.locate("python3"), "python3 is not installed")
        let server = try await daemon()
        let script = """
            import smtplib, ssl, sys
            password = sys.stdin.readline().rstrip("\\n")
            context = ssl._create_unverified_context()
            with smtplib.SMTP_SSL("127.0.0.1", \(server.port(1)), local_hostname="python.test", context=context,
                                  timeout=20) as client:
                print("tls:", client.sock.version())
                client.login("\(Self.user)", password)
                refused = client.sendmail("\(Self.user)", ["customer@example.net"],
                                          b"Subject: smtplib over SMTP_SSL\\r\\n\\r\\nsent by smtplib\\r\\n")
                print("refused:", refused)
            """
        let result = try await ExternalProcess.run(python, ["-c", script], input: Self.password + "\n", timeout: .seconds(30))
        #expect(result.status == 0, "python failed: \(Self.lastLine(of: result.error))")
        #expect(result.output.contains("tls: TLSv1.3\n"), "stdout:\n\(result.output)")
        #expect(result.output.contains("refused: {}\n"), "stdout:\n\(result.output)")

        let files = try await server.waitForOutbox(count: 1)
        let message = CapturedMessage(try #require(files.values.first))
        let header = String(decoding: message.header, as: UTF8.self)
        #expect(header.hasPrefix("Received: from python.test (unknown [127.0.0.1])\r\n"))
        #expect(header.contains(" with ESMTPSA id "), "header:\n\(header)")
        #expect(header.contains("\r\nSubject: smtplib over SMTP_SSL\r\n"))
        #expect(server.logs.matching("sasl_method=PLAIN, sasl_username=\(Self.user)").count == 1)
        expectNoCredentials(in: server.logs.all)
        try await server.stop()
    }

    @Test("Python's smtplib sees no AUTH in clear, then starttls() and login() let it relay")
    func smtplibStartTLS() async throws {
        let python = try #require(try? ExternalProcess.locate("python3"), "python3 is not installed")
        let server = try await daemon()
        let script = """
            import smtplib, ssl, sys
            password = sys.stdin.readline().rstrip("\\n")
            context = ssl._create_unverified_context()
            with smtplib.SMTP("127.0.0.1", \(server.port(0)), local_hostname="python.test", timeout=20) as client:
                client.ehlo()
                print("clear: starttls", client.has_extn("starttls"), "auth", client.has_extn("auth"))
                client.starttls(context=context)
                client.ehlo()
                print("tls:", client.sock.version(), "starttls", client.has_extn("starttls"), "auth", client.has_extn("auth"))
                client.login("\(Self.user)", password)
                refused = client.sendmail("\(Self.user)", ["customer@example.net"],
                                          b"Subject: smtplib after starttls\\r\\n\\r\\nsent by smtplib\\r\\n")
                print("refused:", refused)
            """
        let result = try await ExternalProcess.run(python, ["-c", script], input: Self.password + "\n", timeout: .seconds(30))
        #expect(result.status == 0, "python failed: \(Self.lastLine(of: result.error))")
        #expect(result.output.contains("clear: starttls True auth False\n"), "stdout:\n\(result.output)")
        #expect(result.output.contains("tls: TLSv1.3 starttls False auth True\n"), "stdout:\n\(result.output)")
        #expect(result.output.contains("refused: {}\n"), "stdout:\n\(result.output)")

        let files = try await server.waitForOutbox(count: 1)
        let header = String(decoding: CapturedMessage(try #require(files.values.first)).header, as: UTF8.self)
        #expect(header.contains(" with ESMTPSA id "), "header:\n\(header)")
        #expect(header.contains("(using TLSv1.3"), "header:\n\(header)")
        expectNoCredentials(in: server.logs.all)
        try await server.stop()
    }

    @Test("openssl s_client -starttls smtp shows the certificate for mail.test and TLSv1.3")
    func opensslStartTLS() async throws {
        let openssl = try #require(try? ExternalProcess.locate("openssl"), "openssl is not installed")
        let server = try await daemon()
        let result = try await ExternalProcess.run(
            openssl, ["s_client", "-starttls", "smtp", "-connect", "127.0.0.1:\(server.port(0))", "-brief"],
            input: "QUIT\n", timeout: .seconds(20))
        // -brief writes its summary to standard error.
        let summary = (result.error + result.output).split(separator: "\n").map(String.init)
        let shown = summary.joined(separator: "\n")
        #expect(result.status == 0, "openssl exited \(result.status):\n\(shown)")
        #expect(summary.contains("Protocol version: TLSv1.3"), "openssl said:\n\(shown)")
        let peer = summary.first { $0.hasPrefix("Peer certificate:") }
        #expect(peer?.replacingOccurrences(of: " ", with: "") == "Peercertificate:CN=mail.test", "openssl said:\n\(shown)")
        try await server.stop()
    }

    /// Neither the password nor its base64 (AUTH LOGIN) nor the AUTH PLAIN
    /// response may be logged.
    func expectNoCredentials(in lines: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let secrets = [
            Self.password, SASLBase64.encode(Self.password), SASLBase64.encode("\u{0}\(Self.user)\u{0}\(Self.password)"),
        ]
        // Counted outside #expect, whose failure report would show the lines.
        let leaking = lines.count { line in secrets.contains { line.contains($0) } }
        let noneLeak = leaking == 0
        #expect(noneLeak, "\(leaking) log line(s) hold the password", sourceLocation: sourceLocation)
    }

    /// What the server said in a swaks transcript (`<-`, `<~` and `<**`
    /// lines): safe to print, unlike what swaks sent.
    static func serverReplies(inSwaksTranscript transcript: String) -> [String] {
        transcript.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { $0.hasPrefix("<") }
    }

    static func lastLine(of text: String) -> String {
        text.split(separator: "\n").last.map(String.init) ?? ""
    }
}
