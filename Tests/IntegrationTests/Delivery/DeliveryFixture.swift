import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

/// Shared steps of the delivery tests: a daemon whose `[delivery]` section
/// the test writes, a message handed to it over SMTP, and bounded waits on
/// its log.
enum DeliveryFixture {
    /// Fast retries and short timeouts, so that tests of failures finish in seconds.
    static let quickRetries = """
        min_backoff = 1
        max_backoff = 2
        connect_timeout = 3
        command_timeout = 5
        """

    /// A daemon with `[delivery]` made of `lines` (after the quick retry settings).
    static func daemon(_ lines: String, quick: Bool = true, hostname: String = "mail.test") async throws -> TestDaemon {
        try await TestDaemon(
            configuration: """
                [[listener]]
                address = "127.0.0.1:0"

                [delivery]
                \(quick ? quickRetries : "")
                \(lines)
                """, hostname: hostname)
    }

    /// The relay line for a sink: `relays = [ { host = …, port = …, tls = … } ]`.
    static func relay(_ sink: SinkServer, host: String? = nil, tls: String = "none", extra: String = "") -> String {
        "{ host = \"\(host ?? sink.host)\", port = \(sink.port), tls = \"\(tls)\"\(extra.isEmpty ? "" : ", " + extra) }"
    }

    /// Hands a message to the daemon; returns its queue id.
    @discardableResult
    static func submit(
        to daemon: TestDaemon, from sender: String = "shop@shop.example", to recipients: [String],
        subject: String = "Your order", body: String = "Thank you for your order.\r\n.dot line\r\n"
    ) async throws -> String {
        let client = try await TestSMTPClient.connect(port: daemon.port())
        _ = try await client.reply()
        let message = "From: Shop <\(sender.isEmpty ? "shop@shop.example" : sender)>\r\nTo: \(recipients.joined(separator: ", "))\r\nSubject: \(subject)\r\n\r\n\(body)"
        let reply = try await client.sendMail(from: sender, to: recipients, message: message)
        _ = try? await client.command("QUIT")
        await client.close()
        guard reply.code == 250, let id = reply.queueID else {
            throw SinkServerError(description: "the daemon did not accept the message: \(reply)")
        }
        return id
    }
}

extension TestDaemon {
    /// Waits (bounded) for log lines containing every one of `parts`; returns the first.
    @discardableResult
    func waitForLog(_ parts: String..., timeout: Duration = .seconds(15)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = logs.all.first(where: { line in parts.allSatisfy { line.contains($0) } }) { return line }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw SinkServerError(
            description: "no log line with \(parts) within \(timeout); log:\n\(logs.all.suffix(30).joined(separator: "\n"))")
    }

    /// The recipients' states on the spool, waiting (bounded) until none is queued, deferred or active.
    func waitForFinalStates(of id: String, timeout: Duration = .seconds(15)) async throws -> [String: String] {
        let deadline = ContinuousClock.now + timeout
        var states: [String: String] = [:]
        while ContinuousClock.now < deadline {
            states = try await recipientStates(of: id)
            if !states.isEmpty, states.values.allSatisfy({ ["delivered", "bounced", "expired", "deleted"].contains($0) }) {
                return states
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw SinkServerError(description: "\(id) not finished within \(timeout): \(states)")
    }
}
