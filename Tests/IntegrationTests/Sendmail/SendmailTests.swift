import Foundation
import PoshtaTestSupport
import Testing

/// `poshta sendmail` run as the real binary, the way PHP's `mail()` runs
/// it, against a real daemon on loopback whose capture route writes what
/// it delivers to the outbox.
@Suite("poshta sendmail, run as the real binary against a running daemon")
struct SendmailTests {
    /// A daemon on a free loopback port, and a configuration file for
    /// sendmail that names that port (the daemon's own file says port 0).
    private struct Running {
        let directory: TemporaryDirectory
        let daemon: DaemonProcess
        let outbox: OutboxFolder
        let configuration: String

        init() async throws {
            directory = try TemporaryDirectory(prefix: "poshta-sendmail")
            let settings = DaemonConfiguration(spool: "spool")
            let daemonFile = try settings.write(in: directory)
            daemon = try DaemonProcess(configurationFile: daemonFile, logFile: directory.path + "/daemon.log")
            let port = try #require(try await daemon.waitForPort(), "the daemon did not start; log:\n\(daemon.log)")
            var forSendmail = settings
            forSendmail.listeners = ["127.0.0.1:\(port)"]
            configuration = try forSendmail.write(in: directory, name: "sendmail.toml")
            outbox = OutboxFolder(spool: directory.path + "/spool")
        }

        /// The message queued under the id `-v` printed, once delivered to the outbox.
        func delivered(_ result: ExternalProcess.Result) async throws -> CapturedMessage {
            let id = try #require(
                result.error.firstRange(of: "queued as ").map { result.error[$0.upperBound...].prefix { $0.isLetter || $0.isNumber } },
                "no queue id on stderr: \(result.error)")
            let files = try await outbox.waitFor([String(id)], timeout: .seconds(20))
            return CapturedMessage(try #require(files[String(id)], "\(id) not in the outbox; log:\n\(daemon.log)"))
        }

        /// The delivery log line for `recipient`, once there.
        func deliveryLine(for recipient: String) async throws -> String? {
            try await daemon.waitForLog("to=<\(recipient)>, relay=capture")
        }

        func stop() async throws {
            daemon.signal(SIGTERM)
            _ = try await daemon.waitForExit(timeout: .seconds(10))
        }
    }

    /// What PHP hands sendmail: LF line endings, the recipients in the header.
    static let phpMessage = """
        From: Shop <shop@shop.example>
        To: "Doe, Jane" <jane@example.net>,
         bob@example.net
        Cc: carol@example.org
        Bcc: hidden@example.com
        Subject: Order 1042

        Thank you for your order.
        .
        ..two leading dots
        Last line.

        """

    @Test("-t -i: To, Cc and Bcc recipients get the message, Bcc is gone, lines end in CRLF, the content is intact")
    func phpMail() async throws {
        let running = try await Running()
        let result = try await ExternalProcess.run(
            DaemonProcess.binary, ["sendmail", "-t", "-i", "-v", "-C", running.configuration], input: Self.phpMessage)
        #expect(result.status == 0, "stderr: \(result.error)")
        #expect(result.output.isEmpty, "stdout must stay clean for the calling program: \(result.output)")

        let message = try await running.delivered(result)
        let text = message.text
        #expect(!text.contains("Bcc"), "\(text)")
        #expect(!text.contains("hidden@example.com"), "\(text)")
        for (index, byte) in message.bytes.enumerated() where byte == 0x0A {
            #expect(index > 0 && message.bytes[index - 1] == 0x0D, "bare LF at offset \(index)")
        }
        #expect(text.contains("\r\nTo: \"Doe, Jane\" <jane@example.net>,\r\n bob@example.net\r\nCc: carol@example.org\r\n"))
        #expect(text.contains("\r\nSubject: Order 1042\r\n"))
        #expect(text.contains("\r\nFrom: Shop <shop@shop.example>\r\n"))
        let body = try #require(message.body)
        #expect(String(decoding: body, as: UTF8.self) == "Thank you for your order.\r\n.\r\n..two leading dots\r\nLast line.\r\n")

        for recipient in ["jane@example.net", "bob@example.net", "carol@example.org", "hidden@example.com"] {
            let line = try await running.deliveryLine(for: recipient)
            #expect(line?.contains("status=sent") == true, "no delivery to \(recipient); log:\n\(running.daemon.log)")
        }
        #expect(running.daemon.log.contains("nrcpt=4"), "\(running.daemon.log)")
        try await running.stop()
    }

