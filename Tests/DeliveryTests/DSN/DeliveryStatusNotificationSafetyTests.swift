import Delivery
import Foundation
import Testing

@Suite("delivery status notifications with hostile or unusual input")
struct DeliveryStatusNotificationSafetyTests {
    @Test("a non-ASCII recipient is typed utf-8 in 7-bit xtext, and the explanation is quoted-printable")
    func utf8Recipient() throws {
        let recipient = RecipientReport(
            finalRecipient: "jo+sé@exämple.org", action: .failed, status: "5.1.1", remoteMTA: "mx.exämple.org",
            diagnostic: .smtp("550 5.1.1 <jo+sé@exämple.org>: unknown user"))
        let report = DSNFixture.report([recipient])
        #expect(!report.requiresSMTPUTF8)
        let encoded = report.encoded()
        #expect(encoded.allSatisfy { $0 < 0x80 }, "ASCII sender and headers: the whole report is 7-bit")
        DSNFixture.checkLines(encoded)
        let message = try DSNTestMessage(encoded)
        let block = try message.deliveryStatus().recipients[0]
        #expect(dsnValue(block, "Final-Recipient") == #"utf-8; jo\x{2B}s\x{E9}@ex\x{E4}mple.org"#)
        #expect(dsnValue(block, "Remote-MTA") == #"dns; mx.ex\x{E4}mple.org"#)
        #expect(dsnValue(block, "Diagnostic-Code") == #"smtp; 550 5.1.1 <jo+s\x{E9}@ex\x{E4}mple.org>: unknown user"#)
        let text = message.parts[0]
        #expect(text.field("Content-Transfer-Encoding") == "quoted-printable")
        #expect(text.body.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        let decoded = DSNTestBytes.decodeQuotedPrintable(text.body)
        #expect(decoded.contains("<jo+sé@exämple.org>: host mx.exämple.org said: 550 5.1.1"))
        #expect(decoded.hasPrefix("This is the mail system at host mail.shop.example.\r\n"))
    }

    @Test("a UTF-8 sender or header section needs SMTPUTF8; the headers go as message/global-headers")
    func utf8Original() throws {
        let original = Array("From: Пётр <пётр@пример.рф>\r\nSubject: Заказ\r\n\r\nbody\r\n".utf8)
        let report = DSNFixture.report(original: original, sender: "пётр@пример.рф")
        #expect(report.requiresSMTPUTF8)
        let encoded = report.encoded()
        DSNFixture.checkLines(encoded)
        let message = try DSNTestMessage(encoded)
        #expect(message.field("To") == "<пётр@пример.рф>")
        #expect(message.field("Content-Transfer-Encoding") == "8bit")
        #expect(message.parts[2].field("Content-Type") == "message/global-headers")
        #expect(message.parts[2].field("Content-Transfer-Encoding") == "8bit")
        #expect(message.parts[2].body == "From: Пётр <пётр@пример.рф>\r\nSubject: Заказ\r\n")
        #expect(!DeliveryStatusNotification.makeMessageID(queueID: "Q", hostname: "h", date: .now).isEmpty)
    }

