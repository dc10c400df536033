import MIME
import Testing

/// One message to build and read back.
struct RoundTripCase: Sendable, CustomTestStringConvertible {
    var name: String
    var subject: String
    var displayName: String
    var text: String
    var html: String
    /// The encodings the text and HTML parts should get, when the case is about them.
    var encodings: (MIMETransferEncoding, MIMETransferEncoding)?

    var testDescription: String { name }

    static let all: [RoundTripCase] = [
        RoundTripCase(
            name: "Bulgarian", subject: "Поръчка №1042 е платена — благодарим ви!", displayName: "Магазин „Роза“",
            text: "Здравейте, Иване!\n\nПоръчка №1042 е платена — благодарим ви!\nОбщо: 42,00 лв.\n",
            html: "<html><body><p>Поръчка <b>№1042</b> е платена — благодарим ви!</p></body></html>",
            encodings: (.base64, .base64)),
        RoundTripCase(
            name: "Macedonian", subject: "Нарачка бр. 1042 е платена — ви благодариме!", displayName: "Ѓорѓи Ќосевски",
            text: "Почитуван Ѓорѓи,\r\nВашата нарачка ќе биде испратена утре.\r\n", html: "<p>Ѕвезда, Љубов, Њива, Џеб</p>"),
        RoundTripCase(
            name: "long display name and subject", subject: String(repeating: "Поръчка №1042 е платена — благодарим ви! ", count: 4),
            displayName: "Магазин за цветя „Роза“ ООД, Скопје — подароци и цвеќиња",
            text: "Благодариме!", html: "<p>Благодариме!</p>"),
        RoundTripCase(
            name: "long lines", subject: String(repeating: "Very long subject ", count: 10), displayName: "Shop",
            text: String(repeating: "word ", count: 600), html: "<p>" + String(repeating: "A longer sentence with one café in it. ", count: 50) + "</p>",
            encodings: (.quotedPrintable, .quotedPrintable)),
        RoundTripCase(
            name: "lines starting with a dot or From", subject: ".From", displayName: "From Shop",
            text: ".\n.hidden\nFrom here\n..\nFrom", html: ".\n.\n..\nFrom: x\nFromage\n", encodings: (.quotedPrintable, .sevenBit)),
        RoundTripCase(
            name: "quoted-printable lines of 76 and 77", subject: "QP", displayName: "Q",
            text: "é\n" + String(repeating: "x", count: 76) + "\n" + String(repeating: "y", count: 77) + "\n"
                + String(repeating: "z", count: 75) + " \n" + String(repeating: "w", count: 74) + "=\n",
            html: String(repeating: "h", count: 76) + "é", encodings: (.quotedPrintable, .quotedPrintable)),
        RoundTripCase(name: "empty bodies", subject: "", displayName: "", text: "", html: "", encodings: (.sevenBit, .sevenBit)),
        RoundTripCase(
            name: "mixed line breaks and trailing blanks", subject: "  padded  ", displayName: "Ivanov, Ivan",
            text: "a \nb\t\r\nc\rd  ", html: "<pre>\n  indented\n</pre>"),
        RoundTripCase(
            name: "boundary-like content", subject: "--=_", displayName: "x",
            text: "--=_\n--=_abc--\n=_", html: "<p>--boundary</p>\n--"),
        RoundTripCase(
            name: "emoji and combining marks", subject: "Ваша поръчка 🎉 е тук, е́", displayName: "🛍️ Shop",
            text: "🎉🎉🎉 e\u{301}", html: "<p>🎉</p>"),
    ]
}

@Suite("build, then parse: the same texts come back")
struct MIMERoundTripTests {
    @Test("multipart/alternative", arguments: RoundTripCase.all)
    func alternative(_ sample: RoundTripCase) throws {
        let builder = MIMEBuilder(
            from: .init("shop@example.bg", displayName: sample.displayName), to: [.init("ivan@example.bg")],
            subject: sample.subject, body: .alternative(text: sample.text, html: sample.html))
        let built = try builder.build()
        BuiltMessage.checkShape(built)
        let message = try MIMEMessage(parsing: built)
        #expect(message.root.contentType.mediaType == "multipart/alternative")
        #expect(message.root.defects.isEmpty)
        #expect(message.root.parts.map(\.contentType.mediaType) == ["text/plain", "text/html"])
        #expect(message.subject == Self.oneLine(sample.subject))
        let from = EncodedWord.decode(message.header("From") ?? "")
        if sample.displayName.isEmpty {
            #expect(from == "shop@example.bg")
        } else if sample.displayName.utf8.contains(where: { $0 >= 0x80 }) {
            #expect(from == "\(sample.displayName) <shop@example.bg>")
        } else {
            #expect(from.hasSuffix(" <shop@example.bg>"))
        }
        let plain = try #require(message.firstPart(withMediaType: "text/plain"))
        let html = try #require(message.firstPart(withMediaType: "text/html"))
        #expect(try plain.text() == MIMEBuilder.canonicalText(sample.text).text)
        #expect(try html.text() == MIMEBuilder.canonicalText(sample.html).text)
        #expect(plain.charset == "utf-8" && html.charset == "utf-8")
        if let (textEncoding, htmlEncoding) = sample.encodings {
            #expect(plain.header("Content-Transfer-Encoding") == textEncoding.rawValue)
            #expect(html.header("Content-Transfer-Encoding") == htmlEncoding.rawValue)
        }
    }

    @Test("a single text part", arguments: RoundTripCase.all)
    func single(_ sample: RoundTripCase) throws {
        let builder = MIMEBuilder(
            from: .init("shop@example.bg"), to: [.init("ivan@example.bg")], subject: sample.subject, body: .text(sample.text))
        let built = try builder.build()
        BuiltMessage.checkShape(built)
        let message = try MIMEMessage(parsing: built)
        #expect(message.root.contentType.mediaType == "text/plain")
        #expect(try message.root.text() == MIMEBuilder.canonicalText(sample.text).text)
    }

    @Test("encoded-word subjects read back, also split by hand across folded lines")
    func subjects() throws {
        let subject = "Поръчка №1042 е платена — благодарим ви!"
        let value = EncodedWord.encode(subject, startingColumn: 9)
        let message = try MIMEMessage(parsing: "Subject: \(value)\r\n\r\n".bytes)
        #expect(message.subject == subject)
        // Another writer's folding: Q words, one split inside a character.
        let handmade = "Subject: =?utf-8?q?=D0=9F=D0=BE=D1=80=D1=8A=D1=87=D0=BA=D0=B0_=E2=84?=\r\n =?utf-8?q?=961042?=\r\n\r\n"
        #expect(try MIMEMessage(parsing: handmade.bytes).subject == "Поръчка №1042")
    }

    static func oneLine(_ text: String) -> String {
        let spaced = String(text.map { $0 == "\r\n" || $0 == "\r" || $0 == "\n" || $0 == "\t" ? " " : $0 })
        return String(spaced.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
