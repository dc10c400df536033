import MIME
import Testing

@Suite("building messages")
struct MIMEBuilderTests {
    @Test("a text-only ASCII message, byte for byte")
    func textOnly() throws {
        let builder = MIMEBuilder(
            from: .init("shop@example.com", displayName: "Shop"), to: [.init("ivan@example.com")], subject: "Hello",
            body: .text("Hi there"))
        #expect(
            try builder.build().text == """
                From: Shop <shop@example.com>\r
                To: ivan@example.com\r
                Subject: Hello\r
                MIME-Version: 1.0\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: 7bit\r
                \r
                Hi there\r

                """)
    }

    @Test("multipart/alternative in Bulgarian, byte for byte: text first, HTML last, encodings per part")
    func alternative() throws {
        var builder = MIMEBuilder(
            from: .init("shop@example.bg", displayName: "Магазин Роза"),
            to: [.init("ivan@example.bg", displayName: "Ivan"), .init("maria@example.bg")],
            subject: "Поръчка №1042",
            body: .alternative(text: "Здравейте!\nПоръчка №1042 е платена.", html: "<p>Thank you — see you soon.</p>"))
        builder.replyTo = [.init("help@example.bg")]
        builder.date = "Mon, 23 Nov 2026 07:01:02 +0000"
        builder.messageID = "1042.paid@example.bg"
        builder.extraFields = [HeaderField("Auto-Submitted", "auto-generated")]
        builder.boundary = "=_b1"
        #expect(
            try builder.build().text == """
                Date: Mon, 23 Nov 2026 07:01:02 +0000\r
                From: =?UTF-8?B?0JzQsNCz0LDQt9C40L0g0KDQvtC30LA=?= <shop@example.bg>\r
                To: Ivan <ivan@example.bg>, maria@example.bg\r
                Reply-To: help@example.bg\r
                Subject: =?UTF-8?B?0J/QvtGA0YrRh9C60LAg4oSWMTA0Mg==?=\r
                Message-ID: <1042.paid@example.bg>\r
                Auto-Submitted: auto-generated\r
                MIME-Version: 1.0\r
                Content-Type: multipart/alternative; boundary="=_b1"\r
                \r
                --=_b1\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: base64\r
                \r
                0JfQtNGA0LDQstC10LnRgtC1IQ0K0J/QvtGA0YrRh9C60LAg4oSWMTA0MiDQtSDQv9C70LDRgtC1\r
                0L3QsC4NCg==\r
                --=_b1\r
                Content-Type: text/html; charset=utf-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                <p>Thank you =E2=80=94 see you soon.</p>\r
                \r
                --=_b1--\r

                """)
    }

    @Test(
        "the transfer encoding: 7bit for short-lined ASCII without From lines, else the shorter of quoted-printable and base64",
        arguments: [
            ("Plain ASCII.\r\n", MIMETransferEncoding.sevenBit),
            (String(repeating: "a", count: 998) + "\r\n", .sevenBit),
            (String(repeating: "a", count: 999) + "\r\n", .quotedPrintable),
            ("Un café, s'il vous plaît, avec un croissant et la note.\r\n", .quotedPrintable),
            ("Поръчка №1042 е платена.\r\n", .base64),
            ("NUL \u{0} inside\r\n", .quotedPrintable),
            ("lone\nLF", .quotedPrintable),
            ("Hello\r\nFrom me\r\n", .quotedPrintable),
            ("From: not at a line start. From me\r\nFromage\r\n", .sevenBit),
        ])
    func encodingChoice(text: String, expected: MIMETransferEncoding) {
        #expect(MIMETransferEncoding.preferred(for: text.bytes) == expected)
    }

    @Test("texts are canonical: CRLF line breaks and a final one")
    func canonicalText() {
        #expect(MIMEBuilder.canonicalText("a\nb\r\nc\rd").text == "a\r\nb\r\nc\r\nd\r\n")
        #expect(MIMEBuilder.canonicalText("a\r\n").text == "a\r\n")
        #expect(MIMEBuilder.canonicalText("\r\r\n\n").text == "\r\n\r\n\r\n")
        #expect(MIMEBuilder.canonicalText("").isEmpty)
    }

    @Test("random boundaries differ, start with =_ and are checked against the content")
    func randomBoundary() throws {
        let builder = MIMEBuilder(
            from: .init("a@example.com"), to: [.init("b@example.com")], subject: "x", body: .alternative(text: "t", html: "h"))
        let first = try MIMEMessage(parsing: try builder.build()).root.contentType.boundary ?? ""
        let second = try MIMEMessage(parsing: try builder.build()).root.contentType.boundary ?? ""
        #expect(first != second)
        #expect(first.hasPrefix("=_") && first.utf8.count == 34)

        var fixed = builder
        fixed.body = .alternative(text: "contains =_zz here", html: "<p/>")
        fixed.boundary = "=_zz"
        #expect(throws: MIMEBuildError.boundaryInContent("=_zz")) { try fixed.build() }
        fixed.boundary = "bad boundary "
        #expect(throws: MIMEBuildError.invalidBoundary("bad boundary ")) { try fixed.build() }
        var random = SplitMix64(seed: 1)
        fixed.boundary = nil
        #expect(try fixed.build(using: &random) == (try { var again = SplitMix64(seed: 1); return try fixed.build(using: &again) }()))
    }

    @Test("HTML-only and empty bodies")
    func otherBodies() throws {
        let html = MIMEBuilder(from: .init("a@example.com"), to: [], subject: "", body: .html("<b>hi</b>"))
        let built = try html.build().text
        #expect(!built.contains("To:"))
        #expect(built.contains("Subject:\r\n"))
        #expect(built.hasSuffix("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n<b>hi</b>\r\n"))
        let empty = MIMEBuilder(from: .init("a@example.com"), to: [.init("b@example.com")], subject: "e", body: .text(""))
        #expect(try empty.build().text.hasSuffix("Content-Transfer-Encoding: 7bit\r\n\r\n"))
    }

    @Test("fields that could break the header are refused")
    func refused() {
        func build(_ change: (inout MIMEBuilder) -> Void) throws {
            var builder = MIMEBuilder(from: .init("a@example.com"), to: [.init("b@example.com")], subject: "s", body: .text("t"))
            change(&builder)
            _ = try builder.build()
        }
        #expect(throws: MIMEBuildError.invalidAddress("a b@example.com")) { try build { $0.from = .init("a b@example.com") } }
        #expect(throws: MIMEBuildError.invalidAddress("no-at-sign")) { try build { $0.to = [.init("no-at-sign")] } }
        #expect(throws: MIMEBuildError.invalidAddress("x@y>\r\nBcc: z@w")) { try build { $0.cc = [.init("x@y>\r\nBcc: z@w")] } }
        #expect(throws: MIMEBuildError.invalidAddress("иван@example.bg")) { try build { $0.replyTo = [.init("иван@example.bg")] } }
        #expect(throws: MIMEBuildError.invalidFieldValue(name: "X-Tag")) {
            try build { $0.extraFields = [HeaderField("X-Tag", "a\r\nBcc: z@example.com")] }
        }
        #expect(throws: MIMEBuildError.invalidFieldName("Bad Name")) { try build { $0.extraFields = [HeaderField("Bad Name", "v")] } }
        #expect(throws: MIMEBuildError.reservedField("content-type")) { try build { $0.extraFields = [HeaderField("content-type", "text/html")] } }
        #expect(throws: MIMEBuildError.invalidMessageID("<no-at>")) { try build { $0.messageID = "<no-at>" } }
        #expect(throws: MIMEBuildError.invalidFieldValue(name: "Date")) { try build { $0.date = "Mon\r\n" } }
    }

    @Test("line breaks in the subject and display names become spaces, so nothing is injected")
    func noInjection() throws {
        let builder = MIMEBuilder(
            from: .init("a@example.com", displayName: "Shop\r\nBcc: x@example.com"), to: [.init("b@example.com")],
            subject: " Hi\r\nBcc: evil@example.com\tnow ", body: .text("t"))
        let message = try MIMEMessage(parsing: try builder.build())
        #expect(message.header("Bcc") == nil)
        #expect(message.subject == "Hi Bcc: evil@example.com now")
        #expect(message.header("From") == "\"Shop Bcc: x@example.com\" <a@example.com>")
    }

    @Test("long header fields fold at 78 (76 with encoded-words) and never pass 998")
    func folding() throws {
        var builder = MIMEBuilder(
            from: .init("shop@example.bg", displayName: String(repeating: "Магазин ", count: 12) + "Роза"),
            to: (1...12).map { .init("customer\($0)@example.bg", displayName: "Customer \($0)") },
            subject: Array(repeating: "long", count: 40).joined(separator: " ") + " " + String(repeating: "x", count: 2000),
            body: .text("t"))
        builder.extraFields = [HeaderField("List-Unsubscribe", "<https://example.bg/u/" + String(repeating: "z", count: 100) + ">")]
        let built = try builder.build()
        BuiltMessage.checkShape(built)
        let message = try MIMEMessage(parsing: built)
        #expect(message.subject == builder.subject)
        #expect(message.header("To")?.contains("\"Customer 12\"") == false)
        #expect(message.header("To")?.hasSuffix("Customer 12 <customer12@example.bg>") == true)
        #expect(EncodedWord.decode(message.header("From") ?? "") == "\(builder.from.displayName ?? "") <shop@example.bg>")
    }
}

/// Checks shared by the builder's tests.
enum BuiltMessage {
    /// CRLF only, a final CRLF, no line over 998, header lines within 78 unless one word is longer.
    static func checkShape(_ message: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(message.suffix(2) == [0x0D, 0x0A], "ends with CRLF", sourceLocation: sourceLocation)
        #expect(message.allSatisfy { $0 < 0x80 }, "7-bit clean", sourceLocation: sourceLocation)
        for (index, byte) in message.enumerated() {
            if byte == 0x0A { #expect(index > 0 && message[index - 1] == 0x0D, "bare LF at \(index)", sourceLocation: sourceLocation) }
            if byte == 0x0D { #expect(index + 1 < message.count && message[index + 1] == 0x0A, "bare CR at \(index)", sourceLocation: sourceLocation) }
        }
        let lines = message.crlfLines
        #expect(lines.allSatisfy { $0.utf8.count <= 998 }, sourceLocation: sourceLocation)
        let header = lines.prefix { !$0.isEmpty }
        for line in header where line.utf8.count > 78 {
            // Only a single unbreakable word may pass 78.
            let words = line.split(separator: " ")
            #expect(words.count <= 2, "header line of \(line.utf8.count): \(line)", sourceLocation: sourceLocation)
        }
    }
}
