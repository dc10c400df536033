import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("real SMTP clients send through Poshta: swaks and Python's smtplib")
struct RealClientTests {
    /// A body with a line that starts with a dot (the client must stuff it,
    /// Poshta unstuff it), an empty line, UTF-8 and a long-ish line.
    static let body = "Hello from a real client.\r\n.leading dot\r\n..two dots\r\n\r\nГрüße — 日本\r\n"
        + String(repeating: "0123456789", count: 50) + "\r\nlast line\r\n"

    @Test("swaks sends a message that lands in the outbox with its body intact", arguments: [false, true])
    func swaks(pipelining: Bool) async throws {
        let swaks = try #require(try? ExternalProcess.locate("swaks"), "swaks is not installed: apt-get install swaks")
        let server = try await TestDaemon()
        let bodyFile = try server.directory.write(Self.body, to: "body.txt")
        var arguments = [
            "--server", "127.0.0.1:\(server.port())", "--helo", "swaks.test",
            "--from", "shop@shop.example", "--to", "customer@example.net",
            "--header", "Subject: order confirmed", "--body", "@" + bodyFile,
        ]
        if pipelining { arguments.append("--pipeline") }
        let result = try await ExternalProcess.run(swaks, arguments, timeout: .seconds(30))
        #expect(result.status == 0, "swaks failed:\n\(result.output)\n\(result.error)")
        let id = try #require(Self.queueID(in: result.output), "no queue id in:\n\(result.output)")

        let files = try await server.waitForOutbox(count: 1)
        let message = CapturedMessage(try #require(files["\(id).eml"], "outbox: \(files.keys)"))
        // swaks ends its DATA with empty lines of its own; the body it sent
        // is read back from its transcript, and ours must open it.
        let sent = try #require(Self.dataSentBySwaks(in: result.output), "no DATA in:\n\(result.output)")
        #expect(sent.body == Self.body + "\r\n\r\n", "swaks sent:\n\(sent.body)")
        #expect(message.body == sent.body.bytes, "body:\n\(message.text)")
        let header = String(decoding: message.header, as: UTF8.self)
        #expect(header.hasPrefix("Received: from swaks.test (unknown [127.0.0.1])\r\n"))
        #expect(header.contains("\r\nSubject: order confirmed\r\n"))
        #expect(header.contains("\r\nX-Mailer: swaks"))
        try await server.stop()
    }

    @Test("Python's smtplib sends a message with a UTF-8 subject that lands in the outbox with its body intact")
    func smtplib() async throws {
        let python = try #require(try? ExternalProcess.locate("python3"), "python3 is not installed")
        let server = try await TestDaemon()
        let subject = "Заказ №42 — bestätigt ✓"
        let script = """
            import smtplib, sys
            body = sys.stdin.buffer.read()
            message = b"From: shop@shop.example\\r\\nTo: customer@example.net\\r\\nSubject: " \\
                + "\(subject)".encode("utf-8") + b"\\r\\nContent-Type: text/plain; charset=utf-8\\r\\n\\r\\n" + body
            with smtplib.SMTP("127.0.0.1", \(server.port()), local_hostname="python.test", timeout=20) as client:
                refused = client.sendmail("shop@shop.example", ["customer@example.net", "second@example.org"], message,
                                          mail_options=["BODY=8BITMIME"])
                print("refused:", refused)
            """
        let result = try await ExternalProcess.run(python, ["-c", script], input: Self.body, timeout: .seconds(30))
        #expect(result.status == 0, "python failed:\n\(result.output)\n\(result.error)")
        #expect(result.output.contains("refused: {}"))

        let files = try await server.waitForOutbox(count: 1)
        #expect(files.count == 1)
        let message = CapturedMessage(try #require(files.values.first))
        #expect(message.body == Self.body.bytes, "body:\n\(message.text)")
        let header = String(decoding: message.header, as: UTF8.self)
        #expect(header.contains("\r\nSubject: \(subject)\r\n"))
        #expect(header.hasPrefix("Received: from python.test (unknown [127.0.0.1])\r\n"))
        try await server.stop()
    }

    /// The message swaks wrote after 354, from its transcript (` -> line`),
    /// dot-unstuffed, with CRLF line ends, split into header and body.
    static func dataSentBySwaks(in transcript: String) -> (header: String, body: String)? {
        // swaks prints each line it sent as " -> text", still ending in CR.
        // Split on LF bytes: as a Swift String, "\r\n" is one Character.
        let lines = transcript.utf8.split(separator: 10, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 13 ? line.dropLast() : line[...], as: UTF8.self)
        }
        guard let start = lines.firstIndex(where: { $0.hasPrefix("<-  354") }),
            let end = lines[start...].firstIndex(of: " -> .")
        else { return nil }
        let message = lines[(start + 1)..<end].map { line -> String in
            let text = String(line.dropFirst(4))
            return (text.hasPrefix(".") ? String(text.dropFirst()) : text) + "\r\n"
        }.joined()
        guard let separator = message.range(of: "\r\n\r\n") else { return nil }
        return (String(message[..<separator.lowerBound]), String(message[separator.upperBound...]))
    }

    /// The id in swaks's transcript line `<~  250 2.0.0 Ok: queued as ID`.
    static func queueID(in transcript: String) -> String? {
        for line in transcript.split(separator: "\n") where line.contains("queued as ") {
            return line.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        return nil
    }
}
