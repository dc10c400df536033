import Delivery
@testable import PoshtaApp
import SMTPProtocol
import SMTPServer
import Testing

/// Where `poshta sendmail` connects, and what each outcome of the
/// transaction becomes: one line and a sendmail exit status.
@Suite("sendmail submission target and verdicts")
struct SendmailCommandTests {
    private func listener(
        _ address: String, mode: ListenerMode = .relay, trusted: [String] = ["127.0.0.0/8", "::1/128"],
        tls: ListenerTLSMode = .none
    ) -> ListenerSection {
        let host = address.hasPrefix("[") ? String(address.dropFirst().prefix { $0 != "]" }) : String(address.prefix { $0 != ":" })
        let port = Int(address.split(separator: ":").last ?? "") ?? 0
        return ListenerSection(
            address: address, host: host, port: port, mode: mode, trustedNetworks: trusted.compactMap(IPNetwork.init),
            tls: tls)
    }

    private func choose(_ listeners: [ListenerSection]) throws -> SubmissionTarget {
        try SubmissionTarget.choose(from: listeners, file: "/etc/poshta/poshta.toml")
    }

    // MARK: - Target

    @Test("the first relay listener that trusts loopback is chosen, skipping submission listeners")
    func relayListener() throws {
        let target = try choose([
            listener("127.0.0.1:587", mode: .submission, tls: .starttls),
            listener("127.0.0.1:2525", trusted: ["10.0.0.0/8"]),
            listener("127.0.0.1:25"),
        ])
        #expect(target == SubmissionTarget(host: "127.0.0.1", port: 25, listenerAddress: "127.0.0.1:25", isTrusted: true))
        #expect(target.hint == nil)
    }

    @Test("a wildcard listener is reached on the loopback address of its family", arguments: [
        ("0.0.0.0:25", "127.0.0.1", "127.0.0.1:25"), ("[::]:25", "::1", "[::1]:25"), ("[::1]:2525", "::1", "[::1]:2525"),
    ])
    func wildcard(_ address: String, _ host: String, _ described: String) throws {
        let target = try choose([listener(address)])
        #expect(target.host == host)
        #expect(target.isTrusted)
        #expect(target.described == described)
    }

    @Test("a relay listener on ::1 that trusts only IPv4 loopback is not trusted")
    func familyMatters() throws {
        let target = try choose([listener("[::1]:25", trusted: ["127.0.0.0/8"])])
        #expect(!target.isTrusted)
    }

    @Test("with no trusting relay listener, the first listener is tried and the hint says why")
    func fallback() throws {
        let target = try choose([
            listener("0.0.0.0:587", mode: .submission, tls: .starttls), listener("127.0.0.1:25", trusted: ["10.0.0.0/8"]),
        ])
        #expect(target.listenerAddress == "0.0.0.0:587")
        #expect(target.host == "127.0.0.1")
        #expect(!target.isTrusted)
        let hint = try #require(target.hint)
        #expect(hint.contains("no relay listener trusts 127.0.0.1"))
        #expect(hint.contains("trusted_networks"))
    }

    @Test("listeners on port 0 or with implicit TLS cannot be used; none left is a configuration error")
    func noListener() throws {
        do {
            _ = try choose([listener("127.0.0.1:0"), listener("127.0.0.1:465", mode: .submission, tls: .implicit)])
            Issue.record("a listener was chosen")
        } catch let error as SendmailError {
            #expect(error.status == .configuration)
            #expect(error.message.hasPrefix("/etc/poshta/poshta.toml: no [[listener]]"))
        }
    }

    // MARK: - Verdicts

    private let target = SubmissionTarget(host: "127.0.0.1", port: 2525, listenerAddress: "127.0.0.1:2525", isTrusted: true)

    private func verdict(_ outcome: SubmissionOutcome, target: SubmissionTarget? = nil) -> SendmailError? {
        do {
            _ = try SendmailSubmission.verdict(outcome, sender: "shop@shop.example", target: target ?? self.target)
            return nil
        } catch {
            return error
        }
    }

    @Test("250 after the message is success")
    func accepted() throws {
        let reply = SMTPReply(250, "2.0.0", "Ok: queued as 0AM9TBNB000")
        #expect(try SendmailSubmission.verdict(.accepted(reply), sender: "", target: target) == reply)
    }

    @Test("refused recipients are each named with the reply, and the message is said not to be sent")
    func recipientsRefused() throws {
        let error = try #require(verdict(.recipientsRefused([
            .init(recipient: "a%b@x.example", reply: SMTPReply(550, "5.7.1", "Relay access denied")),
            .init(recipient: "c@x.example", reply: SMTPReply(450, "4.2.0", "Mailbox busy")),
        ])))
        #expect(error.description == "poshta sendmail: a%b@x.example refused: 550 5.7.1 Relay access denied; c@x.example refused: 450 4.2.0 Mailbox busy; the message was NOT sent")
        #expect(error.status == .unavailable)
    }

    @Test("exit statuses: 4xx tempfail, 5.1.x no such user, other 5xx unavailable", arguments: [
        (SMTPReply(451, "4.3.0", "Try later"), SendmailError.Status.temporaryFailure),
        (SMTPReply(550, "5.1.1", "No such user"), .noUser),
        (SMTPReply(554, "5.7.1", "Relay access denied"), .unavailable),
        (SMTPReply(552, "5.3.4", "Too big"), .unavailable),
    ])
    func statuses(_ reply: SMTPReply, _ status: SendmailError.Status) throws {
        #expect(verdict(.recipientsRefused([.init(recipient: "a@b.example", reply: reply)]))?.status == status)
        #expect(verdict(.messageRefused(reply))?.status == status)
        #expect(verdict(.senderRefused(reply))?.status == status)
    }

    @Test("a refusal by a listener chosen as a last resort carries the hint")
    func refusalWithHint() throws {
        let guess = SubmissionTarget(host: "127.0.0.1", port: 587, listenerAddress: "0.0.0.0:587", isTrusted: false)
        let error = try #require(verdict(.senderRefused(SMTPReply(530, "5.7.0", "Authentication required")), target: guess))
        #expect(error.message.contains("the message was NOT sent (no relay listener trusts 127.0.0.1"))
        #expect(!error.message.contains("\n"))
    }

    @Test("a connection lost after the message was sent is a temporary failure that says it may have been queued")
    func uncertain() throws {
        let error = try #require(verdict(.uncertain("lost connection with 127.0.0.1[127.0.0.1]:2525")))
        #expect(error.status == .temporaryFailure)
        #expect(error.message.contains("may or may not have been queued"))
        #expect(!error.message.contains("NOT sent"))
    }

    @Test("a refused connection is a temporary failure naming the address")
    func connectFailure() throws {
        let hop = NextHop(host: "127.0.0.1", address: "127.0.0.1", port: 2525, tls: .none)
        let error = SendmailSubmission.failure(
            SMTPClientError(kind: .connect, message: "connect to \(hop): Connection refused", status: .init(4, 4, 1)),
            hop: hop, target: target)
        #expect(error.status == .temporaryFailure)
        #expect(error.description.hasPrefix(
            "poshta sendmail: cannot connect to the mail server at 127.0.0.1:2525 (connection refused"))
        #expect(error.description.hasSuffix("; the message was NOT sent"))
    }
}
