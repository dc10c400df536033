import Foundation
import PoshtaTestSupport
import Testing

/// Poshta → (STARTTLS) → a real Postfix → a capture sink: proof that the relay
/// client interoperates with a real MTA, not only with our own sink.
///
/// Needs root and Debian's postfix package (CI has both); without them the
/// test fails, saying what is missing.
@Suite("a real Postfix as the upstream relay")
struct PostfixUpstreamTests {
    /// One submitted message and what must come out at the far end.
    struct Submission {
        var subject: String
        var recipients: [String]
        var body: String
    }

    static let submissions = [
        Submission(
            subject: "Order 1001: several recipients",
            recipients: ["anna@example.net", "boris@example.org", "chen@example.com"],
            body: "Thank you for your order.\r\n.dot line\r\n"),
        Submission(subject: "Order 1002: a long body with dot lines", recipients: ["dana@example.net"], body: longBody),
        Submission(subject: "Order 1003: one more", recipients: ["emil@example.org"], body: "Shipped today.\r\n"),
    ]

    /// About 300 kB: many TLS records, lines of one to three leading dots,
    /// a line that is one dot, a line like the end of DATA with spaces.
    static let longBody: String = {
        var lines: [String] = []
        for number in 1...3_000 {
            switch number % 7 {
            case 0: lines.append(".line \(number) starts with a dot")
            case 3: lines.append("..line \(number) starts with two dots")
            case 5: lines.append(".")
            default: lines.append("line \(number) " + String(repeating: "abcdefghij", count: 9))
            }
        }
        lines.append("...")
        lines.append(" . ")
        return lines.joined(separator: "\r\n") + "\r\n"
    }()

    @Test("messages relayed by Poshta over verified STARTTLS go through Postfix to the sink intact")
    func relayThroughPostfix() async throws {
        let sink = try await SinkServer.start()
        let postfix = try await PostfixUpstream.start(relayingTo: sink, tls: .encrypt)
        let daemon = try await DeliveryFixture.daemon("""
            route = "relay"
            relays = [ { host = "\(postfix.tlsHostname)", port = \(postfix.port), tls = "starttls" } ]
            ca_file = "\(postfix.certificateFile)"
            """)
        var ids: [String] = []
        for submission in Self.submissions {
            ids.append(
                try await DeliveryFixture.submit(
                    to: daemon, to: submission.recipients, subject: submission.subject, body: submission.body))
        }
        let relay = "relay=localhost[127.0.0.1]:\(postfix.port)"
        for (id, submission) in zip(ids, Self.submissions) {
            for recipient in submission.recipients {
                // Poshta: sent to Postfix, which queued it …
                let sent = try await daemon.waitForLog(
                    "\(id): to=<\(recipient)>", relay, "status=sent (250 2.0.0 Ok: queued as ")
                let postfixID = try #require(Self.queueID(after: "queued as ", in: sent))
                // … Postfix: received from Poshta, handed on to the sink.
                try await postfix.waitForLog("\(postfixID): client=", "[127.0.0.1]")
                try await postfix.waitForLog(
                    "\(postfixID): to=<\(recipient)>", "relay=\(sink.host)[\(sink.host)]:\(sink.port)", "status=sent")
            }
            #expect(try await daemon.waitForFinalStates(of: id).values.allSatisfy { $0 == "delivered" })
        }
        try await postfix.waitForLog("TLS connection established from", "[127.0.0.1]")
        try await daemon.waitForLog("Verified TLS connection established to localhost[127.0.0.1]:\(postfix.port)")

        let everyRecipient = Self.submissions.flatMap(\.recipients)
        let messages = try await Self.waitForRecipients(everyRecipient.count, at: sink)
        for submission in Self.submissions {
            let arrived = messages.filter { $0.text.contains("\r\nSubject: \(submission.subject)\r\n") }
            try #require(!arrived.isEmpty, "no message \"\(submission.subject)\" at the sink:\n\(sink.transcriptText)")
            #expect(Set(arrived.flatMap(\.recipients)) == Set(submission.recipients))
            for message in arrived {
                #expect(message.sender == "shop@shop.example")
                #expect(message.heloName == postfix.myHostname)
                let (header, body) = try #require(Self.split(message.text))
                #expect(body == submission.body, "body changed on the way")
                let received = Self.unfolded(header).filter { $0.hasPrefix("Received:") }
                try #require(received.count >= 2, "\(header)")
                // Postfix's on top: from Poshta (EHLO mail.test), over TLS; Poshta's below it.
                #expect(received[0].hasPrefix("Received: from mail.test ("))
                #expect(received[0].contains("[127.0.0.1]"))
                #expect(received[0].contains("(using TLSv1."))
                #expect(received[0].contains("by \(postfix.myHostname) (Postfix) with ESMTPS id "))
                #expect(received[1].hasPrefix("Received: from client.test"))
                #expect(received[1].contains("by mail.test"))
            }
        }
        try await daemon.stop()
        await postfix.stop()
        await sink.stop()
        #expect(!postfix.isRunning)
    }

    /// The queue id in `… queued as ABC123)`.
    static func queueID(after marker: String, in line: String) -> String? {
        guard let range = line.range(of: marker) else { return nil }
        let id = line[range.upperBound...].prefix { $0.isLetter || $0.isNumber }
        return id.isEmpty ? nil : String(id)
    }

    /// Header and body, split at the first empty line.
    static func split(_ text: String) -> (header: String, body: String)? {
        guard let range = text.range(of: "\r\n\r\n") else { return nil }
        return (String(text[..<range.lowerBound]), String(text[range.upperBound...]))
    }

    /// Header fields, each on one line (continuation lines joined).
    static func unfolded(_ header: String) -> [String] {
        var fields: [String] = []
        for line in header.components(separatedBy: "\r\n") {
            if line.first == " " || line.first == "\t", !fields.isEmpty {
                fields[fields.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
            } else {
                fields.append(line)
            }
        }
        return fields
    }

    /// Postfix may group recipients into fewer transactions: wait for the recipients, not the messages.
    static func waitForRecipients(_ count: Int, at sink: SinkServer, timeout: Duration = .seconds(20))
        async throws -> [SinkMessage]
    {
        let deadline = ContinuousClock.now + timeout
        while sink.messages.flatMap(\.recipients).count < count {
            guard ContinuousClock.now < deadline else {
                throw SinkServerError(
                    description: "\(sink.messages.flatMap(\.recipients).count) of \(count) recipients at the sink")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return sink.messages
    }
}
