import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("the binary's lifecycle: graceful stop, a listener that cannot be bound")
struct GracefulStopTests {
    @Test("SIGTERM or SIGINT with no session open: exit status 0 within a few seconds", arguments: [SIGTERM, SIGINT])
    func stopWhenIdle(_ signal: Int32) async throws {
        let directory = try TemporaryDirectory()
        let file = try DaemonConfiguration(spool: "spool").write(in: directory)
        let daemon = try DaemonProcess(configurationFile: file, logFile: directory.path + "/poshta.log")
        _ = try #require(try await daemon.waitForPort(), "no port; log:\n\(daemon.log)")
        let start = ContinuousClock.now
        daemon.signal(signal)
        let status = try await daemon.waitForExit(timeout: .seconds(10))
        #expect(status == 0, "log:\n\(daemon.log)")
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test("on SIGTERM a session in the middle of DATA still gets its 250, an idle one gets 421, and the message is delivered")
    func stopDuringData() async throws {
        let directory = try TemporaryDirectory()
        let spool = directory.path + "/spool"
        let file = try DaemonConfiguration(spool: "spool").write(in: directory)
        let daemon = try DaemonProcess(configurationFile: file, logFile: directory.path + "/poshta.log")
        let port = try #require(try await daemon.waitForPort(), "no port; log:\n\(daemon.log)")

        let idle = try await TestSMTPClient.afterEHLO(port: port)
        let sending = try await TestSMTPClient.afterEHLO(port: port)
        try await sending.beginData(from: "a@shop.example", to: ["b@example.net"])
        let body = "the first half,\r\n" + String(repeating: "and more\r\n", count: 100) + "the second half.\r\n"
        try await sending.send("Subject: caught by SIGTERM\r\n\r\nthe first half,\r\n")

        let start = ContinuousClock.now
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForLog("stopping", timeout: .seconds(5)) != nil, "log:\n\(daemon.log)")
        // The log line comes just before the sessions are told; give them a moment.
        try await Task.sleep(for: .milliseconds(200))

        try await sending.send(String(body.dropFirst("the first half,\r\n".count)) + ".\r\n")
        let reply = try await sending.reply()
        let id = try #require(reply.queueID, "the message in DATA was refused: \(reply)")
        // Then the session ends: 421, or at least a close.
        let closing = try? await sending.reply(timeout: .seconds(5))
        #expect(closing == nil || closing?.codes == "421 4.3.2", "after the 250: \(closing.map(\.description) ?? "")")
        #expect(await sending.waitForClose(timeout: .seconds(5)))
        // The idle session was told at once (not closed unanswered after shutdown_timeout).
        let idleReply = try? await idle.reply(timeout: .seconds(1))
        #expect(idleReply?.codes == "421 4.3.2", "the idle session got \(idleReply.map(\.description) ?? "no reply")")
        #expect(await idle.waitForClose(timeout: .seconds(5)))
        #expect(try await daemon.waitForExit(timeout: .seconds(10)) == 0, "log:\n\(daemon.log)")
        #expect(ContinuousClock.now - start < .seconds(5))
        await idle.close()
        await sending.close()

        // Delivered before the exit, or else after a restart.
        let outbox = OutboxFolder(spool: spool)
        var files = outbox.messages()
        if files[id] == nil {
            let again = try DaemonProcess(configurationFile: file, logFile: directory.path + "/again.log")
            _ = try #require(try await again.waitForPort(), "no port after restart; log:\n\(again.log)")
            files = try await outbox.waitFor([id], timeout: .seconds(10))
            again.signal(SIGTERM)
            #expect(try await again.waitForExit() == 0)
        }
        let message = CapturedMessage(try #require(files[id], "\(id) was never delivered"))
        #expect(message.body == Array(body.utf8))
        #expect(files.count == 1)
    }

    @Test("a listener address already in use stops start-up: non-zero exit, and stderr names the address and says it is in use")
    func portInUse() async throws {
        let occupant = try await LoopbackSocket(host: "127.0.0.1")
        let port = occupant.port
        let directory = try TemporaryDirectory()
        var configuration = DaemonConfiguration(spool: "spool")
        configuration.listeners = ["127.0.0.1:\(port)"]
        let file = try configuration.write(in: directory)
        let result = try await ExternalProcess.run(
            DaemonProcess.binary, ["serve", "--config", file], timeout: .seconds(20))
        await occupant.close()
        #expect(result.status != 0)
        #expect(result.error.contains("127.0.0.1:\(port)"), "stderr:\n\(result.error)")
        #expect(result.error.contains("in use"), "stderr:\n\(result.error)")
    }
}
