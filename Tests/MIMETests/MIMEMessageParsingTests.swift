import MIME
import Testing

@Suite("parsing messages and multiparts (RFC 2046 §5.1)")
struct MIMEMessageParsingTests {
    /// multipart/mixed holding multipart/alternative (QP text, base64 HTML) and a JSON attachment.
    static let nested = """
        From: Shop <shop@example.com>\r
        To: ivan@example.com\r
        Subject: =?UTF-8?B?0J/QvtGA0YrRh9C60LAg?=\r
         =?UTF-8?B?4oSWMTA0Mg==?=\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="outer"\r
        \r
        This is the preamble; it is ignored.\r
        --outer\r
        Content-Type: multipart/alternative; boundary="inner"\r
        \r
        --inner\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        =D0=9F=D0=BE=D1=80=D1=8A=D1=87=D0=BA=D0=B0 =E2=84=961042 =D0=B5 =D0=BF=D0=\r
        =BB=D0=B0=D1=82=D0=B5=D0=BD=D0=B0\r
        --inner\r
        Content-Type: text/html; charset=utf-8\r
        Content-Transfer-Encoding: base64\r
        \r
        PHA+0J/QvtGA0YrRh9C60LA8L3A+\r
        --inner--\r
        inner epilogue\r
        --outer\r
        Content-Type: application/json\r
        Content-Disposition: attachment; filename="order.json"\r
        \r
        {"order":1042,"paid":true}\r
        --outer--\r
        This is the epilogue.\r

        """

    func parse(_ text: String) throws -> MIMEMessage { try MIMEMessage(parsing: text.bytes) }

    func checkNested(_ message: MIMEMessage) throws {
        #expect(message.subject == "Поръчка №1042")
        #expect(message.header("to") == "ivan@example.com")
        #expect(message.root.contentType.mediaType == "multipart/mixed")
        #expect(message.root.parts.map(\.contentType.mediaType) == ["multipart/alternative", "application/json"])
        #expect(message.root.leaves.map(\.contentType.mediaType) == ["text/plain", "text/html", "application/json"])
        #expect(message.root.allParts.count == 5)
        #expect(message.root.allParts.allSatisfy { $0.defects.isEmpty })

        let plain = try #require(message.firstPart(withMediaType: "text/plain"))
        #expect(try plain.text() == "Поръчка №1042 е платена")
        #expect(plain.charset == "utf-8")
        let html = try #require(message.firstPart(withMediaType: "text/html"))
        #expect(try html.text() == "<p>Поръчка</p>")
        let json = try #require(message.firstPart(withMediaType: "application/json"))
        #expect(try json.text() == "{\"order\":1042,\"paid\":true}")
        #expect(json.contentDisposition?.filename == "order.json")
        #expect(message.firstPart(withMediaType: "multipart/alternative")?.parts.count == 2)
        #expect(message.firstPart(withMediaType: "image/*") == nil)
    }

    @Test("a nested multipart/mixed with multipart/alternative and a JSON part; preamble and epilogues dropped")
    func nestedMultipart() throws {
        try checkNested(try parse(Self.nested))
    }

    @Test("a message with bare LF line breaks reads the same")
    func bareLF() throws {
        let message = try parse(Self.nested.replacingCRLF(with: "\n"))
        try checkNested(message)
    }

