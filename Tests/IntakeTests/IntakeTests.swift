import Foundation
import Logging
import PoshtaTestSupport
import SMTPProtocol
import Spool
import Testing

@testable import Intake

@Suite("intake finishes messages")
struct IntakeTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    func incoming(_ content: String, recipients: [String] = ["b@example.net"], utf8: Bool = false) -> IncomingMessage {
        let mailboxes = recipients.map { address in
            let parts = address.split(separator: "@")
            return Mailbox(localPart: String(parts[0]), domain: .name(String(parts[1])))
        }
        return IncomingMessage(
            transaction: MailTransaction(
                sender: .mailbox(Mailbox(localPart: "a", domain: .name("shop.example"))),
                parameters: MailParameters(smtpUTF8: utf8), recipients: mailboxes),
            content: Array(content.utf8),
            client: ClientDescription(address: "127.0.0.1", port: 4711, heloName: "shop.local", extended: true))
    }

    func finish(_ message: IncomingMessage) throws -> (String, QueueID) {
        let folder = try TemporaryDirectory()
        let spool = try Spool(directory: folder.path + "/spool", logger: logger)
        defer { spool.close() }
        let intake = Intake(configuration: .init(hostname: "mail.test"), spool: spool, logger: logger)
        let id = spool.makeQueueID()
        let bytes = intake.finish(
            message, id: id, recipients: message.transaction.recipients.map(\.description), now: 1_795_417_793)
        return (String(decoding: bytes, as: UTF8.self), id)
    }

    @Test("Received goes on top; the header section and body are kept byte for byte")
    func receivedOnTop() throws {
        let content = "Message-ID: <m@shop>\r\nDate: Mon, 1 Jan 2026 00:00:00 +0000\r\nSubject: x\r\n\r\nbody\r\n"
        let (text, id) = try finish(incoming(content))
        #expect(
            text
                == "Received: from shop.local (unknown [127.0.0.1])\r\n\tby mail.test (Poshta) with ESMTP id \(id)\r\n\tfor <b@example.net>; Mon, 23 Nov 2026 07:09:53 +0000\r\n"
                + content)
    }

    @Test("with several recipients Received names none of them")
    func severalRecipients() throws {
        let (text, id) = try finish(incoming("Message-ID: <m@s>\r\nDate: x\r\n\r\nb\r\n", recipients: ["b@x.example", "c@x.example"]))
        #expect(text.hasPrefix("Received: from shop.local (unknown [127.0.0.1])\r\n\tby mail.test (Poshta) with ESMTP id \(id);\r\n\tMon, 23 Nov 2026 07:09:53 +0000\r\n"))
        #expect(!text.contains("for <"))
    }

    @Test("missing Message-ID and Date are added at the end of the header section")
    func addsMissing() throws {
        let (text, id) = try finish(incoming("Subject: x\r\n\r\nbody\r\n"))
        #expect(
            text.hasSuffix(
                "Subject: x\r\nMessage-ID: <\(id).1795417793@mail.test>\r\nDate: Mon, 23 Nov 2026 07:09:53 +0000\r\n\r\nbody\r\n"))
    }

    @Test("a message without headers gets them and an empty line before its body")
    func bodyOnly() throws {
        let (text, id) = try finish(incoming("just text\r\n"))
        #expect(
            text.hasSuffix(
                "for <b@example.net>; Mon, 23 Nov 2026 07:09:53 +0000\r\nMessage-ID: <\(id).1795417793@mail.test>\r\nDate: Mon, 23 Nov 2026 07:09:53 +0000\r\n\r\njust text\r\n"))
    }

    @Test("SMTPUTF8 mail is received with UTF8SMTP")
    func utf8() throws {
        let (text, _) = try finish(incoming("Message-ID: <m@s>\r\nDate: x\r\n\r\nb\r\n", utf8: true))
        #expect(text.contains(" with UTF8SMTP id "))
    }

    @Test("accept spools the finished message and returns its id")
    func acceptSpools() async throws {
        let folder = try TemporaryDirectory()
        let spool = try Spool(directory: folder.path + "/spool", logger: logger)
        let intake = Intake(configuration: .init(hostname: "mail.test"), spool: spool, logger: logger)
        let id = try await intake.accept(incoming("Subject: spooled\r\n\r\nhello\r\n"))
        let claimed = try await spool.claimDue(now: Date().timeIntervalSince1970 + 1, limit: 10)
        #expect(claimed.map(\.envelope.queueID) == [id])
        #expect(claimed.first?.envelope.sender == "a@shop.example")
        #expect(claimed.first?.envelope.client == "[127.0.0.1]:4711")
        let bytes = try spool.readMessage(at: try #require(claimed.first).location)
        #expect(String(decoding: bytes, as: UTF8.self).hasSuffix("\r\n\r\nhello\r\n"))
        spool.close()
    }
}