    @Test("CR, LF and control characters in outside text cannot start lines or fields")
    func injection() throws {
        let reply = "550 5.1.1 bad\r\nAction: delivered\r\n\r\nFinal-Recipient: rfc822; evil@x\rStatus: 2.0.0\nX:\u{0}y\u{7F}z\u{1B}[0m\u{85}end"
        let recipient = RecipientReport(
            finalRecipient: "bob@example.org\r\nAction: delivered", action: .failed, status: "5.1.1",
            remoteMTA: "mx.example.org\r\nStatus: 2.0.0", diagnostic: .smtp(reply))
        var report = DSNFixture.report([recipient], sender: "orders@shop.example>\r\nBcc: victim@example.com")
        report.messageID = "<id@x>\r\nBcc: victim@example.com"
        report.originalQueueID = "Q1\r\n\r\nFinal-Recipient: rfc822; evil@x"
        report.reportingMTA = "mail.shop.example\r\nX-Evil: 1"
        let encoded = report.encoded()
        DSNFixture.checkLines(encoded)
        #expect(encoded.allSatisfy { $0 < 0x80 && $0 != 0x00 && $0 != 0x1B && $0 != 0x7F })
        let lines = try #require(DSNTestBytes.lines(encoded)).map { String(decoding: $0, as: UTF8.self) }
        for forbidden in ["Action: delivered", "Status: 2.0.0", "Bcc:", "Final-Recipient: rfc822; evil", "X-Evil:", "X:"] {
            #expect(!lines.contains { $0.hasPrefix(forbidden) }, "a line starts with \(forbidden)")
        }
        let message = try DSNTestMessage(encoded)
        #expect(message.parts.count == 3)
        let status = try message.deliveryStatus()
        #expect(status.recipients.count == 1)
        let block = status.recipients[0]
        #expect(block.filter { $0.name == "Action" }.map(\.value) == ["failed"])
        #expect(block.filter { $0.name == "Status" }.map(\.value) == ["5.1.1"])
        #expect(
            dsnValue(block, "Diagnostic-Code")
                == "smtp; 550 5.1.1 bad Action: delivered Final-Recipient: rfc822; evil@x Status: 2.0.0 X: y z [0m end")
        #expect(message.fields.filter { $0.name == "Bcc" }.isEmpty)
    }

    @Test("a long diagnostic folds at spaces within 78 octets and unfolds to the reply")
    func longDiagnostic() throws {
        let words = (1...400).map { "word\($0)" }
        let reply = "550 5.7.1 " + words.joined(separator: " ")
        let recipient = RecipientReport(
            finalRecipient: "bob@example.org", action: .failed, status: "5.7.1", diagnostic: .smtp(reply))
        let encoded = DSNFixture.report([recipient]).encoded()
        DSNFixture.checkLines(encoded)
        let message = try DSNTestMessage(encoded)
        let statusPart = try #require(message.parts.first { $0.field("Content-Type") == "message/delivery-status" })
        let statusLines = statusPart.body.components(separatedBy: "\r\n")
        #expect(statusLines.allSatisfy { $0.utf8.count <= 78 })
        #expect(statusLines.filter { $0.hasPrefix(" ") }.count > 10)
        #expect(dsnValue(try message.deliveryStatus().recipients[0], "Diagnostic-Code") == "smtp; " + reply)
        #expect(message.parts[0].body.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
    }

    @Test("a diagnostic without spaces is cut so no line passes 998 octets")
    func unbreakableDiagnostic() throws {
        let reply = "550 " + String(repeating: "x", count: 3000)
        let recipient = RecipientReport(
            finalRecipient: "bob@example.org", action: .failed, status: "5.0.0", diagnostic: .smtp(reply))
        let encoded = DSNFixture.report([recipient]).encoded()
        DSNFixture.checkLines(encoded)
        let message = try DSNTestMessage(encoded)
        // The explanation has the 3000-octet word: too long for 7bit, so quoted-printable.
        #expect(message.parts[0].field("Content-Transfer-Encoding") == "quoted-printable")
        #expect(DSNTestBytes.decodeQuotedPrintable(message.parts[0].body).contains(String(repeating: "x", count: 3000)))
        let code = try #require(dsnValue(try message.deliveryStatus().recipients[0], "Diagnostic-Code"))
        #expect(code.filter { $0 == "x" }.count == 3000)
    }

    @Test(
        "the returned headers stop where the header section stops",
        arguments: [
            ("Subject: x\r\nFrom: a@b.example\r\n", "Subject: x\r\nFrom: a@b.example\r\n"),  // headers only
            ("Subject: x\r\nthis is body\r\n", "Subject: x\r\n"),  // no empty line
            ("Hello, just a body\r\n\r\nmore\r\n", ""),  // no header section
            ("", ""),
            ("Subject: x", "Subject: x\r\n"),  // no final line break
            ("Subject: x\nFrom: a@b.example\n\nbody\n", "Subject: x\r\nFrom: a@b.example\r\n"),  // bare LF
            ("Subject: a\rb\u{0}c\r\n\r\n", "Subject: a b c\r\n"),  // bare CR, NUL
            ("Subject: x\r\n\tfolded\r\n\r\nbody", "Subject: x\r\n\tfolded\r\n"),
        ])
    func headerSection(original: String, returned: String) throws {
        let encoded = DSNFixture.report(original: Array(original.utf8)).encoded()
        DSNFixture.checkLines(encoded)
        let message = try DSNTestMessage(encoded)
        #expect(message.parts.count == 3)
        #expect(message.parts[2].field("Content-Type") == "text/rfc822-headers")
        #expect(message.parts[2].body == returned)
    }

    @Test("a header line over 998 octets is cut into continuation lines")
    func longHeaderLine() throws {
        let value = String(repeating: "y", count: 2500)
        let encoded = DSNFixture.report(original: Array("X-Long: \(value)\r\n\r\n".utf8)).encoded()
        DSNFixture.checkLines(encoded)
        let body = try DSNTestMessage(encoded).parts[2].body
        #expect(body.replacingOccurrences(of: "\r\n ", with: "") == "X-Long: \(value)\r\n")
    }

    @Test("the boundary never occurs in the content, even when the original carries it")
    func boundaryAvoidsContent() throws {
        let natural = "3Z5KQ2M7TA.1700003600/mail.shop.example"
        let original = "X-Trap: --\(natural)\r\nX-Trap-2: --\(natural).1--\r\nSubject: x\r\n\r\nbody\r\n"
        let encoded = DSNFixture.report(original: Array(original.utf8)).encoded()
        let message = try DSNTestMessage(encoded)
        #expect(message.boundary == "\(natural).2")
        #expect(message.parts.count == 3)
        for part in message.parts {
            #expect(!part.body.contains(message.boundary))
            #expect(!part.fields.contains { $0.value.contains(message.boundary) })
        }
        #expect(message.parts[2].body == "X-Trap: --\(natural)\r\nX-Trap-2: --\(natural).1--\r\nSubject: x\r\n")
        #expect(message.boundary.utf8.count <= 70)
    }

    @Test("odd queue ids and hostnames still give a legal boundary")
    func boundaryCharacters() throws {
        var report = DSNFixture.report()
        report.originalQueueID = "id with spaces \"quotes\" & <angles>"
        report.reportingMTA = String(repeating: "very-long-host-name.", count: 10) + "example"
        let message = try DSNTestMessage(report.encoded())
        let allowed = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'()+_,-./:=?")
        #expect(!message.boundary.isEmpty && message.boundary.utf8.count <= 70)
        #expect(message.boundary.allSatisfy(allowed.contains))
        #expect(message.parts.count == 3)
    }
}
