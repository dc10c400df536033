import Testing

@testable import PoshtaBenchKit

/// The whole `intake` and `idle` modes against ``FakeSMTPServer``.
@Suite(.serialized) struct IntakeEndToEndTests {
    private func options(port: Int, messages: Int, sessions: Int, extra: [String] = []) throws -> IntakeOptions {
        try IntakeOptions(arguments: [
            "--target", "127.0.0.1:\(port)", "--messages", "\(messages)", "--sessions", "\(sessions)",
            "--size", "3000", "--time-limit", "30",
        ] + extra)
    }

    @Test(arguments: [[], ["--reuse"], ["--no-pipelining"], ["--reuse", "--no-pipelining"]])
    func everyMessageArrivesIntact(extra: [String]) throws {
        let server = try FakeSMTPServer()
        defer { server.shutdown() }
        let report = try IntakeBenchmark.run(options(port: server.port, messages: 40, sessions: 4, extra: extra))
        #expect(report.stats.accepted == 40)
        #expect(report.stats.failed == 0)
        #expect(report.latency?.count == 40)
        #expect(report.stats.connections == (extra.contains("--reuse") ? 4 : 40))
        let messages = server.messages
        #expect(messages.count == 40)
        #expect(Set(messages.map { $0.utf8.count }) == [report.messageSize])
        #expect(Set(messages.map { $0.prefix(40) }).count == 40)  // distinct Message-IDs
        let log = server.commandLog
        #expect(log.filter { $0 == "RSET" }.count == (extra.contains("--reuse") ? 36 : 0))
        #expect(log.filter { $0 == "QUIT" }.count == report.stats.connections)
    }

    @Test func refusalsAreCountedWithTheirReply() throws {
        let server = try FakeSMTPServer(.init(rejectEvery: 4))
        defer { server.shutdown() }
        let report = try IntakeBenchmark.run(options(port: server.port, messages: 20, sessions: 2))
        #expect(report.stats.accepted == 15)
        #expect(report.stats.failed == 5)
        #expect(report.stats.failureReasons == ["end of data: 451 4.3.0 try again later": 5])
        #expect(report.json.contains(#""failed":5"#))
    }

    @Test func noServerMeansFailuresNotAHang() throws {
        let server = try FakeSMTPServer()
        let port = server.port
        server.shutdown()
        let report = try IntakeBenchmark.run(options(port: port, messages: 5, sessions: 2))
        #expect(report.stats.accepted == 0)
        #expect(report.stats.failed == 5)
        #expect(report.stats.firstFailures.allSatisfy { $0.hasPrefix("connect:") })
    }

    @Test func timeLimitStopsTheRun() throws {
        let server = try FakeSMTPServer()
        defer { server.shutdown() }
        var opts = try options(port: server.port, messages: 1_000_000, sessions: 2, extra: ["--rate", "50"])
        opts.timeLimit = 1
        let report = try IntakeBenchmark.run(opts)
        #expect(report.timeLimited)
        #expect(report.stats.accepted > 10 && report.stats.accepted < 200)
        #expect(report.stats.failed == 0)
        #expect(report.wallSeconds < 3)
    }

    @Test func idleHoldsConnections() throws {
        let server = try FakeSMTPServer()
        defer { server.shutdown() }
        let options = try IdleOptions(arguments: [
            "--target", "127.0.0.1:\(server.port)", "--connections", "50", "--hold", "0", "--time-limit", "20",
        ])
        let report = try IdleBenchmark.run(options)
        #expect(report.opened == 50)
        #expect(report.stillOpen == 50)
        #expect(report.failed == 0)
        #expect(server.commandLog.filter { $0 == "EHLO" }.count == 50)
    }
}
