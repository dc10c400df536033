import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("politeness: rate, concurrency, connection reuse, dead destinations")
struct PolitenessTests {
    @Test("arrivals at the relay keep the configured rate (10/s) within 10%")
    func rate() async throws {
        let sink = try await SinkServer.start()
        let daemon = try await DeliveryFixture.daemon(
            "route = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink)) ]\nrate = \"10/s\"\nsuspended = false")
        // One message first, so that a connection is open and cached: the
        // cost of opening one must not delay the first paced arrivals and
        // make the rest look faster than they were.
        try await DeliveryFixture.submit(to: daemon, to: ["warm-up@example.net"])
        _ = try await sink.waitForMessages(1)
        let count = 25
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask { try await DeliveryFixture.submit(to: daemon, to: ["r\(index)@example.net"]) }
            }
            try await group.waitForAll()
        }
        let messages = try await sink.waitForMessages(count + 1, timeout: .seconds(20))
        // Measured from the fourth paced arrival to the last, so that the
        // submissions still coming in at the start do not count.
        let times = messages.dropFirst().map(\.receivedAt).sorted()
        let span = times.last! - times[3]
        let seconds = Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18
        let measured = Double(times.count - 4) / seconds
        #expect(measured <= 11, "measured \(measured) messages/s over \(seconds) s; the limit is 10/s")
        #expect(measured >= 7, "measured \(measured) messages/s over \(seconds) s; pacing is far slower than asked")
        try await daemon.stop()
        await sink.stop()
    }

    @Test("the relay never sees more parallel connections than concurrency allows")
    func concurrency() async throws {
        var behavior = SinkBehavior()
        behavior.replyDelay = .milliseconds(30)
        let sink = try await SinkServer.start(behavior: behavior)
        let daemon = try await DeliveryFixture.daemon(
            "route = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink)) ]\nconcurrency = 2")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<16 {
                group.addTask { try await DeliveryFixture.submit(to: daemon, to: ["r\(index)@example.net"]) }
            }
            try await group.waitForAll()
        }
        _ = try await sink.waitForMessages(16, timeout: .seconds(30))
        #expect(sink.maxSimultaneousConnections <= 2)
        #expect(sink.maxSimultaneousConnections == 2, "two connections should have been used in parallel")
        try await daemon.stop()
        await sink.stop()
    }

    @Test("messages one after another reuse the open connection")
    func connectionReuse() async throws {
        let sink = try await SinkServer.start()
        let daemon = try await DeliveryFixture.daemon(
            "route = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink)) ]\nconnection_cache_time = 5")
        for index in 0..<5 {
            try await DeliveryFixture.submit(to: daemon, to: ["r\(index)@example.net"])
            _ = try await sink.waitForMessages(index + 1)
        }
        #expect(sink.connectionsOpened == 1)
        #expect(Set(sink.messages.map(\.connection)).count == 1)
        try await daemon.stop()
        await sink.stop()
    }

    @Test("a relay that refuses with 421 again and again is set aside as a whole")
    func deadDestination() async throws {
        var behavior = SinkBehavior()
        behavior.failures = [.refuseConnections()]
        let sink = try await SinkServer.start(behavior: behavior)
        let daemon = try await DeliveryFixture.daemon(
            """
            route = "relay"
            relays = [ \(DeliveryFixture.relay(sink)) ]
            min_backoff = 30
            max_backoff = 60
            concurrency = 1
            """, quick: false)
        for index in 0..<6 {
            try await DeliveryFixture.submit(to: daemon, to: ["r\(index)@example.net"])
        }
        try await daemon.waitForLog("status=deferred (delivery temporarily suspended: host 127.0.0.1[127.0.0.1]:\(sink.port) refused to talk to me: 421")
        try await Task.sleep(for: .milliseconds(300))
        // Three sessions made the destination dead; the rest were deferred without a connection.
        #expect(sink.connectionsOpened == 3)
        try await daemon.stop()
        await sink.stop()
    }
}
