import Delivery
import MIME
import Foundation
import Testing

typealias RecipientReport = DeliveryStatusNotification.RecipientReport

/// Fixed inputs for the reports below.
enum DSNFixture {
    static let arrival = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 +0000
    static let now = Date(timeIntervalSince1970: 1_700_003_600)  // Tue, 14 Nov 2023 23:13:20 +0000
    static let lastAttempt = Date(timeIntervalSince1970: 1_700_003_590)  // 23:13:10
    static let original = Array(
        ("From: Shop <orders@shop.example>\r\nTo: bob@example.org\r\nSubject: Your order\r\n"
            + "Message-ID: <o1@shop.example>\r\n\r\nHello Bob\r\n").utf8)

    static let bob = RecipientReport(
        finalRecipient: "bob@example.org", action: .failed, status: "5.1.1", remoteMTA: "mx.example.org",
        diagnostic: .smtp("550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table"),
        lastAttemptDate: lastAttempt)

    static func report(
        _ recipients: [RecipientReport] = [bob], original: [UInt8] = original, sender: String = "orders@shop.example"
    ) -> DeliveryStatusNotification {
        DeliveryStatusNotification(
            reportingMTA: "mail.shop.example", originalQueueID: "3Z5KQ2M7TA", originalSender: sender,
            arrivalDate: arrival, recipients: recipients, originalMessage: original, date: now,
            messageID: DeliveryStatusNotification.makeMessageID(
                queueID: "3Z5KQ2M7TA", hostname: "mail.shop.example", date: now))
    }

    /// Every line ends in CRLF and fits 998 octets.
    static func checkLines(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = DSNTestBytes.lines(bytes)
        #expect(lines != nil, "a bare CR or LF, or no final CRLF", sourceLocation: sourceLocation)
        #expect((lines ?? []).allSatisfy { $0.count <= 998 }, sourceLocation: sourceLocation)
    }
}

@Suite("delivery status notifications")
struct DeliveryStatusNotificationTests {
    @Test("a report, a delay warning and one for a message without a final line break are conformant (OutboundConformance)")
    func conformant() {
        let delayed = RecipientReport(
            finalRecipient: "bob@example.org", action: .delayed, status: "4.4.1", remoteMTA: nil,
            diagnostic: .local("connection timed out"), lastAttemptDate: DSNFixture.lastAttempt,
            willRetryUntil: DSNFixture.now.addingTimeInterval(86_400))
        for report in [
            DSNFixture.report(), DSNFixture.report([delayed]),
            DSNFixture.report(original: Array("Subject: no end\r\n\r\nlast line without CRLF".utf8)),
        ] {
            #expect(OutboundConformance.problems(in: report.encoded()) == [])
        }
    }

    @Test("a bounce for one recipient is exactly the RFC 3464 message")
    func golden() {
        let boundary = "3Z5KQ2M7TA.1700003600/mail.shop.example"
        let expected = """
            From: Mail Delivery System <MAILER-DAEMON@mail.shop.example>
            To: <orders@shop.example>
            Subject: Undelivered Mail Returned to Sender
            Date: Tue, 14 Nov 2023 23:13:20 +0000
            Message-ID: <1700003600.3Z5KQ2M7TA@mail.shop.example>
            MIME-Version: 1.0
            Auto-Submitted: auto-replied
            Content-Type: multipart/report; report-type=delivery-status;
             boundary="\(boundary)"

            This is a MIME-encapsulated message.

            --\(boundary)
            Content-Description: Notification
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 7bit

            This is the mail system at host mail.shop.example.

            I'm sorry to have to inform you that your message could not
            be delivered to one or more recipients. The headers of your
            message are attached below.

            For further assistance, please send mail to postmaster.

            If you do so, please include this problem report.

                               The mail system

            <bob@example.org>: host mx.example.org said: 550 5.1.1 <bob@example.org>:
                Recipient address rejected: User unknown in virtual mailbox table

            --\(boundary)
            Content-Description: Delivery report
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.shop.example
            Arrival-Date: Tue, 14 Nov 2023 22:13:20 +0000
            X-Poshta-Queue-ID: 3Z5KQ2M7TA

            Final-Recipient: rfc822; bob@example.org
            Action: failed
            Status: 5.1.1
            Remote-MTA: dns; mx.example.org
            Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: Recipient address
             rejected: User unknown in virtual mailbox table
            Last-Attempt-Date: Tue, 14 Nov 2023 23:13:10 +0000

            --\(boundary)
            Content-Description: Undelivered Message Headers
            Content-Type: text/rfc822-headers

            From: Shop <orders@shop.example>
            To: bob@example.org
            Subject: Your order
            Message-ID: <o1@shop.example>

            --\(boundary)--

            """.replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = DSNFixture.report().encoded()
        #expect(String(decoding: encoded, as: UTF8.self) == expected)
        #expect(encoded == Array(expected.utf8))
        #expect(encoded.allSatisfy { $0 < 0x80 })
        DSNFixture.checkLines(encoded)
    }

