import Foundation
import MIME
import PoshtaTestSupport
import Testing

/// What Python's email package reads from a message.
struct PythonReading: Decodable {
    var subject: String
    var fromName: String
    var fromAddress: String
    var to: [String]
    var contentType: String
    var text: String?
    var html: String?
    var defects: [String]
}

@Suite("Python's email package reads what we build")
struct PythonEmailInteropTests {
    static let python = "/usr/bin/python3"

    /// Parses stdin with the modern policy and prints what a mail client would show.
    static let script = """
        import sys, json, email, email.policy
        msg = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
        text = msg.get_body(preferencelist=('plain',))
        html = msg.get_body(preferencelist=('html',))
        sender = msg['from'].addresses[0]
        defects = [type(d).__name__ for part in msg.walk() for d in part.defects]
        defects += [type(d).__name__ for name, value in msg.items() for d in getattr(value, 'defects', ())]
        print(json.dumps({
            'subject': str(msg['subject']),
            'fromName': sender.display_name,
            'fromAddress': sender.addr_spec,
            'to': [a.addr_spec for a in msg['to'].addresses],
            'contentType': msg.get_content_type(),
            'text': text.get_content() if text is not None else None,
            'html': html.get_content() if html is not None else None,
            'defects': defects,
        }))
        """

    /// Runs the script on `message`.
    static func read(_ message: [UInt8]) throws -> PythonReading {
        // The script reads all of stdin before it writes.
        let (status, printed, complaints) = try ExternalProcess.runBlocking(python, ["-I", "-c", script], input: message)
        #expect(status == 0, "python3: \(complaints)")
        return try JSONDecoder().decode(PythonReading.self, from: Data(printed))
    }

    /// Python may give back LF where the message had CRLF; compare line content, not line ends.
    static func lines(_ text: String?) -> String? {
        text?.replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// Runs of spaces as one.
    static func collapsed(_ text: String) -> String {
        text.split(separator: " ").joined(separator: " ")
    }

    @Test(
        "subject, sender name, text and HTML read back through email.message_from_bytes",
        .enabled(if: FileManager.default.isExecutableFile(atPath: python), "python3 is absent at /usr/bin/python3"),
        arguments: RoundTripCase.all)
    func alternative(_ sample: RoundTripCase) throws {
        var builder = MIMEBuilder(
            from: .init("shop@example.bg", displayName: sample.displayName),
            to: [.init("ivan@example.bg", displayName: "Иван Иванов"), .init("maria@example.mk", displayName: "Ivanov, Maria")],
            subject: sample.subject, body: .alternative(text: sample.text, html: sample.html))
        builder.date = RFC5322Date.format(secondsSince1970: 1_795_417_793)
        builder.messageID = "<1042.paid@example.bg>"
        builder.extraFields = [HeaderField("Auto-Submitted", "auto-generated")]
        let reading = try Self.read(try builder.build())
        #expect(reading.defects == [])
        #expect(reading.contentType == "multipart/alternative")
        #expect(reading.subject == MIMERoundTripTests.oneLine(sample.subject))
        // Python keeps the blank between two encoded-words of a display name (RFC 2047
        // §6.2 says to drop it), so a long name may come back with a double space.
        #expect(Self.collapsed(reading.fromName) == Self.collapsed(sample.displayName))
        #expect(reading.fromAddress == "shop@example.bg")
        #expect(reading.to == ["ivan@example.bg", "maria@example.mk"])
        #expect(Self.lines(reading.text) == Self.lines(MIMEBuilder.canonicalText(sample.text).text))
        #expect(Self.lines(reading.html) == Self.lines(MIMEBuilder.canonicalText(sample.html).text))
    }

    @Test(
        "a single text part reads back too",
        .enabled(if: FileManager.default.isExecutableFile(atPath: python), "python3 is absent at /usr/bin/python3"))
    func single() throws {
        let text = "Здравейте!\nПоръчка №1042 е платена — благодарим ви!\n"
        let builder = MIMEBuilder(
            from: .init("shop@example.bg", displayName: "Магазин „Роза“"), to: [.init("ivan@example.bg")],
            subject: "Поръчка №1042 е платена — благодарим ви!", body: .text(text))
        let reading = try Self.read(try builder.build())
        #expect(reading.defects == [])
        #expect(reading.contentType == "text/plain")
        #expect(reading.subject == "Поръчка №1042 е платена — благодарим ви!")
        #expect(reading.fromName == "Магазин „Роза“")
        #expect(Self.lines(reading.text) == Self.lines(text))
        #expect(reading.html == nil)
    }
}
