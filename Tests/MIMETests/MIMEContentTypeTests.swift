import MIME
import Testing

@Suite("Content-Type and Content-Disposition values")
struct MIMEContentTypeTests {
    @Test("type, subtype and parameters are read; names and types case-insensitively")
    func parses() throws {
        let type = try #require(MIMEContentType(parsing: "multipart/alternative; boundary=\"x\"; charset=utf-8"))
        #expect(type.type == "multipart" && type.subtype == "alternative")
        #expect(type.boundary == "x")
        #expect(type.charset == "utf-8")
        #expect(type.isMultipart)

        let upper = try #require(MIMEContentType(parsing: "Text/HTML; CHARSET=UTF-8; Boundary=CaseKept"))
        #expect(upper.mediaType == "text/html")
        #expect(upper.parameters.map(\.name) == ["charset", "boundary"])
        #expect(upper.charset == "utf-8")
        #expect(upper[parameter: "BOUNDARY"] == "CaseKept")
    }

    @Test(
        "quoted-strings, comments, folding and sloppy values",
        arguments: [
            ("text/plain; name=\"a \\\"b\\\" \\\\c\"", "name", "a \"b\" \\c"),
            ("text/plain; charset=us-ascii (Plain text)", "charset", "us-ascii"),
            ("text/plain; charset=\"us-ascii\"", "charset", "us-ascii"),
            ("text/plain (a comment) ; (another) charset = utf-8 ", "charset", "utf-8"),
            ("multipart/mixed;\r\n boundary=\"folded\"", "boundary", "folded"),
            ("multipart/mixed; boundary=----=_Part_1_2.3", "boundary", "----=_Part_1_2.3"),
            ("multipart/mixed; junk; boundary=b;", "boundary", "b"),
            ("text/plain; a=1; a=2", "a", "1"),
            ("text/plain; name=\"unterminated", "name", "unterminated"),
            ("text/plain; name=\"\"", "name", ""),
        ])
    func tolerant(value: String, parameter: String, expected: String) throws {
        let type = try #require(MIMEContentType(parsing: value))
        #expect(type[parameter: parameter] == expected)
    }

    @Test("a value that does not start with type/subtype is refused", arguments: ["", "text", "/plain", "text/", "; charset=utf-8", "тип/под"])
    func invalid(value: String) {
        #expect(MIMEContentType(parsing: value) == nil)
    }

    @Test("RFC 2231 values are joined and decoded (the RFC's own examples)")
    func rfc2231() throws {
        let single = try #require(MIMEContentType(parsing: "application/x-stuff;\r\n title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A"))
        #expect(single[parameter: "title"] == "This is ***fun***")

        let continued = try #require(
            MIMEContentType(
                parsing: """
                    application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20; \
                    title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2="isn't it!"
                    """))
        #expect(continued[parameter: "title"] == "This is even more ***fun*** isn't it!")
        #expect(continued.parameters.count == 1)

        let plain = try #require(MIMEContentType(parsing: "message/external-body; access-type=URL; URL*0=\"ftp://\"; URL*1=\"cs.utk.edu/pub\""))
        #expect(plain[parameter: "url"] == "ftp://cs.utk.edu/pub")
    }

    @Test("filename*= is decoded in its charset and wins over filename=")
    func filenames() throws {
        let utf8 = try #require(
            MIMEContentDisposition(parsing: "attachment; filename=\"order.json\"; filename*=UTF-8''%D0%BF%D0%BE%D1%80%D1%8A%D1%87%D0%BA%D0%B0.json"))
        #expect(utf8.type == "attachment")
        #expect(utf8.filename == "поръчка.json")
        let legacy = try #require(MIMEContentDisposition(parsing: "Inline; filename*=windows-1251''%EF%EE%F0%FA%F7%EA%E0.txt"))
        #expect(legacy.type == "inline")
        #expect(legacy.filename == "поръчка.txt")
        #expect(MIMEContentDisposition(parsing: "attachment; filename=a.txt")?.filename == "a.txt")
        #expect(MIMEContentDisposition(parsing: "") == nil)
    }

    @Test("formatting quotes only when needed and uses RFC 2231 for non-ASCII values")
    func formats() {
        var type = MIMEContentType(type: "Text", subtype: "Plain", parameters: [MIMEParameter("Charset", "utf-8")])
        #expect(type.formatted == "text/plain; charset=utf-8")
        type[parameter: "boundary"] = "=_abc"
        #expect(type.formatted == "text/plain; charset=utf-8; boundary=\"=_abc\"")
        type[parameter: "boundary"] = nil
        type[parameter: "charset"] = "us-ascii"
        type[parameter: "name"] = "say \"hi\""
        #expect(type.formatted == "text/plain; charset=us-ascii; name=\"say \\\"hi\\\"\"")
        #expect(MIMEParameter("name", "").formatted == "name=\"\"")
        #expect(MIMEParameter("filename", "поръчка 1.json").formatted == "filename*=utf-8''%D0%BF%D0%BE%D1%80%D1%8A%D1%87%D0%BA%D0%B0%201.json")
        #expect(MIMEContentDisposition(type: "attachment", parameters: [MIMEParameter("filename", "a b.txt")]).formatted == "attachment; filename=\"a b.txt\"")
    }

    @Test("formatted values parse back to the same value")
    func roundTrip() throws {
        let original = MIMEContentType(
            type: "application", subtype: "json",
            parameters: [
                MIMEParameter("charset", "utf-8"), MIMEParameter("name", "поръчка №1042.json"),
                MIMEParameter("note", "a;b=c \"d\" \\e"), MIMEParameter("x", "100%'s"),
            ])
        #expect(MIMEContentType(parsing: original.formatted) == original)
    }

    @Test("media types match exactly or by wildcard, case-insensitively")
    func matching() throws {
        let type = try #require(MIMEContentType(parsing: "text/html; charset=utf-8"))
        #expect(type.matches("text/html") && type.matches("TEXT/HTML") && type.matches("text/*") && type.matches("*/*"))
        #expect(!type.matches("text/plain") && !type.matches("text") && !type.matches("application/*"))
        #expect(MIMEContentType.defaultText.formatted == "text/plain; charset=us-ascii")
    }
}