    @Test("run through a link named sendmail with $POSHTA_CONFIG: recipients from the command line, From added with -F")
    func sendmailLink() async throws {
        let running = try await Running()
        let link = running.directory.path + "/sendmail"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: DaemonProcess.binary)
        let result = try await ExternalProcess.run(
            "/usr/bin/env",
            ["POSHTA_CONFIG=\(running.configuration)", link, "-i", "-v", "-F", "Магазин", "-f", "shop@shop.example",
             "customer@example.net"],
            input: "Subject: Your order\n\nShipped.\n")
        #expect(result.status == 0, "stderr: \(result.error)")

        let message = try await running.delivered(result)
        #expect(message.text.contains("\r\nFrom: =?UTF-8?B?0JzQsNCz0LDQt9C40L0=?= <shop@shop.example>\r\n"), "\(message.text)")
        #expect(message.body.map { String(decoding: $0, as: UTF8.self) } == "Shipped.\r\n")
        let line = try await running.deliveryLine(for: "customer@example.net")
        #expect(line?.contains("status=sent") == true, "log:\n\(running.daemon.log)")
        #expect(running.daemon.log.contains("from=<shop@shop.example>"))
        try await running.stop()
    }

    @Test("one refused recipient: nobody gets the message, and sendmail fails naming the recipient")
    func partialRefusal() async throws {
        let running = try await Running()
        // The relay policy refuses address tricks such as user%host@.
        let result = try await ExternalProcess.run(
            DaemonProcess.binary,
            ["sendmail", "-i", "-C", running.configuration, "good@example.net", "user%elsewhere.example@example.net"],
            input: "Subject: half\n\nNobody must get this.\n")
        #expect(result.status == 69 || result.status == 67, "stderr: \(result.error)")
        #expect(result.error.contains("user%elsewhere.example@example.net refused: 5"), "\(result.error)")
        #expect(result.error.contains("the message was NOT sent"))
        #expect(!result.error.contains("good@example.net"), "\(result.error)")

        try await Task.sleep(for: .seconds(1))
        #expect(!running.daemon.log.contains("nrcpt="), "a message was queued; log:\n\(running.daemon.log)")
        #expect(running.outbox.messages().isEmpty)
        try await running.stop()
    }

    @Test("with the daemon down, sendmail exits 75 and says the message was not sent")
    func daemonDown() async throws {
        let directory = try TemporaryDirectory(prefix: "poshta-sendmail")
        // A port that was free a moment ago, and that nobody listens on now.
        let socket = try await LoopbackSocket(host: "127.0.0.1")
        let port = socket.port
        await socket.close()
        var settings = DaemonConfiguration(spool: "spool")
        settings.listeners = ["127.0.0.1:\(port)"]
        let file = try settings.write(in: directory, name: "sendmail.toml")

        let result = try await ExternalProcess.run(
            DaemonProcess.binary, ["sendmail", "-t", "-i", "-C", file], input: Self.phpMessage)
        #expect(result.status == 75)
        #expect(result.error.hasPrefix("poshta sendmail: cannot connect to the mail server at 127.0.0.1:\(port) (connection refused"), "\(result.error)")
        #expect(result.error.contains("the message was NOT sent"))
        #expect(result.error.split(separator: "\n").count == 1, "one line: \(result.error)")
    }
}
