import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Spool
import Testing

@Suite("retries, bounces and expiry")
struct RetryAndBounceTests {
    @Test("451 at the end of DATA, then 250: deferred once, delivered on the retry")
    func temporaryThenSuccess() async throws {
        var behavior = SinkBehavior()
        behavior.failures = [.temporary(at: .dataEnd, times: 1)]
        let sink = try await SinkServer.start(behavior: behavior)
        let daemon = try await DeliveryFixture.daemon("route = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink)) ]")
        let id = try await DeliveryFixture.submit(to: daemon, to: ["anna@example.net"])
        let deferred = try await daemon.waitForLog("\(id): to=<anna@example.net>", "status=deferred")
        #expect(deferred.contains("dsn=4.3.0"))
        #expect(deferred.contains("said: 451 4.3.0 Temporary failure, try again later (in reply to end of DATA command)"))
        _ = try await sink.waitForMessages(1, timeout: .seconds(10))
        try await daemon.waitForLog("\(id): to=<anna@example.net>", "status=sent")
        #expect(try await daemon.waitForFinalStates(of: id) == ["anna@example.net": "delivered"])
        // Both attempts are on the spool, with where they went and what came back.
        let attempts = try await daemon.spool.attempts(of: try #require(QueueID(id)), position: 0)
        #expect(attempts.map(\.state) == [.deferred, .delivered])
        #expect(attempts.allSatisfy { $0.relay == "127.0.0.1[127.0.0.1]:\(sink.port)" })
        #expect(attempts[0].status == "4.3.0")
        #expect(attempts[0].reply.contains("451 4.3.0 Temporary failure"))
        #expect(attempts[1].reply.hasPrefix("250 2.0.0"))
        #expect(attempts[0].time <= attempts[1].time)
        try await daemon.stop()
        await sink.stop()
    }

    @Test("550 for one recipient: the other is delivered, the sender gets one RFC 3464 report")
    func permanentFailureBounces() async throws {
        var behavior = SinkBehavior()
        behavior.failures = [.unknownRecipient(localPart: "nobody")]
        let sink = try await SinkServer.start(behavior: behavior)
        let daemon = try await DeliveryFixture.daemon("route = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink)) ]")
        let id = try await DeliveryFixture.submit(
            to: daemon, from: "shop@shop.example", to: ["anna@example.net", "nobody@example.net"])
        let messages = try await sink.waitForMessages(2)
        let original = try #require(messages.first { $0.sender == "shop@shop.example" })
        #expect(original.recipients == ["anna@example.net"])
        let report = try #require(messages.first { $0.sender == "" })
        #expect(report.recipients == ["shop@shop.example"])
        let parsed = try DSNReading(report.data)
        #expect(parsed.contentType.hasPrefix("multipart/report"))
        #expect(parsed.contentType.contains("report-type=delivery-status"))
        #expect(parsed.header("Auto-Submitted") == "auto-replied")
        #expect(parsed.parts.count == 3)
        let status = try #require(parsed.parts.first { $0.contentType.hasPrefix("message/delivery-status") })
        #expect(status.body.contains("Final-Recipient: rfc822; nobody@example.net"))
        #expect(status.body.contains("Action: failed"))
        #expect(status.body.contains("Status: 5.1.1"))
        #expect(status.body.contains("Remote-MTA: dns; 127.0.0.1"))
        #expect(status.body.contains("Diagnostic-Code: smtp; 550 5.1.1"))
        #expect(!status.body.contains("anna@example.net"))
        let headers = try #require(parsed.parts.first { $0.contentType.hasPrefix("text/rfc822-headers") })
        #expect(headers.body.contains("Subject: Your order"))
        let bounced = try await daemon.waitForLog("\(id): to=<nobody@example.net>", "status=bounced")
        #expect(bounced.contains("dsn=5.1.1"))
        #expect(bounced.contains("(in reply to RCPT TO command)"))
        try await daemon.waitForLog("\(id): sender non-delivery notification:")
        #expect(try await daemon.waitForFinalStates(of: id) == ["anna@example.net": "delivered", "nobody@example.net": "bounced"])
        try await daemon.stop()
        await sink.stop()
    }

    @Test("a message from the null sender that fails is never bounced")
    func noBounceOfBounce() async throws {
        var behavior = SinkBehavior()
        behavior.failures = [.unknownRecipient(localPart: "nobody")]
        let sink = try await SinkServer.start(behavior: behavior)
        let daemon = try await DeliveryFixture.daemon("route = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink)) ]")
        let id = try await DeliveryFixture.submit(to: daemon, from: "", to: ["nobody@example.net"])
        try await daemon.waitForLog("\(id): to=<nobody@example.net>", "status=bounced")
        try await daemon.waitForLog("\(id): undeliverable bounce (null sender) discarded")
        try await Task.sleep(for: .milliseconds(500))
        #expect(sink.messages.isEmpty)
        #expect(daemon.logs.matching("sender non-delivery notification").isEmpty)
        try await daemon.stop()
        await sink.stop()
    }

    @Test("a recipient that keeps failing temporarily expires after max_lifetime and is reported to the sender")
    func lifetimeExpiry() async throws {
        var behavior = SinkBehavior()
        behavior.failures = [.temporary(at: .rcpt, matching: .recipientLocalPart("stuck"))]
        let sink = try await SinkServer.start(behavior: behavior)
        let daemon = try await DeliveryFixture.daemon(
            "route = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink)) ]\nmax_lifetime = 3")
        let id = try await DeliveryFixture.submit(to: daemon, to: ["stuck@example.net"])
        let expired = try await daemon.waitForLog("\(id): to=<stuck@example.net>", "status=expired, returned to sender")
        #expect(expired.contains("451 4.3.0"))
        let report = try #require(try await sink.waitForMessages(1).first)
        #expect(report.sender == "")
        let status = try #require(try DSNReading(report.data).parts.first { $0.contentType.hasPrefix("message/delivery-status") })
        #expect(status.body.contains("Final-Recipient: rfc822; stuck@example.net"))
        #expect(status.body.contains("Status: 4.4.7"))
        #expect(try await daemon.waitForFinalStates(of: id) == ["stuck@example.net": "expired"])
        try await daemon.stop()
        await sink.stop()
    }
}

extension RetryAndBounceTests {
    @Test("delay_warning: the sender is told once that a recipient is still being retried, then it is delivered")
    func delayWarning() async throws {
        var behavior = SinkBehavior()
        behavior.failures = [.temporary(at: .rcpt, matching: .recipientLocalPart("slow"), times: 3)]
        let sink = try await SinkServer.start(behavior: behavior)
        let daemon = try await DeliveryFixture.daemon(
            "route = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink)) ]\ndelay_warning = 1\nmin_backoff = 1\nmax_backoff = 1",
            quick: false)
        let id = try await DeliveryFixture.submit(to: daemon, to: ["slow@example.net"])
        try await daemon.waitForLog("\(id): sender delay notification:")
        try await daemon.waitForLog("\(id): to=<slow@example.net>", "status=sent", timeout: .seconds(20))
        let messages = try await sink.waitForMessages(2)
        let warnings = messages.filter { $0.sender == "" }
        #expect(warnings.count == 1, "one warning, not one per attempt")
        let warning = try #require(warnings.first)
        #expect(warning.recipients == ["shop@shop.example"])
        let parsed = try DSNReading(warning.data)
        #expect(parsed.header("Subject") == "Delayed Mail (still being retried)")
        let status = try #require(parsed.parts.first { $0.contentType.hasPrefix("message/delivery-status") })
        #expect(status.body.contains("Action: delayed"))
        #expect(status.body.contains("Will-Retry-Until:"))
        #expect(try await daemon.waitForFinalStates(of: id) == ["slow@example.net": "delivered"])
        try await daemon.stop()
        await sink.stop()
    }
}

/// Just enough of a MIME reader to check a report as a mail client would:
/// the top-level headers, the boundary, the parts with their content types.
struct DSNReading {
    struct Part {
        var contentType: String
        var body: String
    }

