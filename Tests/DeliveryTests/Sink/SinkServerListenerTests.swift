import PoshtaTestSupport
import SMTPProtocol
import Testing

/// Where sinks listen: loopback only, free ports, one port on several addresses.
@Suite("SinkServer listeners: loopback only, port 0, the same port on several addresses")
struct SinkServerListenerTests {
    @Test("port 0 picks a different free port for each sink")
    func freePorts() async throws {
        let first = try await SinkServer.start()
        let second = try await SinkServer.start()
        #expect(first.port > 0)
        #expect(second.port > 0)
        #expect(first.port != second.port)
        await first.stop()
        await second.stop()
    }

    @Test("sinks on 127.0.0.2 and 127.0.0.3 share one port, and each records its own mail")
    func samePortOnSeveralAddresses() async throws {
        let sinks = try await SinkServer.start(onSamePortAt: ["127.0.0.2", "127.0.0.3"])
        #expect(sinks.count == 2)
        #expect(sinks[0].port == sinks[1].port)
        for (index, sink) in sinks.enumerated() {
            let client = try await TestSMTPClient.greeted(host: sink.host, port: sink.port)
            let reply = try await client.sendMail(from: "a@shop.test", to: ["r\(index)@example.net"], message: "body\r\n")
            #expect(reply.code == 250)
            await client.close()
        }
        #expect(sinks[0].messages.map(\.recipients) == [["r0@example.net"]])
        #expect(sinks[1].messages.map(\.recipients) == [["r1@example.net"]])
        // A third on a given port.
        let third = try await SinkServer.start(host: "127.0.0.4", port: sinks[0].port)
        #expect(third.port == sinks[0].port)
        await third.stop()
        for sink in sinks { await sink.stop() }
    }

    @Test("an address that is not loopback is refused", arguments: ["0.0.0.0", "192.0.2.1", "::", "localhost"])
    func loopbackOnly(host: String) async throws {
        await #expect(throws: SinkServerError.self) { try await SinkServer.start(host: host) }
    }

    @Test("::1 works when IPv6 loopback is configured")
    func ipv6() async throws {
        guard await LoopbackSocket.ipv6LoopbackAvailable() else { return }
        let sink = try await SinkServer.start(host: "::1")
        let client = try await TestSMTPClient.greeted(host: "::1", port: sink.port)
        try await client.expect("QUIT", code: 221)
        await client.close()
        await sink.stop()
    }

    @Test("stop closes open connections and frees the port")
    func stop() async throws {
        let sink = try await SinkServer.start()
        let client = try await TestSMTPClient.afterEHLO(port: sink.port)
        #expect(sink.openConnections == 1)
        await sink.stop()
        #expect(await client.waitForClose())
        let again = try await SinkServer.start(port: sink.port)
        await again.stop()
        await client.close()
    }
}
