import Foundation
import Testing

@testable import MIME

/// Editing the text of a shop's message: the edited part changes, and not
/// one other byte of the message does.
@Suite("MIMEBodyEditor: a part's text changes, the rest stays byte for byte")
struct MIMEBodyEditorTests {
    static let attachment = "JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoK\r\n"
    static let message = """
        From: Shop <shop@example.com>\r
        To: a@example.com\r
        Subject: Your order\r
        X-Shop-Blocks: related\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="outer"\r
        \r
        preamble\r
        --outer\r
        Content-Type: multipart/alternative; boundary="inner"\r
        \r
        --inner\r
        Content-Type: text/plain\r
        \r
        Thank you for your order.\r
        --inner\r
        Content-Type: text/html; charset=utf-8\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        <html><body><p>Thank you =E2=80=93 really.</p></body></html>\r
        --inner--\r
        --outer\r
        Content-Type: application/pdf\r
        Content-Disposition: attachment; filename="invoice.pdf"\r
        Content-Transfer-Encoding: base64\r
        \r
        \(attachment)--outer--\r
        epilogue\r

        """

    @Test("a 7bit text part given Cyrillic becomes UTF-8 quoted-printable or base64; a QP part stays QP; the rest is identical")
    func editTwoParts() throws {
        let bytes = Array(Self.message.utf8)
        let parsed = try MIMEMessage(parsing: bytes)
        let leaves = parsed.root.leaves
        let text = try #require(leaves.first { $0.contentType.matches("text/plain") })
        let html = try #require(leaves.first { $0.contentType.matches("text/html") })
        let edited = try MIMEBodyEditor.apply(
            [
                .init(part: html, text: try html.text().replacingOccurrences(of: "</body>", with: "<p>Чай</p></body>")),
                .init(part: text, text: try text.text() + "\r\nЗелен чай\r\n"),
            ], to: bytes)
        let reparsed = try MIMEMessage(parsing: edited)
        let newLeaves = reparsed.root.leaves
        #expect(try newLeaves[0].text() == "Thank you for your order.\r\nЗелен чай")
        #expect(newLeaves[0].charset == "utf-8")
        #expect(newLeaves[0].header("Content-Transfer-Encoding") == "base64" || newLeaves[0].header("Content-Transfer-Encoding") == "quoted-printable")
        #expect(try newLeaves[1].text() == "<html><body><p>Thank you – really.</p><p>Чай</p></body></html>")
        #expect(newLeaves[1].header("Content-Transfer-Encoding") == "quoted-printable")
        // Everything outside the two edited parts is as it was.
        let output = String(decoding: edited, as: UTF8.self)
        let before = Self.message
        #expect(output.hasPrefix(String(before[..<before.range(of: "--inner\r\n")!.upperBound])))
        #expect(output.hasSuffix(String(before[before.range(of: "--inner--")!.lowerBound...])))
        #expect(reparsed.root.defects.isEmpty && newLeaves.allSatisfy(\.defects.isEmpty))
    }

    @Test("a Windows-1251 part is rewritten in UTF-8 and says so; an ASCII edit of a 7bit part keeps it 7bit")
    func charsets() throws {
        let message: [UInt8] = Array("Subject: x\r\nContent-Type: text/plain; charset=windows-1251; format=flowed\r\n\r\n".utf8)
            + [0xD7, 0xE0, 0xE9, 0x0D, 0x0A]
        let part = try MIMEMessage(parsing: message).root
        #expect(try part.text() == "Чай\r\n")
        let edited = try MIMEBodyEditor.apply([.init(part: part, text: "Чай и мед\r\n")], to: message)
        let reparsed = try MIMEMessage(parsing: edited).root
        #expect(reparsed.charset == "utf-8" && reparsed.contentType[parameter: "format"] == "flowed")
        #expect(try reparsed.text() == "Чай и мед\r\n")

        let ascii = Array("Subject: x\r\n\r\nHello\r\n".utf8)
        let asciiEdited = try MIMEBodyEditor.apply([.init(part: try MIMEMessage(parsing: ascii).root, text: "Hello\r\nWorld\r\n")], to: ascii)
        #expect(String(decoding: asciiEdited, as: UTF8.self) == "Subject: x\r\n\r\nHello\r\nWorld\r\n")
    }

    @Test("a hand-made part or a multipart cannot be edited")
    func refusals() throws {
        let bytes = Array(Self.message.utf8)
        let parsed = try MIMEMessage(parsing: bytes)
        #expect(throws: MIMEBodyEditor.Failure.notAParsedLeaf) {
            try MIMEBodyEditor.apply([.init(part: parsed.root, text: "x")], to: bytes)
        }
        let handMade = MIMEPart(headers: [], contentType: .defaultText, content: .body([]))
        #expect(throws: MIMEBodyEditor.Failure.notAParsedLeaf) {
            try MIMEBodyEditor.apply([.init(part: handMade, text: "x")], to: bytes)
        }
        let leaf = parsed.root.leaves[0]
        #expect(throws: MIMEBodyEditor.Failure.overlappingEdits) {
            try MIMEBodyEditor.apply([.init(part: leaf, text: "a"), .init(part: leaf, text: "b")], to: bytes)
        }
    }

    @Test("fields removed by name, and a body replaced by a built entity under the same fields")
    func fieldsAndBody() throws {
        let bytes = Array("From: a@example.com\r\nX-Shop-Layout: default\r\nSubject: Hi\r\nx-shop-order: 7\r\nContent-Type: text/plain\r\n\r\nHello\r\n".utf8)
        let stripped = MIMEBodyEditor.removingFields(from: bytes) { $0.hasPrefix("x-shop-") }
        #expect(String(decoding: stripped, as: UTF8.self) == "From: a@example.com\r\nSubject: Hi\r\nContent-Type: text/plain\r\n\r\nHello\r\n")
        var builder = MIMEBuilder(from: .init("a@example.com"), to: [], subject: "", body: .alternative(text: "Hello", html: "<p>Hello</p>"))
        builder.boundary = "b1"
        var generator = SystemRandomNumberGenerator()
        let replaced = MIMEBodyEditor.replacingBody(of: stripped, with: try builder.bodyEntity(using: &generator))
        let text = String(decoding: replaced, as: UTF8.self)
        #expect(text.hasPrefix("From: a@example.com\r\nSubject: Hi\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b1\r\n\r\n--b1\r\n"))
        let parsed = try MIMEMessage(parsing: replaced)
        #expect(try parsed.root.parts.map { try $0.text() } == ["Hello\r\n", "<p>Hello</p>\r\n"])
    }
}