    @Test("a mail reader finds three parts and each recipient's fields")
    func parseBack() throws {
        let message = try DSNTestMessage(DSNFixture.report().encoded())
        #expect(message.field("Content-Type")?.hasPrefix("multipart/report; report-type=delivery-status;") == true)
        #expect(message.field("Auto-Submitted") == "auto-replied")
        #expect(message.field("To") == "<orders@shop.example>")
        #expect(message.parts.map { $0.field("Content-Type") } == [
            "text/plain; charset=utf-8", "message/delivery-status", "text/rfc822-headers",
        ])
        #expect(message.epilogue == "")
        let status = try message.deliveryStatus()
        #expect(dsnValue(status.perMessage, "Reporting-MTA") == "dns; mail.shop.example")
        #expect(dsnValue(status.perMessage, "X-Poshta-Queue-ID") == "3Z5KQ2M7TA")
        #expect(status.recipients.count == 1)
        let bob = status.recipients[0]
        #expect(bob.map(\.name) == [
            "Final-Recipient", "Action", "Status", "Remote-MTA", "Diagnostic-Code", "Last-Attempt-Date",
        ])
        #expect(
            dsnValue(bob, "Diagnostic-Code")
                == "smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table")
        #expect(message.parts[2].body == "From: Shop <orders@shop.example>\r\nTo: bob@example.org\r\n"
            + "Subject: Your order\r\nMessage-ID: <o1@shop.example>\r\n")
    }

    @Test("several recipients each get a block, in order, and a line in the explanation")
    func severalRecipients() throws {
        let recipients = [
            DSNFixture.bob,
            RecipientReport(
                finalRecipient: "carol@example.net", action: .failed, status: "5.2.2", remoteMTA: "mx.example.net",
                diagnostic: .smtp("552 5.2.2 Mailbox full")),
            RecipientReport(
                finalRecipient: "dave@nowhere.example", action: .failed, status: "5.4.4",
                diagnostic: .local("Host or domain name not found. Name service error for name=nowhere.example type=MX")),
            RecipientReport(finalRecipient: "erin@example.com", action: .failed, status: "5.0.0"),
        ]
        let message = try DSNTestMessage(DSNFixture.report(recipients).encoded())
        let status = try message.deliveryStatus()
        #expect(status.recipients.map { dsnValue($0, "Final-Recipient") } == [
            "rfc822; bob@example.org", "rfc822; carol@example.net", "rfc822; dave@nowhere.example",
            "rfc822; erin@example.com",
        ])
        #expect(status.recipients.map { dsnValue($0, "Status") } == ["5.1.1", "5.2.2", "5.4.4", "5.0.0"])
        #expect(dsnValue(status.recipients[1], "Diagnostic-Code") == "smtp; 552 5.2.2 Mailbox full")
        #expect(
            dsnValue(status.recipients[2], "Diagnostic-Code")
                == "X-Poshta; Host or domain name not found. Name service error for name=nowhere.example type=MX")
        #expect(dsnValue(status.recipients[2], "Remote-MTA") == nil)
        #expect(status.recipients[3].map(\.name) == ["Final-Recipient", "Action", "Status"])
        let text = message.parts[0].body
        #expect(text.contains("<carol@example.net>: host mx.example.net said: 552 5.2.2 Mailbox full\r\n"))
        #expect(text.contains("<dave@nowhere.example>: Host or domain name not found."))
        #expect(text.contains("<erin@example.com>: delivery failed (status 5.0.0)\r\n"))
    }

    @Test("only delayed recipients make a warning with Will-Retry-Until")
    func delayWarning() throws {
        let until = Date(timeIntervalSince1970: 1_700_432_000)  // Sun, 19 Nov 2023 22:13:20 +0000
        let delayed = RecipientReport(
            finalRecipient: "bob@example.org", action: .delayed, status: "4.7.1", remoteMTA: "mx.example.org",
            diagnostic: .smtp("451 4.7.1 Greylisted, try again later"), lastAttemptDate: DSNFixture.lastAttempt,
            willRetryUntil: until)
        let report = DSNFixture.report([delayed])
        #expect(report.isDelayWarning)
        let encoded = report.encoded()
        DSNFixture.checkLines(encoded)
        let message = try DSNTestMessage(encoded)
        #expect(message.field("Subject") == "Delayed Mail (still being retried)")
        #expect(message.parts[2].field("Content-Description") == "Delayed Message Headers")
        let block = try message.deliveryStatus().recipients[0]
        #expect(block.map(\.name) == [
            "Final-Recipient", "Action", "Status", "Remote-MTA", "Diagnostic-Code", "Last-Attempt-Date",
            "Will-Retry-Until",
        ])
        #expect(dsnValue(block, "Action") == "delayed")
        #expect(dsnValue(block, "Will-Retry-Until") == "Sun, 19 Nov 2023 22:13:20 +0000")
        let text = message.parts[0].body
        #expect(text.contains("# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #"))
        #expect(text.contains("The mail system will keep trying until Sun, 19 Nov 2023 22:13:20 +0000.\r\n"))
        #expect(text.hasSuffix(
            "\r\n\r\n<bob@example.org>: host mx.example.org said: 451 4.7.1 Greylisted, try again\r\n    later\r\n"))
    }

    @Test("a bounce that also has delayed recipients lists them apart")
    func mixed() throws {
        let delayed = RecipientReport(
            finalRecipient: "carol@example.net", action: .delayed, status: "4.4.1",
            willRetryUntil: Date(timeIntervalSince1970: 1_700_432_000))
        let failedWithRetry = RecipientReport(
            finalRecipient: "bob@example.org", action: .failed, status: "5.1.1",
            willRetryUntil: Date(timeIntervalSince1970: 1_700_432_000))
        let report = DSNFixture.report([failedWithRetry, delayed])
        #expect(!report.isDelayWarning)
        let message = try DSNTestMessage(report.encoded())
        #expect(message.field("Subject") == "Undelivered Mail Returned to Sender")
        let blocks = try message.deliveryStatus().recipients
        #expect(dsnValue(blocks[0], "Will-Retry-Until") == nil)
        #expect(dsnValue(blocks[1], "Will-Retry-Until") != nil)
        let text = message.parts[0].body
        let apart = try #require(text.range(of: "Delivery to the following recipients is delayed"))
        #expect(text[apart.upperBound...].contains("<carol@example.net>: delivery delayed (status 4.4.1)"))
        #expect(!text[apart.upperBound...].contains("<bob@example.org>"))
    }

    @Test("a malformed status becomes the generic code for the action", arguments: ["", "5.1", "6.1.1", "5.1.1x", "5.1234.1"])
    func malformedStatus(_ status: String) throws {
        let failed = RecipientReport(finalRecipient: "bob@example.org", action: .failed, status: status)
        let delayed = RecipientReport(finalRecipient: "bob@example.org", action: .delayed, status: status)
        let blocks = try DSNTestMessage(DSNFixture.report([failed, delayed]).encoded()).deliveryStatus().recipients
        #expect(blocks.map { dsnValue($0, "Status") } == ["5.0.0", "4.0.0"])
    }

    @Test("the Message-ID helper joins time, queue id and hostname")
    func messageID() {
        #expect(
            DeliveryStatusNotification.makeMessageID(queueID: "3Z5KQ2M7TA", hostname: "mail.shop.example", date: DSNFixture.now)
                == "<1700003600.3Z5KQ2M7TA@mail.shop.example>")
    }
}
