import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("delivery through relays: plain, STARTTLS with AUTH, implicit TLS, certificate checks, fallback")
struct RelayDeliveryTests {
    @Test("a relayed message arrives at the relay with its envelope and bytes, and is logged Postfix style")
    func plainRelay() async throws {
        let sink = try await SinkServer.start()
        let daemon = try await DeliveryFixture.daemon("route = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink)) ]")
        let id = try await DeliveryFixture.submit(to: daemon, to: ["anna@example.net", "boris@example.org"])
        let message = try #require(try await sink.waitForMessages(1).first)
        #expect(message.sender == "shop@shop.example")
        #expect(message.recipients == ["anna@example.net", "boris@example.org"])
        #expect(message.text.contains("Subject: Your order\r\n"))
        #expect(message.text.hasSuffix("Thank you for your order.\r\n.dot line\r\n"))
        #expect(message.text.hasPrefix("Received: from client.test"))
        #expect(message.heloName == "mail.test")
        let line = try await daemon.waitForLog("\(id): to=<anna@example.net>", "status=sent")
        #expect(line.contains("relay=127.0.0.1[127.0.0.1]:\(sink.port)"))
        #expect(line.contains("dsn=2.0.0"))
        #expect(line.contains("status=sent (250 2.0.0"))
        #expect(try await daemon.waitForFinalStates(of: id).values.allSatisfy { $0 == "delivered" })
        // Both recipients went in one transaction, with PIPELINING.
        #expect(sink.messages.count == 1)
        let batches = Set(sink.commands.filter { ["MAIL", "RCPT", "DATA"].contains($0.verb) }.map(\.batch))
        #expect(batches.count == 1)
        try await daemon.stop()
        await sink.stop()
    }

    @Test("STARTTLS and AUTH to a relay whose certificate verifies against ca_file")
    func startTLSWithAuth() async throws {
        let folder = try TemporaryDirectory()
        let certificate = try TestCertificate.write(in: folder, hostname: "localhost")
        var behavior = SinkBehavior()
        behavior.tls = .starttls(certificatePath: certificate.certificate, keyPath: certificate.key)
        behavior.requireTLS = true
        behavior.auth = (user: "shop", password: "relay secret")
        let sink = try await SinkServer.start(behavior: behavior)
        let secret = try folder.write("relay secret\n", to: "relay.secret")
        let daemon = try await DeliveryFixture.daemon("""
            route = "relay"
            relays = [ \(DeliveryFixture.relay(sink, host: "localhost", tls: "starttls", extra: "username = \"shop\", password_file = \"\(secret)\"")) ]
            ca_file = "\(certificate.certificate)"
            """)
        let id = try await DeliveryFixture.submit(to: daemon, to: ["anna@example.net"])
        let message = try #require(try await sink.waitForMessages(1).first)
        #expect(message.usedTLS)
        #expect(message.authUser == "shop")
        try await daemon.waitForLog("\(id): to=<anna@example.net>", "relay=localhost[127.0.0.1]:\(sink.port)", "status=sent")
        try await daemon.waitForLog("Verified TLS connection established to localhost[127.0.0.1]:\(sink.port)")
        // AUTH came only after TLS.
        let auth = try #require(sink.commands.first { $0.verb == "AUTH" })
        #expect(auth.inTLS)
        try await daemon.stop()
        await sink.stop()
    }

    @Test("a relay over implicit TLS (port 465 style)")
    func implicitTLS() async throws {
        let folder = try TemporaryDirectory()
        let certificate = try TestCertificate.write(in: folder, hostname: "localhost")
        var behavior = SinkBehavior()
        behavior.tls = .implicit(certificatePath: certificate.certificate, keyPath: certificate.key)
        let sink = try await SinkServer.start(behavior: behavior)
        let daemon = try await DeliveryFixture.daemon("""
            route = "relay"
            relays = [ \(DeliveryFixture.relay(sink, host: "localhost", tls: "implicit")) ]
            ca_file = "\(certificate.certificate)"
            """)
        let id = try await DeliveryFixture.submit(to: daemon, to: ["anna@example.net"])
        let message = try #require(try await sink.waitForMessages(1).first)
        #expect(message.usedTLS)
        try await daemon.waitForLog("\(id): to=<anna@example.net>", "status=sent")
        try await daemon.stop()
        await sink.stop()
    }

