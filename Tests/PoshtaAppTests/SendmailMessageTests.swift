import MIME
@testable import PoshtaApp
import Testing

/// What `poshta sendmail` makes of standard input: line endings, the end
/// of input, recipients from headers, Bcc, the From header, the envelope.
@Suite("sendmail message preparation")
struct SendmailMessageTests {
    static let defaultSender = "www-data@mail.test"

    private func prepare(_ text: String, _ options: [String] = ["-t", "-i"]) throws -> SendmailMessage {
        try SendmailMessage.prepare(
            input: Array(text.utf8), arguments: SendmailArguments.parse(options),
            defaultSender: Self.defaultSender, hostname: "mail.test")
    }

    private func refusal(_ text: String, _ options: [String] = ["-t", "-i"]) -> SendmailError? {
        do {
            _ = try prepare(text, options)
            return nil
        } catch let error as SendmailError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    private func text(_ message: SendmailMessage) -> String { String(decoding: message.content, as: UTF8.self) }

    // MARK: - Lines

    @Test("LF, CRLF and lone CR line endings all become CRLF; a last line without one gets it")
    func lineEndings() throws {
        let message = try prepare("From: a@b.example\nTo: c@d.example\r\nSubject: x\r\rline one\nline two\rlast")
        #expect(text(message) == "From: a@b.example\r\nTo: c@d.example\r\nSubject: x\r\n\r\nline one\r\nline two\r\nlast\r\n")
    }

    @Test("without -i, a line holding only a dot ends the input, whatever its line ending", arguments: [
        "\n.\nafter\n", "\r\n.\r\nafter\r\n", "\n.\rafter\n", "\n.",
    ])
    func dotEndsInput(_ tail: String) throws {
        let message = try prepare("From: a@b.example\nTo: c@d.example\n\nbefore" + tail, ["-t"])
        #expect(text(message) == "From: a@b.example\r\nTo: c@d.example\r\n\r\nbefore\r\n")
    }

    @Test("with -i or -oi, a dot line is an ordinary line and so are lines starting with dots", arguments: [
        ["-t", "-i"], ["-t", "-oi"],
    ])
    func dotKeptWithI(_ options: [String]) throws {
        let message = try prepare("From: a@b.example\nTo: c@d.example\n\nbefore\n.\n..two\n.x\nafter\n", options)
        #expect(text(message) == "From: a@b.example\r\nTo: c@d.example\r\n\r\nbefore\r\n.\r\n..two\r\n.x\r\nafter\r\n")
    }

    @Test("without -i, a line that only starts with a dot does not end the input")
    func dotPrefixDoesNotEnd() throws {
        let message = try prepare("From: a@b.example\nTo: c@d.example\n\n.x\n..\nend\n", ["-t"])
        #expect(text(message) == "From: a@b.example\r\nTo: c@d.example\r\n\r\n.x\r\n..\r\nend\r\n")
    }

    @Test("a leading mbox From_ line is dropped")
    func mboxFromLine() throws {
        let message = try prepare("From www-data Mon Nov 23 07:01:02 2026\nFrom: a@b.example\nTo: c@d.example\n\nhi\n")
        #expect(text(message) == "From: a@b.example\r\nTo: c@d.example\r\n\r\nhi\r\n")
    }

    // MARK: - Recipients

    @Test("-t reads To, Cc and Bcc, folded, with quoted names holding commas, comments and groups")
    func recipientsFromHeaders() throws {
        let message = try prepare("""
            From: shop@shop.example
            To: "Doe, Jane" <jane@shop.example>,
             bob@example.net (Bob Smith),
            \t"Carol \\"C\\" King" <carol@example.org>
            Cc: team: dave@example.com, <erin@example.com>;, frank@example.com
            Bcc: undisclosed-recipients:;
            BCC: Grace <grace@example.com>
            Subject: Order 1042

            Thank you.

            """)
        #expect(message.recipients == [
            "jane@shop.example", "bob@example.net", "carol@example.org", "dave@example.com", "erin@example.com",
            "frank@example.com", "grace@example.com",
        ])
    }

    @Test("-t adds the header recipients to those of the command line, duplicates removed (domain without case)")
    func recipientsAdded() throws {
        let message = try prepare(
            "From: a@b.example\nTo: Jane <jane@Shop.Example>, other@x.example\nCc: Jane@shop.example\n\nhi\n",
            ["-t", "-i", "jane@shop.example", "admin@x.example"])
        #expect(message.recipients == ["jane@shop.example", "admin@x.example", "other@x.example", "Jane@shop.example"])
    }

    @Test("without -t, the headers' addresses are not recipients")
    func headersIgnoredWithoutT() throws {
        let message = try prepare("From: a@b.example\nTo: other@x.example\n\nhi\n", ["-i", "only@x.example"])
        #expect(message.recipients == ["only@x.example"])
    }

    @Test("Resent-To and Resent-Cc are read instead of To and Cc when present")
    func resent() throws {
        let message = try prepare(
            "From: a@b.example\nTo: original@x.example\nResent-To: new@x.example\nResent-Bcc: hidden@x.example\n\nhi\n")
        #expect(message.recipients == ["new@x.example", "hidden@x.example"])
        #expect(!text(message).contains("hidden@x.example"))
        #expect(text(message).contains("To: original@x.example\r\n"))
    }

    @Test("no recipients anywhere is an error that says what to do")
    func noRecipients() throws {
        let withT = try #require(refusal("From: a@b.example\nTo: undisclosed-recipients:;\n\nhi\n"))
        #expect(withT.message == "no recipients: give them as arguments or use -t")
        #expect(withT.status == .dataError)
        let withoutT = try #require(refusal("From: a@b.example\nTo: x@y.example\n\nhi\n", ["-i"]))
        #expect(withoutT.message == "no recipients: give them as arguments or use -t")
        #expect(withoutT.status == .usage)
    }

    @Test("an unreadable address header is an input error naming the header", arguments: [
        "To: Jane Doe\n", "To: <jane@shop.example\n", "Cc: \"Jane <jane@shop.example>\n", "To: (comment jane@x.example\n",
    ])
    func badHeader(_ header: String) throws {
        let error = try #require(refusal("From: a@b.example\n" + header + "\nhi\n"))
        #expect(error.status == .dataError)
        #expect(error.message.hasPrefix("cannot read the \(header.prefix(2)) header"))
    }

    // MARK: - Bcc and From

    @Test("Bcc is removed, folded lines included, and the rest of the message is kept byte for byte")
    func bccRemoved() throws {
        let message = try prepare("From: a@b.example\nBcc: x@y.example,\n  z@y.example\nTo: c@d.example\nbcc: q@y.example\n\nBcc: body line\n")
        #expect(text(message) == "From: a@b.example\r\nTo: c@d.example\r\n\r\nBcc: body line\r\n")
        #expect(message.recipients == ["x@y.example", "z@y.example", "c@d.example", "q@y.example"])
    }

    @Test("Bcc is removed without -t too: it must never reach the other recipients")
    func bccRemovedWithoutT() throws {
        let message = try prepare("From: a@b.example\nBcc: x@y.example\n\nhi\n", ["-i", "c@d.example"])
        #expect(text(message) == "From: a@b.example\r\n\r\nhi\r\n")
    }

    @Test("a message without From gets one with the sender at the end of its header")
    func fromAdded() throws {
        let message = try prepare("To: c@d.example\nSubject: x\n\nhi\n", ["-t", "-i", "-f", "shop@shop.example"])
        #expect(text(message) == "To: c@d.example\r\nSubject: x\r\nFrom: shop@shop.example\r\n\r\nhi\r\n")
    }

    @Test("-F puts a quoted display name in the added From, quotes escaped")
    func fromWithName() throws {
        let message = try prepare("To: c@d.example\n\nhi\n", ["-t", "-i", "-F", "Shop \"Best\" Team"])
        #expect(text(message).contains("From: \"Shop \\\"Best\\\" Team\" <www-data@mail.test>\r\n"))
    }

    @Test("a Cyrillic -F name is RFC 2047 encoded, in words that keep the lines short")
    func fromWithCyrillicName() throws {
        let name = "Интернет-магазин «Ромашка» — служба поддержки"
        let message = try prepare("To: c@d.example\n\nhi\n", ["-t", "-i", "-F", name, "-f", "shop@shop.example"])
        let headers = HeaderBlock(scanning: message.content)
        let field = try #require(headers.fields.first { $0.name == "From" })
        let raw = String(decoding: message.content[field.range], as: UTF8.self)
        #expect(raw.utf8.allSatisfy { $0 < 0x80 })
        #expect(raw.hasPrefix("From: =?UTF-8?B?"))
        #expect(raw.hasSuffix(" <shop@shop.example>\r\n"))
        // RFC 2047 §2: an encoded word is at most 75 characters; RFC 5322 §2.1.1: lines at most 78.
        for line in raw.split(separator: "\r\n") { #expect(line.utf8.count <= 78, "\(line)") }
        // Decoding the words gives the name back.
        let words = raw.split(whereSeparator: { " \t\r\n".contains($0) }).filter { $0.hasPrefix("=?UTF-8?B?") }
        for word in words { #expect(word.count <= 75, "\(word)") }
        let decoded = words.map { word in
            decodeBase64(String(word.dropFirst("=?UTF-8?B?".count).dropLast(2)))
        }.reduce([], +)
        #expect(String(decoding: decoded, as: UTF8.self) == name)
    }

    @Test("a -F name cannot add a header line: control characters become spaces")
    func fromNameInjection() throws {
        let message = try prepare("To: c@d.example\n\nhi\n", ["-t", "-i", "-F", "Evil\r\nBcc: victim@x.example"])
        #expect(text(message).contains("From: \"Evil Bcc: victim@x.example\" <www-data@mail.test>\r\n"))
    }

    @Test("an existing From is kept as it is")
    func fromKept() throws {
        let message = try prepare("From: Shop <shop@shop.example>\nTo: c@d.example\n\nhi\n", ["-t", "-i", "-F", "Other"])
        #expect(text(message) == "From: Shop <shop@shop.example>\r\nTo: c@d.example\r\n\r\nhi\r\n")
    }

    @Test("a message with no header section gets From and the empty line that ends the header")
    func noHeaders() throws {
        let message = try prepare("just a body\n", ["-i", "c@d.example"])
        #expect(text(message) == "From: www-data@mail.test\r\n\r\njust a body\r\n")
    }

    // MARK: - Envelope

    @Test("the envelope sender is -f, else the default; a bare -f name gets the host name; <> is null")
    func envelopeSender() throws {
        let body = "From: a@b.example\n\nhi\n"
        #expect(try prepare(body, ["-i", "c@d.example"]).sender == Self.defaultSender)
        #expect(try prepare(body, ["-i", "-f", "shop@shop.example", "c@d.example"]).sender == "shop@shop.example")
        #expect(try prepare(body, ["-i", "-f", "bounces", "c@d.example"]).sender == "bounces@mail.test")
        #expect(try prepare(body, ["-i", "-f", "<>", "c@d.example"]).sender == "")
    }

    @Test("a null sender's added From names the default sender")
    func nullSenderFrom() throws {
        let message = try prepare("To: c@d.example\n\nhi\n", ["-t", "-i", "-f", "<>"])
        #expect(text(message).contains("From: www-data@mail.test\r\n"))
    }

    @Test("a -f that is not one address is refused as a bad address", arguments: ["a b@c.example", "a@b.example, c@d.example", "<a@b"])
    func badSender(_ sender: String) throws {
        let error = try #require(refusal("From: a@b.example\n\nhi\n", ["-i", "-f", sender, "c@d.example"]))
        #expect(error.status == .noUser)
        #expect(error.message.hasPrefix("bad sender"))
    }

    @Test("8BITMIME is declared for 8-bit bytes or -B8BITMIME, not for plain ASCII")
    func eightBit() throws {
        #expect(try prepare("To: c@d.example\n\nпривет\n").eightBitMIME)
        #expect(try prepare("To: c@d.example\n\nhello\n", ["-t", "-i", "-B8BITMIME"]).eightBitMIME)
        #expect(try !prepare("To: c@d.example\n\nhello\n").eightBitMIME)
    }

    @Test("the default sender is the login at the host name")
    func defaultSender() {
        #expect(SendmailMessage.defaultSender(login: "www-data", hostname: "mail.test") == "www-data@mail.test")
    }

    // MARK: - Helpers

    private func decodeBase64(_ text: String) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var bits: UInt32 = 0
        var count = 0
        var out: [UInt8] = []
        for byte in text.utf8 where byte != UInt8(ascii: "=") {
            guard let value = alphabet.firstIndex(of: byte) else { continue }
            bits = bits << 6 | UInt32(value)
            count += 6
            if count >= 8 {
                count -= 8
                out.append(UInt8((bits >> UInt32(count)) & 0xFF))
            }
        }
        return out
    }
}
