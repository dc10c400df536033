import Foundation
import MIME
import Testing

@Suite("header section scanning")
struct HeaderBlockTests {
    func scan(_ text: String) -> HeaderBlock { HeaderBlock(scanning: Array(text.utf8)) }

    @Test("fields end at the empty line; names are found case-insensitively")
    func ordinary() {
        let text = "From: a@b\r\nSubject: hi\r\n\tcontinued\r\nmessage-id: <x@y>\r\n\r\nbody\r\n"
        let block = scan(text)
        #expect(block.fields.map(\.name) == ["From", "Subject", "message-id"])
        #expect(block.hasSeparator)
        #expect(block.end == text.utf8.count - "\r\nbody\r\n".utf8.count)
        #expect(block.contains("Message-ID"))
        #expect(!block.contains("Date"))
        // The folded Subject's range covers its continuation line.
        #expect(block.fields[1].range.count == "Subject: hi\r\n\tcontinued\r\n".utf8.count)
    }

    @Test("a message that starts with body text has no header fields")
    func noHeaders() {
        let block = scan("Hello there\r\nsecond line\r\n")
        #expect(block.fields.isEmpty)
        #expect(block.end == 0)
        #expect(!block.hasSeparator)
    }

    @Test("a line that is not a field ends the section without an empty line")
    func missingSeparator() {
        let text = "Subject: x\r\nthis is body\r\n"
        let block = scan(text)
        #expect(block.fields.map(\.name) == ["Subject"])
        #expect(block.end == "Subject: x\r\n".utf8.count)
        #expect(!block.hasSeparator)
    }

    @Test("a message of headers only ends at its last byte")
    func headersOnly() {
        let text = "Subject: x\r\nFrom: a@b\r\n"
        let block = scan(text)
        #expect(block.end == text.utf8.count)
        #expect(block.fields.count == 2)
    }

    @Test("an empty message has no fields")
    func empty() {
        let block = scan("")
        #expect(block.fields.isEmpty && block.end == 0)
    }
}

@Suite("header fields and dates")
struct HeaderFieldTests {
    @Test("a short field is one line ending in CRLF")
    func short() {
        #expect(HeaderField("Date", "Mon, 23 Nov 2026 07:01:02 +0000").encoded == Array("Date: Mon, 23 Nov 2026 07:01:02 +0000\r\n".utf8))
    }

    @Test("a long field folds before a space so that no line passes 78 octets")
    func folds() {
        let value = Array(repeating: "word", count: 40).joined(separator: " ")
        let text = String(decoding: HeaderField("X-Long", value).encoded, as: UTF8.self)
        let lines = text.split(separator: "\r\n")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("\t") })
        #expect(text.replacingOccurrences(of: "\r\n\t", with: " ") == "X-Long: \(value)\r\n")
    }

    @Test("dates are RFC 5322 date-times in UTC")
    func date() {
        #expect(RFC5322Date.format(secondsSince1970: 0) == "Thu, 1 Jan 1970 00:00:00 +0000")
        #expect(RFC5322Date.format(secondsSince1970: 1_795_417_793) == "Mon, 23 Nov 2026 07:09:53 +0000")
    }
}