    @Test("a relay whose certificate is not trusted gets nothing: deferred, reason logged, never plain text")
    func untrustedCertificate() async throws {
        let folder = try TemporaryDirectory()
        let certificate = try TestCertificate.write(in: folder, hostname: "localhost")
        var behavior = SinkBehavior()
        behavior.tls = .starttls(certificatePath: certificate.certificate, keyPath: certificate.key)
        let sink = try await SinkServer.start(behavior: behavior)
        let daemon = try await DeliveryFixture.daemon(
            "route = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink, host: "localhost", tls: "starttls")) ]")
        let id = try await DeliveryFixture.submit(to: daemon, to: ["anna@example.net"])
        let line = try await daemon.waitForLog("\(id): to=<anna@example.net>", "status=deferred")
        #expect(line.contains("certificate"))
        #expect(line.contains("dsn=4.7.5"))
        #expect(sink.messages.isEmpty)
        #expect(!sink.commands.contains { $0.verb == "MAIL" })
        try await daemon.stop()
        await sink.stop()
    }

    @Test("a relay that offers no STARTTLS is a temporary failure, never a silent downgrade")
    func startTLSNotOffered() async throws {
        let sink = try await SinkServer.start()
        let daemon = try await DeliveryFixture.daemon(
            "route = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink, tls: "starttls")) ]")
        let id = try await DeliveryFixture.submit(to: daemon, to: ["anna@example.net"])
        let line = try await daemon.waitForLog("\(id): to=<anna@example.net>", "status=deferred")
        #expect(line.contains("TLS is required, but was not offered by host 127.0.0.1[127.0.0.1]:\(sink.port)"))
        #expect(sink.messages.isEmpty)
        try await daemon.stop()
        await sink.stop()
    }

    @Test("primary relay down: the fallback relay (TLS) takes the message")
    func fallbackRelay() async throws {
        let folder = try TemporaryDirectory()
        let certificate = try TestCertificate.write(in: folder, hostname: "localhost")
        var behavior = SinkBehavior()
        behavior.tls = .starttls(certificatePath: certificate.certificate, keyPath: certificate.key)
        let fallback = try await SinkServer.start(behavior: behavior)
        let placeholder = try await LoopbackSocket(host: "127.0.0.1")
        let closedPort = placeholder.port
        await placeholder.close()
        let daemon = try await DeliveryFixture.daemon("""
            route = "relay"
            relays = [ { host = "127.0.0.1", port = \(closedPort), tls = "none" } ]
            fallback_relays = [ \(DeliveryFixture.relay(fallback, host: "localhost", tls: "starttls")) ]
            ca_file = "\(certificate.certificate)"
            """)
        let id = try await DeliveryFixture.submit(to: daemon, to: ["anna@example.net"])
        let message = try #require(try await fallback.waitForMessages(1).first)
        #expect(message.usedTLS)
        try await daemon.waitForLog("\(id): to=<anna@example.net>", "relay=localhost[127.0.0.1]:\(fallback.port)", "status=sent")
        try await daemon.stop()
        await fallback.stop()
    }

    @Test("452 too many recipients: the rest go in further transactions on the same connection")
    func tooManyRecipients() async throws {
        var behavior = SinkBehavior()
        behavior.maxRecipients = 2
        let sink = try await SinkServer.start(behavior: behavior)
        let daemon = try await DeliveryFixture.daemon("route = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink)) ]")
        let recipients = (1...5).map { "r\($0)@example.net" }
        let id = try await DeliveryFixture.submit(to: daemon, to: recipients)
        let messages = try await sink.waitForMessages(3)
        #expect(messages.map(\.recipients) == [["r1@example.net", "r2@example.net"], ["r3@example.net", "r4@example.net"], ["r5@example.net"]])
        #expect(sink.connectionsOpened == 1)
        #expect(try await daemon.waitForFinalStates(of: id).values.allSatisfy { $0 == "delivered" })
        #expect(daemon.logs.matching("status=deferred").isEmpty)
        try await daemon.stop()
        await sink.stop()
    }
}
