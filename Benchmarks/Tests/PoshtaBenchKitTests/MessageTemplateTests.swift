import NIOCore
import Testing

@testable import PoshtaBenchKit

/// The message on the wire: exact size, short lines, correct dot-stuffing and terminator.
@Suite struct MessageTemplateTests {
    /// The wire form of message `number`: ID line + tail.
    private func wire(_ template: MessageTemplate, number: Int = 7) -> String {
        var tail = template.tail
        return MessageTemplate.idLine(number, runID: template.runID) + (tail.readString(length: tail.readableBytes) ?? "")
    }

    /// Undoes dot-stuffing and drops the terminator; nil if the terminator is missing.
    private func unstuffed(_ wire: String) -> String? {
        let bytes = Array(wire.utf8)
        let terminator = Array("\r\n.\r\n".utf8)
        guard bytes.count >= terminator.count, Array(bytes.suffix(terminator.count)) == terminator else { return nil }
        let body = String(decoding: bytes.dropLast(3), as: UTF8.self)  // keeps the last CRLF
        var lines = body.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // after the final CRLF
        return lines.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }.joined(separator: "\r\n") + "\r\n"
    }

    @Test(arguments: [1024, 102_400, 4096, 300, 1, 77, 78, 79, 80])
    func sizeIsExactAndLinesShort(size: Int) throws {
        let template = MessageTemplate(size: size, from: "a@shop.example", to: "b@example.net", runID: "0badc0de")
        let content = try #require(unstuffed(wire(template)))
        #expect(content.utf8.count == template.size)
        let minimum = MessageTemplate(size: 1, from: "a@shop.example", to: "b@example.net", runID: "0badc0de").size
        if size >= minimum + 2 {
            #expect(abs(template.size - size) <= 2)
        }
        for line in content.split(separator: "\r\n", omittingEmptySubsequences: false) {
            #expect(line.utf8.count <= 78)
            #expect(!line.contains("\r") && !line.contains("\n"))
        }
    }

    @Test func dotLinesAreStuffedAndNothingEndsEarly() throws {
        let template = MessageTemplate(size: 4096, from: "a@shop.example", to: "b@example.net", runID: "0badc0de")
        let text = wire(template)
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        let dotted = lines.filter { $0.hasPrefix(".") }
        // Every tenth body line begins with a dot, so a 4 KB message has some; all but the
        // terminator are stuffed.
        #expect(dotted.count > 2)
        #expect(dotted.filter { $0 == "." }.count == 1)
        for line in dotted where line != "." {
            #expect(line.hasPrefix(".."))
        }
        #expect(text.hasSuffix("\r\n.\r\n"))
        // No bare CR or LF.
        let bytes = Array(text.utf8)
        for (i, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\n") { #expect(i > 0 && bytes[i - 1] == UInt8(ascii: "\r")) }
            if byte == UInt8(ascii: "\r") { #expect(i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n")) }
        }
    }

    @Test func messageIDsDifferButSizeDoesNot() {
        let a = MessageTemplate.idLine(1, runID: "00000001")
        let b = MessageTemplate.idLine(1_234_567, runID: "00000001")
        #expect(a != b)
        #expect(a.utf8.count == b.utf8.count)
        #expect(a.hasPrefix("Message-ID: <0000000001.00000001@"))
    }

    @Test func dateLooksLikeRFC5322() {
        let date = MessageTemplate.rfc5322Now()
        #expect(date.hasSuffix(" +0000"))
        #expect(date.utf8.count == 31)
    }
}

