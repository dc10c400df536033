import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("certificate reload on SIGHUP, with the real binary")
struct CertificateReloadTests {
    @Test("after SIGHUP a new session sees the new certificate, and a session in TLS before it finishes its message")
    func reloadOnSIGHUP() async throws {
        let directory = try TemporaryDirectory()
        try TestCertificate.write(in: directory, hostname: "old.test")
        var configuration = DaemonConfiguration(spool: directory.path + "/spool")
        configuration.listenerSettings = "tls = \"starttls\"\n"
        let file = try configuration.write(in: directory)
        let daemon = try DaemonProcess(configurationFile: file, logFile: directory.path + "/poshta.log")
        let port = try #require(try await daemon.waitForPort(), "no listening line:\n\(daemon.log)")

        // An open session, in TLS with the old certificate, in the middle of DATA.
        let old = try await TestSMTPClient.afterStartTLS(port: port)
        #expect(try await old.peerCommonName() == "old.test")
        try await old.beginData(from: "shop@shop.example", to: ["customer@example.net"])
        try await old.send("Subject: across a reload\r\n\r\nfirst half\r\n")

        try TestCertificate.write(in: directory, hostname: "new.test")
        daemon.signal(SIGHUP)
        let reloaded = try await daemon.waitForLog("reloaded the TLS certificate", timeout: .seconds(10))
        #expect(reloaded != nil, "no reload line; log:\n\(daemon.log)")

        let new = try await TestSMTPClient.afterStartTLS(port: port)
        #expect(try await new.peerCommonName() == "new.test")
        #expect(try await new.command("QUIT").code == 221)
        await new.close()

        try await old.send("second half\r\n.\r\n")
        let queued = try await old.reply()
        let id = try #require(queued.queueID, "the old session's message got \(queued)")
        #expect(try await old.peerCommonName() == "old.test")
        #expect(try await old.command("QUIT").code == 221)
        await old.close()
        let files = try await OutboxFolder(spool: configuration.spool).waitFor([id], timeout: .seconds(10))
        let message = CapturedMessage(try #require(files[id], "not delivered: \(id)"))
        #expect(message.body == Array("first half\r\nsecond half\r\n".utf8))

        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
