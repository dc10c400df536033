import MIME
import Testing

@Suite("mailboxes for From, To and Reply-To")
struct MailboxTextTests {
    @Test(
        "display names are atoms, quoted-strings or encoded-words as RFC 5322 and 2047 require",
        arguments: [
            ("Shop", "Shop <shop@example.com>"),
            ("Example Shop", "Example Shop <shop@example.com>"),
            ("Ivanov, Ivan", "\"Ivanov, Ivan\" <shop@example.com>"),
            ("J. Smith", "\"J. Smith\" <shop@example.com>"),
            ("a@b", "\"a@b\" <shop@example.com>"),
            ("Say \"hi\" \\o/", "\"Say \\\"hi\\\" \\\\o/\" <shop@example.com>"),
            ("Two  spaces", "\"Two  spaces\" <shop@example.com>"),
            ("Café Shop", "=?UTF-8?Q?Caf=C3=A9_Shop?= <shop@example.com>"),
            ("Магазин Роза", "=?UTF-8?B?0JzQsNCz0LDQt9C40L0g0KDQvtC30LA=?= <shop@example.com>"),
            ("=?utf-8?q?x?=", "=?UTF-8?B?PT91dGYtOD9xP3g/PQ==?= <shop@example.com>"),
        ])
    func formats(name: String, expected: String) {
        #expect(MailboxText.mailbox(displayName: name, address: "shop@example.com") == expected)
    }

    @Test("no display name gives the bare address")
    func bare() {
        #expect(MailboxText.mailbox(displayName: nil, address: "a@example.com") == "a@example.com")
        #expect(MailboxText.mailbox(displayName: "", address: "a@example.com") == "a@example.com")
    }

    @Test("a long non-ASCII name becomes several encoded-words of at most 75, which decode back")
    func longName() {
        let name = String(repeating: "Магазин за цветя ", count: 8) + "Роза"
        let mailbox = MailboxText.mailbox(displayName: name, address: "shop@example.mk")
        let words = mailbox.split(separator: " ").dropLast()
        #expect(words.count > 2)
        #expect(words.allSatisfy { $0.utf8.count <= 75 && $0.hasPrefix("=?UTF-8?B?") })
        #expect(EncodedWord.decode(mailbox) == "\(name) <shop@example.mk>")
    }

    @Test("a phrase alone")
    func phrase() {
        #expect(MailboxText.phrase("Shop") == "Shop")
        #expect(MailboxText.phrase("Shop, Inc.") == "\"Shop, Inc.\"")
    }
}

/// Reading one mailbox back from a header value.
@Suite("AddressList.mailbox: one mailbox with its name")
struct AddressListMailboxTests {
    @Test("plain, quoted and encoded names; a bare address; lists and garbage refused")
    func mailboxes() {
        #expect(AddressList.mailbox(in: "Shop <shop@example.com>")! == ("Shop", "shop@example.com"))
        #expect(AddressList.mailbox(in: #""Doe, \"Jane\"" <jane@example.com>"#)! == ("Doe, \"Jane\"", "jane@example.com"))
        #expect(AddressList.mailbox(in: "=?UTF-8?B?0KDQvtC80LDRiNC60LA=?= <shop@example.bg>")! == ("Ромашка", "shop@example.bg"))
        #expect(AddressList.mailbox(in: "shop@example.com")! == (nil, "shop@example.com"))
        #expect(AddressList.mailbox(in: "a@example.com, b@example.com") == nil)
        #expect(AddressList.mailbox(in: "Nobody") == nil)
    }
}

/// Reading a whole To or Cc back with its names.
@Suite("AddressList.mailboxes: a list with its names")
struct AddressListMailboxesTests {
    @Test("names per address, groups, comments, dotted initials")
    func list() throws {
        let list = try AddressList.mailboxes(
            in: #"Иван Петров <ivan@example.bg>, "Doe, Jane" <jane@example.com>, team: J. R. Doe <jr@example.com>, bob@example.net (Bob);"#)
        #expect(list.map(\.address) == ["ivan@example.bg", "jane@example.com", "jr@example.com", "bob@example.net"])
        #expect(list.map(\.displayName) == ["Иван Петров", "Doe, Jane", "J. R. Doe", nil])
        #expect(try AddressList.mailboxes(in: "").isEmpty)
        #expect(throws: AddressList.Failure.self) { try AddressList.mailboxes(in: "Nobody <>") }
    }
}
