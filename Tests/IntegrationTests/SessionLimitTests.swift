import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("session limits: connections, idle time, error budget")
struct SessionLimitTests {
    @Test("with max_connections = 3 the fourth connection gets 421 4.7.0 and is closed; a freed slot is reused")
    func connectionLimit() async throws {
        let server = try await TestDaemon(configuration: "[limits]\nmax_connections = 3\n")
        var open: [TestSMTPClient] = []
        for _ in 0..<3 { open.append(try await TestSMTPClient.greeted(port: server.port())) }

        let fourth = try await TestSMTPClient.connect(port: server.port())
        #expect(try await fourth.reply().codes == "421 4.7.0")
        #expect(await fourth.waitForClose(timeout: .seconds(5)))
        await fourth.close()

        // The three admitted sessions still work.
        for client in open { #expect(try await client.command("NOOP").code == 250) }

        #expect(try await open[0].command("QUIT").code == 221)
        #expect(await open[0].waitForClose(timeout: .seconds(5)))
        await open[0].close()
        // The slot is freed once the server has seen the close: retry, bounded.
        let deadline = ContinuousClock.now + .seconds(5)
        var greeting: SMTPReply?
        while ContinuousClock.now < deadline {
            let client = try await TestSMTPClient.connect(port: server.port())
            let reply = try await client.reply()
            if reply.code == 220 {
                greeting = reply
                #expect(try await client.command("QUIT").code == 221)
            }
            await client.close()
            if greeting != nil { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(greeting?.code == 220)
        for client in open.dropFirst() { await client.close() }
        try await server.stop()
    }

    /// 10 s rather than 1: with the whole suite running in parallel on a
    /// loaded 2-core machine (daemons, tmux, Python, curl beside it), the
    /// moments between a greeting and the client's EHLO, or between EHLO and
    /// the start of DATA, have been seen to pass 6 s in CI.
    static let shortIdleTimeout = "[limits]\nidle_timeout = 10\n"

    @Test("a client silent for longer than idle_timeout gets 421 4.4.2 and is closed")
    func idleTimeout() async throws {
        let server = try await TestDaemon(configuration: Self.shortIdleTimeout)
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        let start = ContinuousClock.now
        let reply = try await client.reply(timeout: .seconds(25))
        let waited = ContinuousClock.now - start
        #expect(reply.codes == "421 4.4.2")
        #expect(waited >= .seconds(5), "timed out after \(waited), before idle_timeout")
        #expect(await client.waitForClose(timeout: .seconds(5)))
        await client.close()
        try await server.stop()
    }

    @Test("a client silent in the middle of DATA is timed out too, and nothing is queued")
    func idleTimeoutInData() async throws {
        let server = try await TestDaemon(configuration: Self.shortIdleTimeout)
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        try await client.beginData(from: "a@shop.example", to: ["b@example.net"])
        try await client.send("Subject: slow\r\n\r\nhalf a mess")
        #expect(try await client.reply(timeout: .seconds(25)).codes == "421 4.4.2")
        #expect(await client.waitForClose(timeout: .seconds(5)))
        try await expectNothingQueued(server)
        await client.close()
        try await server.stop()
    }

    @Test("the tenth error in a session is answered, then 421 4.7.0, then the connection is closed")
    func errorBudget() async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        for _ in 1...9 { #expect(try await client.command("FOO").codes == "500 5.5.1") }
        // Nine errors: the session is still usable.
        #expect(try await client.command("NOOP").code == 250)
        #expect(try await client.command("FOO").codes == "500 5.5.1")
        #expect(try await client.reply().codes == "421 4.7.0")
        #expect(await client.waitForClose(timeout: .seconds(5)))
        await client.close()
        // Only that session ended.
        let next = try await TestSMTPClient.afterEHLO(port: server.port())
        #expect(try await next.command("QUIT").code == 221)
        await next.close()
        try await server.stop()
    }

    @Test("ten pipelined errors are answered in order, then 421, and nothing after them is read")
    func errorBudgetPipelined() async throws {
        let server = try await TestDaemon()
        let client = try await TestSMTPClient.afterEHLO(port: server.port())
        try await client.send(String(repeating: "BOGUS\r\n", count: 10) + "NOOP\r\n")
        for _ in 1...10 { #expect(try await client.reply().codes == "500 5.5.1") }
        #expect(try await client.reply().codes == "421 4.7.0")
        #expect(await client.waitForClose(timeout: .seconds(5)))
        #expect(await client.unexpectedReply(within: .milliseconds(100)) == nil)
        await client.close()
        try await server.stop()
    }
}
