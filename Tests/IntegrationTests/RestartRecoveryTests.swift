import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Synchronization
import Testing

/// The promise behind every 250: the real binary is killed with SIGKILL
/// while clients send, restarted, and must deliver every message it
/// acknowledged, byte for byte, and nothing it did not.
@Suite("restart recovery: every 250 survives SIGKILL")
struct RestartRecoveryTests {
    static let clients = 8
    static let rounds = 2
    static let messagesPerClient = 25  // per round: at most 400 messages in all
    static let killAfterAccepted = 150
    /// Generous: a full run has Chromium and a hundred daemons beside it on two cores.
    static let sendingTimeLimit: Duration = .seconds(15)

    /// What the killed daemons do with the mail they accept.
    enum Delivery: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// `suspended = true`: everything stays on the spool until the last restart.
        case suspended
        /// The capture route writes the outbox while clients send, so the kill
        /// also lands in deliveries (recipients active, `.tmp-` files).
        case running

        var testDescription: String { "delivery \(rawValue) while killed" }
    }

    @Test(
        "after SIGKILL under load, twice, and a restart, the outbox holds exactly the acknowledged messages, byte-identical",
        arguments: Delivery.allCases)
    func sigkillUnderLoad(_ delivery: Delivery) async throws {
        let directory = try TemporaryDirectory(prefix: "poshta-recovery")
        let spool = directory.path + "/spool"
        let outbox = OutboxFolder(spool: spool)
        var configuration = DaemonConfiguration(spool: "spool")
        configuration.suspended = delivery == .suspended
        let configurationFile = try configuration.write(in: directory)

        // 1. Daemons killed while clients send; the second one starts from
        // what the first one left.
        var accepted: [String: SentMessage] = [:]
        var inFlight: [String: SentMessage] = [:]
        for round in 0..<Self.rounds {
            let daemon = try DaemonProcess(configurationFile: configurationFile, logFile: "\(directory.path)/round\(round).log")
            let port = try #require(try await daemon.waitForPort(), "no port in round \(round); log:\n\(daemon.log)")
            let ledger = try await Self.sendUntilKilled(daemon, port: port, round: round)
            for (id, message) in ledger.accepted {
                if let earlier = accepted.updateValue(message, forKey: id) {
                    Issue.record("queue id \(id) was given to \(earlier.token) and again to \(message.token)")
                }
            }
            inFlight.merge(ledger.inFlight) { first, _ in first }
            if delivery == .suspended {
                #expect(outbox.messages().isEmpty, "delivery was suspended, yet the outbox has files")
            }
        }
        #expect(accepted.count >= 100, "only \(accepted.count) messages were acknowledged before the kills")

        // 2. Restart with delivery on; wait (bounded) for every acknowledged message.
        configuration.suspended = false
        try configuration.write(in: directory)
        let last = try DaemonProcess(configurationFile: configurationFile, logFile: directory.path + "/delivery.log")
        _ = try #require(try await last.waitForPort(), "no port after restart; log:\n\(last.log)")
        _ = try await outbox.waitFor(Set(accepted.keys), timeout: .seconds(30))
        last.signal(SIGTERM)
        #expect(try await last.waitForExit(timeout: .seconds(10)) == 0)
        let files = outbox.messages()

        // 3. Every acknowledged message is there, complete and identical.
        let missing = Set(accepted.keys).subtracting(files.keys)
        #expect(missing.isEmpty, "\(missing.count) acknowledged message(s) missing: \(missing.sorted().prefix(10))")
        for (id, sent) in accepted {
            guard let file = files[id] else { continue }
            Self.expect(CapturedMessage(file), isCopyOf: sent, id: id)
        }
        // 4. Anything else must be a message that was in flight at the kill, complete.
        var seenTokens: [String: String] = [:]
        for (id, file) in files {
            let captured = CapturedMessage(file)
            #expect(file.suffix(2) == [13, 10], "\(id).eml does not end with CRLF")
            guard let token = Self.token(in: captured) else {
                Issue.record("\(id).eml is not one of the messages sent:\n\(captured.text.prefix(400))")
                continue
            }
            if let other = seenTokens.updateValue(id, forKey: token) {
                Issue.record("message \(token) was delivered twice: \(other).eml and \(id).eml")
            }
            if accepted[id] == nil {
                guard let sent = inFlight[token] else {
                    Issue.record("\(id).eml holds \(token), which never got to the end of DATA")
                    continue
                }
                Self.expect(captured, isCopyOf: sent, id: id)
            }
        }
        #expect(outbox.strayFiles().isEmpty, "stray files in the outbox: \(outbox.strayFiles())")
        let extra = files.count - files.keys.filter { accepted[$0] != nil }.count
        print(
            "recovery (\(delivery.rawValue)): \(accepted.count) acknowledged, \(inFlight.count) in flight at SIGKILL (\(extra) of them delivered), \(files.count) files"
        )
    }

    // MARK: The clients

    /// Runs the clients against `daemon` and kills it with SIGKILL once
    /// enough was acknowledged and, so that the kill lands inside group
    /// commits, while half the clients wait for their 250.
    static func sendUntilKilled(_ daemon: DaemonProcess, port: Int, round: Int) async throws -> Ledger {
        let ledger = Ledger()
        let start = ContinuousClock.now
        var activeAtKill = 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<clients {
                group.addTask { await send(client: client, round: round, port: port, ledger: ledger) }
            }
            while ledger.acceptedCount < killAfterAccepted || ledger.inFlightCount < clients / 2,
                ledger.activeClients > 0, ContinuousClock.now - start < sendingTimeLimit
            {
                try await Task.sleep(for: .milliseconds(2))
            }
            activeAtKill = ledger.activeClients
            daemon.signal(SIGKILL)
            try await group.waitForAll()
        }
        #expect(try await daemon.waitForExit(timeout: .seconds(5)) != nil)
        #expect(activeAtKill > 0, "round \(round): the clients had finished before the kill")
        print(
            "recovery round \(round): \(ledger.acceptedCount) acknowledged, \(ledger.inFlightCount) in flight at SIGKILL"
        )
        return ledger
    }

    /// One client: one connection, messages one after another until the
    /// server goes away or the quota is reached.
    static func send(client: Int, round: Int, port: Int, ledger: Ledger) async {
        defer { ledger.clientFinished() }
        guard let connection = try? await TestSMTPClient.afterEHLO(port: port) else { return }
        await sendMessages(client: client, round: round, over: connection, ledger: ledger)
        await connection.close()
    }

    static func sendMessages(client: Int, round: Int, over connection: TestSMTPClient, ledger: Ledger) async {
        for index in 0..<messagesPerClient {
            let message = SentMessage(round: round, client: client, index: index)
            do {
                try await connection.send(
                    "MAIL FROM:<shop@shop.example>\r\nRCPT TO:<customer\(client)@example.net>\r\nDATA\r\n")
                guard try await connection.reply().code == 250, try await connection.reply().code == 250,
                    try await connection.reply().code == 354
                else { return }
                ledger.sending(message)
                try await connection.send(TestSMTPClient.dotStuffed(message.text) + ".\r\n")
                let reply = try await connection.reply()
                guard let id = reply.queueID else { return }
                ledger.accepted(message, id: id)
            } catch {
                return
            }
        }
    }

    /// A message with a unique token in its subject and body; sizes vary
    /// from a few hundred bytes to 64 KB so that the kill can land inside a write.
    struct SentMessage: Sendable {
        var token: String
        var header: String
        var body: String

        init(round: Int, client: Int, index: Int) {
            token = "r\(round)c\(client)m\(index)"
            header = "From: shop@shop.example\r\nTo: customer\(client)@example.net\r\nSubject: recovery \(token)\r\nMessage-ID: <\(token)@shop.example>\r\n"
            var generator = SplitMix(seed: UInt64(round * 100_000 + client * 1000 + index))
            let lines = index % 5 == 3 ? 800 : Int(generator.next() % 40) + 3
            var body = "Body of \(token).\r\n.a line that starts with a dot (\(token))\r\n"
            for line in 0..<lines {
                let length = Int(generator.next() % 76)
                let letters = (0..<length).map { _ in Character(UnicodeScalar(UInt8(97 + generator.next() % 26))) }
                body += "\(token) \(line) \(String(letters))\r\n"
            }
            self.body = body + "end of \(token)\r\n"
        }

        var text: String { header + "\r\n" + body }
    }

    /// What the clients saw, shared between their tasks.
    final class Ledger: Sendable {
        private struct State {
            var accepted: [String: SentMessage] = [:]
            var inFlight: [String: SentMessage] = [:]
            var activeClients = RestartRecoveryTests.clients
        }

        private let state = Mutex(State())

        func sending(_ message: SentMessage) { state.withLock { $0.inFlight[message.token] = message } }

        func accepted(_ message: SentMessage, id: String) {
            state.withLock { state in
                state.inFlight[message.token] = nil
                state.accepted[id] = message
            }
        }

        func clientFinished() { state.withLock { $0.activeClients -= 1 } }

        var acceptedCount: Int { state.withLock { $0.accepted.count } }
        var inFlightCount: Int { state.withLock { $0.inFlight.count } }
        /// Clients still sending.
        var activeClients: Int { state.withLock { $0.activeClients } }
        /// By queue id: every message that got 250.
        var accepted: [String: SentMessage] { state.withLock { $0.accepted } }
        /// By token: messages whose DATA was sent without a reply seen.
        var inFlight: [String: SentMessage] { state.withLock { $0.inFlight } }
    }

    // MARK: Checks

    /// The file is Received (naming the id) + the headers as sent + what
    /// Poshta adds (Date) + the body exactly as sent.
    static func expect(
        _ captured: CapturedMessage, isCopyOf sent: SentMessage, id: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let text = captured.text
        #expect(
            text.hasPrefix("Received: from client.test (unknown [127.0.0.1])\r\n\tby mail.test (Poshta) with ESMTP id \(id)\r\n"),
            "\(id).eml: \(text.prefix(200))", sourceLocation: sourceLocation)
        #expect(text.contains("\r\n" + sent.header), "\(id).eml: headers of \(sent.token) changed", sourceLocation: sourceLocation)
        #expect(captured.body == Array(sent.body.utf8), "\(id).eml: body of \(sent.token) differs", sourceLocation: sourceLocation)
    }

    /// The token of the Subject line, if the file has one.
    static func token(in captured: CapturedMessage) -> String? {
        let header = String(decoding: captured.header, as: UTF8.self)
        guard let range = header.range(of: "\r\nSubject: recovery ") else { return nil }
        return header[range.upperBound...].split(separator: "\r\n").first.map(String.init)
    }
}

/// A small deterministic generator, so that a failing run can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
