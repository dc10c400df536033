import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

/// `route = "mx"` against a real DNS server (dnsmasq on a loopback port)
/// whose MX and A records point at sinks on 127.0.0.x.
@Suite("delivery to MX hosts found in DNS (dnsmasq)")
struct MXDeliveryTests {
    /// A daemon that looks up MX records at `dns` and connects to `port`.
    static func daemon(dns: Dnsmasq, port: Int, extra: String = "") async throws -> TestDaemon {
        try await DeliveryFixture.daemon("""
            route = "mx"
            nameserver = "\(dns.nameserver)"
            mx_port = \(port)
            \(extra)
            """)
    }

    @Test("the MX with the lowest preference gets the mail; opportunistic STARTTLS with an unverified certificate")
    func preferenceOrder() async throws {
        let folder = try TemporaryDirectory()
        let certificate = try TestCertificate.write(in: folder, hostname: "mx1.test")
        var behavior = SinkBehavior()
        behavior.tls = .starttls(certificatePath: certificate.certificate, keyPath: certificate.key)
        let sinks = try await SinkServer.start(onSamePortAt: ["127.0.0.2", "127.0.0.3"], behavior: behavior)
        let dns = try await Dnsmasq(records: [
            .mx("shop.test", host: "mx2.test", preference: 20),
            .mx("shop.test", host: "mx1.test", preference: 10),
            .host("mx1.test", addresses: ["127.0.0.2"]),
            .host("mx2.test", addresses: ["127.0.0.3"]),
        ])
        let daemon = try await Self.daemon(dns: dns, port: sinks[0].port)
        let id = try await DeliveryFixture.submit(to: daemon, to: ["anna@shop.test"])
        let message = try #require(try await sinks[0].waitForMessages(1).first)
        #expect(message.recipients == ["anna@shop.test"])
        #expect(message.usedTLS)
        #expect(sinks[1].messages.isEmpty)
        try await daemon.waitForLog("\(id): to=<anna@shop.test>", "relay=mx1.test[127.0.0.2]:\(sinks[0].port)", "status=sent")
        try await daemon.stop()
        await dns.stop()
        for sink in sinks { await sink.stop() }
    }

    @Test("the first MX does not answer: the next one takes the mail")
    func nextMX() async throws {
        // Nothing listens on 127.0.0.2 at the sink's port: connection refused there.
        let sink = try await SinkServer.start(host: "127.0.0.3")
        let dns = try await Dnsmasq(records: [
            .mx("shop.test", host: "mx1.test", preference: 10),
            .mx("shop.test", host: "mx2.test", preference: 20),
            .host("mx1.test", addresses: ["127.0.0.2"]),
            .host("mx2.test", addresses: ["127.0.0.3"]),
        ])
        let daemon = try await Self.daemon(dns: dns, port: sink.port)
        let id = try await DeliveryFixture.submit(to: daemon, to: ["anna@shop.test"])
        _ = try await sink.waitForMessages(1)
        try await daemon.waitForLog("\(id): to=<anna@shop.test>", "relay=mx2.test[127.0.0.3]:\(sink.port)", "status=sent")
        try await daemon.stop()
        await dns.stop()
        await sink.stop()
    }

    @Test("a domain without MX records gets its mail at its own address (implicit MX)")
    func implicitMX() async throws {
        let sink = try await SinkServer.start(host: "127.0.0.2")
        let dns = try await Dnsmasq(records: [.host("plain.test", addresses: ["127.0.0.2"])])
        let daemon = try await Self.daemon(dns: dns, port: sink.port)
        let id = try await DeliveryFixture.submit(to: daemon, to: ["anna@plain.test"])
        _ = try await sink.waitForMessages(1)
        try await daemon.waitForLog("\(id): to=<anna@plain.test>", "relay=plain.test[127.0.0.2]:\(sink.port)", "status=sent")
        try await daemon.stop()
        await dns.stop()
        await sink.stop()
    }

    @Test("null MX and a domain that does not exist bounce at once; the sender gets the reports")
    func nullMXAndNXDOMAIN() async throws {
        let sink = try await SinkServer.start(host: "127.0.0.2")
        let dns = try await Dnsmasq(records: [
            .mx("shop.test", host: "mx.shop.test", preference: 10),
            .host("mx.shop.test", addresses: ["127.0.0.2"]),
            .raw("nomail.test", type: 15, hex: "000000"),
        ])
        let daemon = try await Self.daemon(dns: dns, port: sink.port)
        let nullMX = try await DeliveryFixture.submit(to: daemon, from: "orders@shop.test", to: ["anna@nomail.test"])
        let missing = try await DeliveryFixture.submit(to: daemon, from: "orders@shop.test", to: ["boris@missing.test"])
        let line = try await daemon.waitForLog("\(nullMX): to=<anna@nomail.test>", "status=bounced")
        #expect(line.contains("dsn=5.1.10"))
        #expect(line.contains("does not accept mail (null MX"))
        let nx = try await daemon.waitForLog("\(missing): to=<boris@missing.test>", "status=bounced")
        #expect(nx.contains("dsn=5.1.2"))
        let reports = try await sink.waitForMessages(2)
        #expect(reports.allSatisfy { $0.sender == "" && $0.recipients == ["orders@shop.test"] })
        let statuses = try reports.map { report in
            try #require(try DSNReading(report.data).parts.first { $0.contentType.hasPrefix("message/delivery-status") }).body
        }
        #expect(statuses.contains { $0.contains("Status: 5.1.10") && $0.contains("anna@nomail.test") })
        #expect(statuses.contains { $0.contains("Status: 5.1.2") && $0.contains("boris@missing.test") })
        try await daemon.stop()
        await dns.stop()
        await sink.stop()
    }

    @Test("a DNS failure (SERVFAIL) defers, it never bounces")
    func dnsFailureDefers() async throws {
        let placeholder = try await LoopbackSocket(host: "127.0.0.1")
        let deadPort = placeholder.port
        await placeholder.close()
        let dns = try await Dnsmasq(records: [.forward(domain: "broken.test", server: "127.0.0.1#\(deadPort)")])
        let daemon = try await Self.daemon(dns: dns, port: 2525)
        let id = try await DeliveryFixture.submit(to: daemon, to: ["anna@broken.test"])
        let line = try await daemon.waitForLog("\(id): to=<anna@broken.test>", "status=deferred")
        #expect(line.contains("dsn=4.4.3"))
        #expect(daemon.logs.matching("status=bounced").isEmpty)
        #expect(try await daemon.recipientStates(of: id)["anna@broken.test"] != "bounced")
        try await daemon.stop()
        await dns.stop()
    }
}
