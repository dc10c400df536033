import PoshtaTestSupport
import SMTPProtocol
import Testing

/// A connection refused at once (AUTH cool-down, max_connections) gets its
/// 421 on an implicit-TLS listener too: inside TLS, before the close.
@Suite("refusals at connect on an implicit-TLS listener reach the client")
struct ImplicitTLSRefusalTests {
    static let listener = """
        [[listener]]
        address = "127.0.0.1:0"
        mode = "submission"
        tls = "implicit"

        """

    /// What each of `attempts` new TLS connections hears first: reply codes, or the error.
    func firstReplies(port: Int, attempts: Int) async -> [String] {
        var outcomes: [String] = []
        for _ in 0..<attempts {
            do {
                let client = try await TestSMTPClient.connect(port: port, tls: true)
                outcomes.append(try await client.reply(timeout: .seconds(5)).codes)
                await client.close()
            } catch {
                outcomes.append("\(error)")
            }
        }
        return outcomes
    }

    func expectAllRefused(_ outcomes: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let missed = outcomes.filter { $0 != "421 4.7.0" }
        #expect(
            missed.isEmpty, "\(missed.count) of \(outcomes.count) connections got no 421: \(Set(missed).sorted())",
            sourceLocation: sourceLocation)
    }

    @Test("a client in the AUTH cool-down is told 421 4.7.0 in TLS, not cut off in the handshake")
    func coolDownRefusal() async throws {
        let server = try await TestDaemon(
            configuration: Self.listener + "[auth]\nmax_failures = 1\ncool_down = 60\n", tls: true,
            users: [("bob@shop.example", "right-password", [])])
        let client = try await TestSMTPClient.implicitTLSAfterEHLO(port: server.port())
        #expect(try await client.authPlain(user: "bob@shop.example", password: "wrong").codes == "535 5.7.8")
        #expect(try await client.reply().codes == "421 4.7.0")
        await client.close()

        let outcomes = await firstReplies(port: server.port(), attempts: 20)
        expectAllRefused(outcomes)
        #expect(server.logs.matching("refused: in the cool-down").count == 20)
        try await server.stop()
    }

    @Test("a connection over max_connections is told 421 4.7.0 in TLS, not cut off in the handshake")
    func connectionLimitRefusal() async throws {
        let server = try await TestDaemon(
            configuration: Self.listener + "[limits]\nmax_connections = 1\n", tls: true)
        let admitted = try await TestSMTPClient.implicitTLSAfterEHLO(port: server.port())
        let outcomes = await firstReplies(port: server.port(), attempts: 20)
        expectAllRefused(outcomes)
        #expect(try await admitted.command("NOOP").code == 250)
        await admitted.close()
        try await server.stop()
    }
}
