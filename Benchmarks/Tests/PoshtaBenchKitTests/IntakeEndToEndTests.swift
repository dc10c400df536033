#if canImport(Glibc)
import Glibc
#endif
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

    @Test(arguments: [[], ["--reuse"], ["--no-pipelining"]])
    func starttlsOnEveryConnection(extra: [String]) throws {
        let server = try FakeSMTPServer(.init(starttls: true))
        defer { server.shutdown() }
        let report = try IntakeBenchmark.run(options(port: server.port, messages: 30, sessions: 3, extra: ["--starttls"] + extra))
        let connections = extra.contains("--reuse") ? 3 : 30
        #expect(report.stats.accepted == 30)
        #expect(report.stats.failed == 0)
        #expect(report.stats.connections == connections)
        #expect(report.stats.handshakes == connections)
        #expect(report.stats.tlsFailures == 0)
        #expect(report.handshakeLatency?.count == connections)
        #expect(report.stats.tlsVersions == ["TLS 1.3": connections])
        #expect(server.handshakes == connections)
        #expect(server.messages.count == 30)
        // STARTTLS right after the first EHLO, and everything after it over TLS.
        let log = server.commandLog
        #expect(log.filter { $0 == "EHLO" }.count == connections)
        #expect(log.filter { $0 == "STARTTLS" }.count == connections)
        #expect(log.filter { $0 == "EHLO/TLS" }.count == connections)
        #expect(log.filter { $0 == "MAIL/TLS" }.count == 30)
        #expect(!log.contains("MAIL") && !log.contains("QUIT"))
        #expect(report.text.contains("handshakes"))
        #expect(report.json.contains(#""handshakes":\#(connections)"#))
        #expect(report.json.contains(#""tls_failures":0"#))
    }

    @Test func starttlsNotOfferedIsATLSFailure() throws {
        let server = try FakeSMTPServer()
        defer { server.shutdown() }
        let report = try IntakeBenchmark.run(options(port: server.port, messages: 6, sessions: 2, extra: ["--starttls"]))
        #expect(report.stats.accepted == 0)
        #expect(report.stats.failed == 6)
        #expect(report.stats.tlsFailures == 6)
        #expect(report.stats.failureReasons == ["STARTTLS not offered": 6])
        #expect(!server.commandLog.contains("MAIL"))
    }

    @Test func brokenHandshakeIsATLSFailure() throws {
        let server = try FakeSMTPServer(.init(starttls: true, closeAfterSTARTTLS: true))
        defer { server.shutdown() }
        let report = try IntakeBenchmark.run(options(port: server.port, messages: 4, sessions: 2, extra: ["--starttls"]))
        #expect(report.stats.accepted == 0)
        #expect(report.stats.failed == 4)
        #expect(report.stats.tlsFailures == 4)
        #expect(report.stats.handshakes == 0)
        #expect(report.stats.firstFailures.allSatisfy { $0.hasPrefix("TLS handshake:") })
    }

    @Test(arguments: [true, false])
    func authPlainAfterTLS(rightPassword: Bool) throws {
        let server = try FakeSMTPServer(.init(starttls: true, credentials: ("shop", "s3cret pass")))
        defer { server.shutdown() }
        let file = "/tmp/poshta-bench-test-\(IntakeBenchmark.randomRunID()).pw"
        #expect(writeFile(file, rightPassword ? "s3cret pass\n" : "wrong\n"))
        defer { _ = unlink(file) }
        let report = try IntakeBenchmark.run(
            options(port: server.port, messages: 8, sessions: 2, extra: ["--starttls", "--reuse", "--auth", "shop:\(file)"])
        )
        if rightPassword {
            // One connection, one handshake and one AUTH per session.
            #expect(report.stats.accepted == 8)
            #expect(report.stats.failed == 0)
            #expect(report.stats.handshakes == 2)
            #expect(server.commandLog.filter { $0 == "AUTH/TLS" }.count == 2)
        } else {
            // A refused AUTH fails the message and ends the connection; the next one tries again.
            #expect(report.stats.accepted == 0)
            #expect(report.stats.failed == 8)
            #expect(report.stats.handshakes == 8)
            #expect(server.commandLog.filter { $0 == "AUTH/TLS" }.count == 8)
            #expect(report.stats.tlsFailures == 0)
            #expect(report.stats.firstFailures.allSatisfy { $0 == "AUTH: 535 5.7.8 Authentication credentials invalid" })
            #expect(!server.commandLog.contains("MAIL/TLS"))
        }
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

/// Writes `text` to a new file at `path`; whether it worked.
func writeFile(_ path: String, _ text: String) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return text.withCString { write(fd, $0, strlen($0)) } == text.utf8.count
}
