import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

/// The daemon runs as its own process here so that its resident memory is
/// its own: the test process's allocations (and other tests running in
/// parallel) would blur a figure read from /proc/self.
@Suite("memory per session stays bounded whatever the client sends")
struct MemoryBoundTests {
    static let megabyte = 1024 * 1024
    /// Growth allowed while 10 MiB stream through: buffering the line would add at least 10 MiB.
    static let allowedGrowthKiB = 5 * 1024

    @Test("a 10 MB command line without a newline is not buffered: 500 5.5.2 when it ends, and RSS grows far less than 10 MB")
    func longCommandLine() async throws {
        let (directory, daemon, port) = try await Self.startDaemon()
        let before = try await Self.baseline(daemon, port: port)
        let client = try await TestSMTPClient.afterEHLO(port: port)
        try await client.send("NOOP ")
        let peak = try await Self.stream(10 * Self.megabyte, to: client, watching: daemon)
        try await client.send("\r\n")
        #expect(try await client.reply().codes == "500 5.5.2")
        let after = max(peak, daemon.residentKiB() ?? 0)
        #expect(after - before < Self.allowedGrowthKiB, "RSS grew from \(before) KiB to \(after) KiB")
        // The session goes on, and so does the server.
        #expect(try await client.command("NOOP").codes == "250 2.0.0")
        await client.close()
        let next = try await TestSMTPClient.afterEHLO(port: port)
        #expect(try await next.command("QUIT").code == 221)
        await next.close()
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        withExtendedLifetime(directory) {}
    }

    @Test("a 10 MB line in DATA over max_message_size is not kept: 552 5.3.4 at the end, and RSS grows far less than 10 MB")
    func longDataLine() async throws {
        let (directory, daemon, port) = try await Self.startDaemon()
        let before = try await Self.baseline(daemon, port: port)
        let client = try await TestSMTPClient.afterEHLO(port: port)
        try await client.beginData(from: "a@shop.example", to: ["b@example.net"])
        try await client.send("Subject: endless\r\n\r\n")
        let peak = try await Self.stream(10 * Self.megabyte, to: client, watching: daemon)
        try await client.send("\r\n.\r\n")
        #expect(try await client.reply().codes == "552 5.3.4")
        let after = max(peak, daemon.residentKiB() ?? 0)
        #expect(after - before < Self.allowedGrowthKiB, "RSS grew from \(before) KiB to \(after) KiB")
        #expect(try await client.command("NOOP").codes == "250 2.0.0")
        await client.close()
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        #expect(OutboxFolder(spool: directory.path + "/spool").messages().count == 1)  // the warm-up message only
    }

    @Test("control: the same measure does see 10 MB kept when a message of that size is allowed")
    func measureSeesBuffering() async throws {
        let (directory, daemon, port) = try await Self.startDaemon(maxMessageSize: 20 * Self.megabyte)
        let before = try await Self.baseline(daemon, port: port)
        let client = try await TestSMTPClient.afterEHLO(port: port)
        try await client.beginData(from: "a@shop.example", to: ["b@example.net"])
        try await client.send("Subject: big\r\n\r\n")
        let peak = try await Self.stream(10 * Self.megabyte, to: client, watching: daemon)
        #expect(peak - before > 8 * 1024, "RSS grew from \(before) KiB to \(peak) KiB only")
        await client.close()
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        withExtendedLifetime(directory) {}
    }

    /// A daemon with a 1 MiB message limit (unless told), its port, and the folder that holds it.
    static func startDaemon(maxMessageSize: Int = megabyte) async throws -> (TemporaryDirectory, DaemonProcess, Int) {
        let directory = try TemporaryDirectory()
        var configuration = DaemonConfiguration(spool: "spool")
        configuration.extra = "[limits]\nmax_message_size = \(maxMessageSize)\n"
        let file = try configuration.write(in: directory)
        let daemon = try DaemonProcess(configurationFile: file, logFile: directory.path + "/poshta.log")
        let port = try #require(try await daemon.waitForPort(), "no port; log:\n\(daemon.log)")
        return (directory, daemon, port)
    }

    /// RSS after one whole session, so that first-use allocations are not counted as growth.
    static func baseline(_ daemon: DaemonProcess, port: Int) async throws -> Int {
        let client = try await TestSMTPClient.afterEHLO(port: port)
        let reply = try await client.sendMail(
            from: "a@shop.example", to: ["b@example.net"], message: "Subject: warm-up\r\n\r\nwarm-up\r\n")
        #expect(reply.code == 250)
        #expect(try await client.command("QUIT").code == 221)
        await client.close()
        try await Task.sleep(for: .milliseconds(200))
        return try #require(daemon.residentKiB())
    }

    /// Sends `count` bytes of "x" in 64 KiB writes, no line end; returns the
    /// highest RSS seen meanwhile and in the moment after (when the server
    /// has read what was in flight).
    static func stream(_ count: Int, to client: TestSMTPClient, watching daemon: DaemonProcess) async throws -> Int {
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        var peak = 0
        for index in 0..<(count / chunk.count) {
            try await client.send(chunk)
            if index % 8 == 0 { peak = max(peak, daemon.residentKiB() ?? 0) }
        }
        for _ in 0..<10 {
            try await Task.sleep(for: .milliseconds(30))
            peak = max(peak, daemon.residentKiB() ?? 0)
        }
        return peak
    }
}