    var headers: [(String, String)]
    var parts: [Part]

    init(_ data: [UInt8]) throws {
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw SinkServerError(description: "no header/body separator") }
        headers = Self.fields(String(text[..<split.lowerBound]))
        let body = String(text[split.upperBound...])
        let contentType = headers.first { $0.0.lowercased() == "content-type" }?.1 ?? ""
        guard let boundaryStart = contentType.range(of: "boundary=\"") else {
            throw SinkServerError(description: "no boundary in \(contentType)")
        }
        let boundary = String(contentType[boundaryStart.upperBound...].prefix { $0 != "\"" })
        var parts: [Part] = []
        let pieces = body.components(separatedBy: "--\(boundary)")
        for piece in pieces.dropFirst() where !piece.hasPrefix("--") {
            let trimmed = piece.hasPrefix("\r\n") ? String(piece.dropFirst(2)) : piece
            guard let end = trimmed.range(of: "\r\n\r\n") else { continue }
            let fields = Self.fields(String(trimmed[..<end.lowerBound]))
            let type = fields.first { $0.0.lowercased() == "content-type" }?.1 ?? "text/plain"
            parts.append(Part(contentType: type, body: String(trimmed[end.upperBound...])))
        }
        self.parts = parts
    }

    var contentType: String { header("Content-Type") ?? "" }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// Unfolds and splits `Name: value` lines.
    private static func fields(_ block: String) -> [(String, String)] {
        var fields: [(String, String)] = []
        for line in block.components(separatedBy: "\r\n") {
            if line.first == " " || line.first == "\t", !fields.isEmpty {
                fields[fields.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return fields
    }
}
