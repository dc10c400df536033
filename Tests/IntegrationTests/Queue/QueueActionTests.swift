import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

/// `poshta queue hold|release|retry|delete` (the real binary) against a
/// running daemon that relays to a sink: what each verb does is what
/// arrives, or does not, at the sink.
@Suite("poshta queue: hold, release, retry and delete steer delivery")
struct QueueActionTests {
    /// A relay to `sink` with a five-minute first backoff, so that only a
    /// `retry` or `release` can make a deferred message go out in the test.
    private func daemon(relayingTo sink: SinkServer) async throws -> TestDaemon {
        try await DeliveryFixture.daemon(
            """
            route = "relay"
            relays = [ \(DeliveryFixture.relay(sink)) ]
            min_backoff = 300
            max_backoff = 600
            """, quick: false)
    }

    private func queue(_ daemon: TestDaemon, _ arguments: String...) async throws -> ExternalProcess.Result {
        let verb = [arguments[0]]
        return try await ExternalProcess.run(
            DaemonProcess.binary,
            ["queue"] + verb + ["--config", daemon.configurationFile, "--admin", try await daemon.adminURL()]
                + arguments.dropFirst(), timeout: .seconds(30))
    }

    private func waitForState(_ daemon: TestDaemon, _ id: String, _ state: String) async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        var states: [String: String] = [:]
        while ContinuousClock.now < deadline {
            states = try await daemon.recipientStates(of: id)
            if !states.isEmpty, states.values.allSatisfy({ $0 == state }) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("\(id) is \(states), not \(state)")
    }

    private func waitForSink(_ sink: SinkServer, count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        while sink.messages.count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("retry sends a deferred message now; hold keeps it back, also from retry --all; release sends it")
    func holdReleaseRetry() async throws {
        let sink = try await SinkServer.start(
            behavior: SinkBehavior(failures: [
                .temporary(matching: .recipientLocalPart("later"), times: 1),
                .temporary(matching: .recipientLocalPart("held"), times: 1),
            ]))
        let daemon = try await daemon(relayingTo: sink)
        let later = try await DeliveryFixture.submit(to: daemon, to: ["later@dest.test"])
        let held = try await DeliveryFixture.submit(to: daemon, to: ["held@dest.test"])
        try await waitForState(daemon, later, "deferred")
        try await waitForState(daemon, held, "deferred")
        #expect(sink.messages.isEmpty)

        let hold = try await queue(daemon, "hold", held)
        #expect(hold.status == 0, "\(hold.error)")
        #expect(hold.output == "held 1 message (1 recipient): \(held)\n")
        try await daemon.waitForLog("\(held): placed on hold by the administrator")

        let retry = try await queue(daemon, "retry", "--all")
        #expect(retry.status == 0, "\(retry.error)")
        #expect(retry.output.hasPrefix("requeued 1 message (1 recipient)"))
        try await waitForSink(sink, count: 1)
        #expect(sink.messages.map(\.recipients) == [["later@dest.test"]])
        try await waitForState(daemon, later, "delivered")

        // Held: nothing goes out, however long we wait within the test.
        try await Task.sleep(for: .milliseconds(500))
        #expect(sink.messages.count == 1)
        let listed = try await queue(daemon, "list", "--state", "hold", "--json")
        #expect(listed.output.contains("\"id\":\"\(held)\""))

        let release = try await queue(daemon, "release", held)
        #expect(release.output.hasPrefix("released 1 message"))
        try await waitForSink(sink, count: 2)
        #expect(sink.messages.last?.recipients == ["held@dest.test"])
        try await waitForState(daemon, held, "delivered")
        try await daemon.stop()
        await sink.stop()
    }

    @Test("delete by filter removes only the matching messages; nothing is sent or bounced for them")
    func deleteByFilter() async throws {
        let sink = try await SinkServer.start(
            behavior: SinkBehavior(failures: [.temporary(matching: .recipientLocalPart("never"))]))
        let daemon = try await daemon(relayingTo: sink)
        let gone = try await DeliveryFixture.submit(to: daemon, to: ["never@gone.test"])
        let kept = try await DeliveryFixture.submit(to: daemon, to: ["never@kept.test"])
        try await waitForState(daemon, gone, "deferred")
        try await waitForState(daemon, kept, "deferred")

        let refused = try await queue(daemon, "delete")
        #expect(refused.status != 0)
        #expect(refused.error.contains("name queue ids, filters (--state, --domain, …) or --all"))

        let deleted = try await queue(daemon, "delete", "--domain", "gone.test", "--json")
        #expect(deleted.status == 0, "\(deleted.error)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(deleted.output.utf8)) as? [String: Any])
        #expect(result["messages"] as? [String] == [gone])
        #expect(result["recipients"] as? Int == 1)
        try await daemon.waitForLog("\(gone): removed by the administrator")
        #expect(try await daemon.recipientStates(of: gone) == ["never@gone.test": "deleted"])
        #expect(try await daemon.recipientStates(of: kept) == ["never@kept.test": "deferred"])

        let list = try await queue(daemon, "list")
        #expect(!list.output.contains(gone) && list.output.contains(kept))
        let shown = try await queue(daemon, "show", gone)
        #expect(shown.output.contains("deleted by the administrator"), "\(shown.output)\(shown.error)")
        // Neither the message nor a bounce for it reached the sink.
        try await Task.sleep(for: .milliseconds(300))
        #expect(sink.messages.isEmpty)
        try await daemon.stop()
        await sink.stop()
    }

    @Test("with the daemon down, list reads the spool and says so; the changing verbs refuse")
    func daemonDown() async throws {
        let sink = try await SinkServer.start(
            behavior: SinkBehavior(failures: [.temporary(matching: .recipientLocalPart("never"))]))
        let daemon = try await daemon(relayingTo: sink)
        let id = try await DeliveryFixture.submit(to: daemon, to: ["never@down.test"])
        try await waitForState(daemon, id, "deferred")
        let url = try await daemon.adminURL()
        try await daemon.stop()
        await sink.stop()

        let list = try await ExternalProcess.run(
            DaemonProcess.binary, ["queue", "list", "--config", daemon.configurationFile, "--admin", url])
        #expect(list.status == 0, "\(list.error)")
        #expect(list.output.contains(id))
        #expect(list.error.contains("nothing answers at \(url)"))
        #expect(list.error.contains("reading the spool"))

        let hold = try await ExternalProcess.run(
            DaemonProcess.binary, ["queue", "hold", "--config", daemon.configurationFile, "--admin", url, id])
        #expect(hold.status == 1)
        #expect(hold.error.contains("only the running daemon changes its queue"))
    }
}
