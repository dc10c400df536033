import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Spool
import Testing

@Suite("crash safety of outbound delivery")
struct DeliveryCrashTests {
    @Test("SIGKILL while messages are being relayed, then a restart: every acknowledged message arrives at least once")
    func sigkillDuringDelivery() async throws {
        var behavior = SinkBehavior()
        // Slow replies keep deliveries in flight when the kill comes.
        behavior.replyDelay = .milliseconds(20)
        let sink = try await SinkServer.start(behavior: behavior)
        let directory = try TemporaryDirectory(prefix: "poshta-delivery-crash")
        var configuration = DaemonConfiguration(spool: "spool")
        configuration.deliverySettings = """
            route = "relay"
            relays = [ \(DeliveryFixture.relay(sink)) ]
            min_backoff = 1
            max_backoff = 2
            concurrency = 4
            """
        let file = try configuration.write(in: directory)

        let count = 40
        var tokens: [String: String] = [:]
        let first = try DaemonProcess(configurationFile: file, logFile: "\(directory.path)/first.log")
        let port = try #require(try await first.waitForPort(), "log:\n\(first.log)")
        let client = try await TestSMTPClient.connect(port: port)
        _ = try await client.reply()
        for index in 0..<count {
            let token = "token-\(index)-\(UUID().uuidString.prefix(8))"
            let reply = try await client.sendMail(
                from: "shop@shop.example", to: ["r\(index)@example.net"],
                message: "Subject: \(token)\r\n\r\n\(token)\r\n")
            let id = try #require(reply.queueID, "message \(index) refused: \(reply)")
            tokens[id] = token
        }
        await client.close()
        // Kill once some, but not all, have arrived.
        _ = try await sink.waitForMessages(5, timeout: .seconds(15))
        first.signal(SIGKILL)
        #expect(try await first.waitForExit(timeout: .seconds(5)) != nil)
        let arrivedBeforeKill = sink.messages.count
        print("delivery crash: \(arrivedBeforeKill) of \(count) had arrived at the kill")

        let second = try DaemonProcess(configurationFile: file, logFile: "\(directory.path)/second.log")
        _ = try #require(try await second.waitForPort(), "log:\n\(second.log)")
        let deadline = ContinuousClock.now + .seconds(30)
        var arrived = Set<String>()
        while ContinuousClock.now < deadline {
            arrived = Set(sink.messages.compactMap { message in tokens.values.first { message.text.contains($0) } })
            if arrived.count == count { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let missing = Set(tokens.values).subtracting(arrived)
        #expect(missing.isEmpty, "never delivered: \(missing.sorted()); log:\n\(second.log.suffix(3000))")
        second.signal(SIGTERM)
        #expect(try await second.waitForExit(timeout: .seconds(10)) == 0)
        await sink.stop()
    }

    @Test("stopping the daemon does not wait for a server that hangs mid-delivery; the message stays queued")
    func stopDuringHangingDelivery() async throws {
        var behavior = SinkBehavior()
        behavior.failures = [SinkBehavior.ScriptedFailure(at: .dataEnd, .hang)]
        let sink = try await SinkServer.start(behavior: behavior)
        let daemon = try await DeliveryFixture.daemon(
            "route = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink)) ]\ncommand_timeout = 120", quick: false)
        let id = try await DeliveryFixture.submit(to: daemon, to: ["anna@example.net"])
        let deadline = ContinuousClock.now + .seconds(10)
        while !sink.commands.contains(where: { $0.verb == "DATA" }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(200))
        let spool = daemon.spool
        let start = ContinuousClock.now
        try await daemon.stop()
        #expect(ContinuousClock.now - start < .seconds(30), "the stop waited for the hanging server (its timeout is 120 s)")
        let states = try await spool.recipientStates(of: try #require(QueueID(id)))
        #expect(states.map(\.state) != [.delivered])
        await sink.stop()
    }
}