    @Test("the line break before a delimiter belongs to it; a blank line before it stays in the part")
    func lineBreakBelongsToDelimiter() throws {
        let message = try parse(
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nno break\r\n--b\r\n\r\none break\r\n\r\n--b\r\n\r\n\r\n--b--\r\n")
        #expect(try message.root.parts.map { try $0.decodedBody().text } == ["no break", "one break\r\n", ""])
        // No header fields in a part: it is text/plain; charset=us-ascii (RFC 2045 §5.2).
        #expect(message.root.parts.allSatisfy { $0.contentType == .defaultText && $0.headers.isEmpty })
    }

    @Test("delimiter lines may end in blanks; lines that only start with the boundary are content")
    func delimiterLines() throws {
        let message = try parse(
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b \t\r\n\r\n--bx\r\n-- b\r\n--b-\r\n--b--  \r\n--b\r\nafter close\r\n")
        #expect(message.root.parts.count == 1)
        #expect(try message.root.parts[0].text() == "--bx\r\n-- b\r\n--b-")
    }

    @Test("an unterminated multipart keeps its last part, running to the end of the body, and notes the defect")
    func unterminated() throws {
        let message = try parse(
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b\r\nContent-Type: text/plain\r\n\r\ntwo\r\n")
        #expect(message.root.defects == [.missingCloseDelimiter])
        #expect(try message.root.parts.map { try $0.text() } == ["one", "two\r\n"])
    }

    @Test("a multipart without a boundary, or whose boundary never appears, keeps its body as one")
    func noBoundary() throws {
        let missing = try parse("Content-Type: multipart/mixed\r\n\r\nbody\r\n")
        #expect(missing.root.defects == [.missingBoundary])
        #expect(try missing.root.decodedBody() == "body\r\n".bytes)
        let absent = try parse("Content-Type: multipart/mixed; boundary=zz\r\n\r\n--other\r\nbody\r\n")
        #expect(absent.root.defects == [.boundaryNotFound])
        #expect(!absent.root.isMultipart)
        #expect(try absent.root.text() == "--other\r\nbody\r\n")
    }

    @Test("an unreadable Content-Type falls back to text/plain; parts of a digest are message/rfc822")
    func defaults() throws {
        let broken = try parse("Content-Type: ???\r\n\r\nhello")
        #expect(broken.root.contentType == .defaultText)
        #expect(broken.root.defects == [.invalidContentType("???")])
        let digest = try parse("Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: inner\r\n\r\nhi\r\n--d--\r\n")
        let inner = try #require(digest.root.parts.first)
        #expect(inner.contentType.mediaType == "message/rfc822")
        #expect(try MIMEMessage(parsing: inner.decodedBody()).subject == "inner")
    }

    @Test("header fields are unfolded and trimmed; a message without an empty line is all header or starts its body at the first non-field line")
    func headers() throws {
        let message = try parse("Subject:  hello\r\n\tworld \r\nX-Empty:\r\nX-Two: 1\r\nx-two: 2\r\nnot a field\r\nbody\r\n")
        #expect(message.header("SUBJECT") == "hello\tworld")
        #expect(message.header("X-Empty") == "")
        #expect(message.root.headers(named: "X-Two") == ["1", "2"])
        #expect(try message.root.text() == "not a field\r\nbody\r\n")
        let headersOnly = try parse("Subject: x\r\n")
        #expect(try headersOnly.root.decodedBody().isEmpty)
        let empty = try parse("")
        #expect(empty.headers.isEmpty)
        #expect(try empty.root.decodedBody().isEmpty)
    }

    @Test("bodies are decoded by their transfer encoding and read in their charset")
    func decoding() throws {
        let legacy = try parse("Content-Type: text/plain; charset=windows-1251\r\nContent-Transfer-Encoding: Base64\r\n\r\nz/Do4uXy\r\n")
        #expect(try legacy.root.text() == "Привет")
        let qp = try parse("Content-Type: text/plain; charset=\"KOI8-R\"\r\nContent-Transfer-Encoding: quoted-printable (it is)\r\n\r\n=F0=D2=C9=D7=C5=D4")
        #expect(try qp.root.text() == "Привет")
        let eightBit = try parse("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nПривет")
        #expect(try eightBit.root.text() == "Привет")
    }

    @Test("undecodable bodies fail only when asked for, with a reason")
    func decodingErrors() throws {
        let bad = try parse("Content-Transfer-Encoding: base64\r\n\r\nnot*base64\r\n")
        #expect(throws: MIMEDecodingError.invalidBase64(.invalidCharacter(UInt8(ascii: "*"), offset: 3))) { try bad.root.decodedBody() }
        let unknown = try parse("Content-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 x\r\n")
        #expect(throws: MIMEDecodingError.unsupportedTransferEncoding("x-uuencode")) { try unknown.root.decodedBody() }
        let charset = try parse("Content-Type: text/plain; charset=iso-2022-jp\r\n\r\nx")
        #expect(throws: MIMEDecodingError.unsupportedCharset("iso-2022-jp")) { try charset.root.text() }
        let multipart = try parse(Self.nested)
        #expect(throws: MIMEDecodingError.isMultipart) { try multipart.root.decodedBody() }
    }

    /// `levels` multiparts, each holding the next; the innermost holds one text part.
    static func nestedMultiparts(_ levels: Int) -> String {
        var message = "Content-Type: text/plain\r\n\r\ncore\r\n"
        for level in (0..<levels).reversed() {
            message = "Content-Type: multipart/mixed; boundary=\"b\(level)\"\r\n\r\n--b\(level)\r\n\(message)\r\n--b\(level)--\r\n"
        }
        return message
    }

    @Test("multiparts may nest 20 deep, not 21")
    func depthLimit() throws {
        let twenty = try parse(Self.nestedMultiparts(20))
        #expect(try twenty.firstPart(withMediaType: "text/plain")?.text() == "core\r\n")
        #expect(throws: MIMEParseError.tooDeep(limit: 20)) { try parse(Self.nestedMultiparts(21)) }
    }

    @Test("the part count and message size are bounded")
    func sizeLimits() throws {
        let many = "Content-Type: multipart/mixed; boundary=b\r\n\r\n" + String(repeating: "--b\r\n\r\nx\r\n", count: 10) + "--b--\r\n"
        #expect(try parse(many).root.parts.count == 10)
        #expect(throws: MIMEParseError.tooManyParts(limit: 5)) {
            try MIMEMessage(parsing: many.bytes, limits: MIMEMessage.Limits(maximumParts: 5))
        }
        #expect(throws: MIMEParseError.tooLarge(limit: 10)) {
            try MIMEMessage(parsing: many.bytes, limits: MIMEMessage.Limits(maximumBytes: 10))
        }
    }
}

extension String {
    func replacingCRLF(with replacement: String) -> String {
        split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
