import Testing

@testable import SMTPProtocol

/// `PathParser`: the `<...>` of MAIL and RCPT and the address inside, every
/// form of RFC 5321 §4.1.2 and RFC 6531 §3.3, with the limits of §4.5.3.1.
@Suite("Path parser")
struct PathParserTests {
    typealias Parsed = PathParser.ForwardPathOrNull

    static func parse(_ text: String, allowPostmaster: Bool = true) -> Result<Parsed, PathParser.Failure> {
        var parser = PathParser(bytes(text), at: 0)
        return Result { () throws(PathParser.Failure) -> Parsed in
            try parser.parsePath(allowPostmaster: allowPostmaster)
        }
    }

    static func parseDomain(_ text: String) -> Result<MailDomain, PathParser.Failure> {
        var parser = PathParser(bytes(text), at: 0)
        return Result { () throws(PathParser.Failure) -> MailDomain in try parser.parseDomainOrLiteral() }
    }

    static func isSyntaxError(_ result: Result<Parsed, PathParser.Failure>) -> Bool {
        if case .failure(.syntax) = result { return true }
        return false
    }

    static func repeated(_ text: String, _ count: Int) -> String { String(repeating: text, count: count) }

    // MARK: Accepted forms

    static let accepted: [(String, String, MailDomain)] = [
        // Dot-atoms
        ("<alice@example.com>", "alice", .name("example.com")),
        ("<first.last@example.com>", "first.last", .name("example.com")),
        ("<a.b.c.d@example.com>", "a.b.c.d", .name("example.com")),
        ("<user+tag@sub.example.co.uk>", "user+tag", .name("sub.example.co.uk")),
        ("<a@b>", "a", .name("b")),
        ("<Alice@Example.COM>", "Alice", .name("Example.COM")),
        ("<!#$&'*+-/=?^_`{|}~@example.com>", "!#$&'*+-/=?^_`{|}~", .name("example.com")),
        ("<0123456789@example.com>", "0123456789", .name("example.com")),
        // Domain names: letters, digits, inner hyphens
        ("<a@a-b.example.com>", "a", .name("a-b.example.com")),
        ("<a@a--b.example>", "a", .name("a--b.example")),
        ("<a@xn--bcher-kva.de>", "a", .name("xn--bcher-kva.de")),
        ("<a@123.example>", "a", .name("123.example")),
        ("<a@0.0.0.0.example>", "a", .name("0.0.0.0.example")),
        // Quoted local parts
        ("<\"john smith\"@example.com>", "\"john smith\"", .name("example.com")),
        ("<\"a\\\"b\"@example.com>", "\"a\\\"b\"", .name("example.com")),
        ("<\"a\\\\b\"@example.com>", "\"a\\\\b\"", .name("example.com")),
        ("<\"a\\ b\"@example.com>", "\"a\\ b\"", .name("example.com")),
        ("<\"a\\x\"@example.com>", "\"a\\x\"", .name("example.com")),
        ("<\"\"@example.com>", "\"\"", .name("example.com")),
        ("<\"a..b.\"@example.com>", "\"a..b.\"", .name("example.com")),
        (
            "<\"(comment) <brackets> [x], y;z:\"@example.com>", "\"(comment) <brackets> [x], y;z:\"",
            .name("example.com")
        ),
        ("<\"ünïcode quoted\"@example.com>", "\"ünïcode quoted\"", .name("example.com")),
        // IPv4 address literals
        ("<alice@[192.0.2.1]>", "alice", .ipv4("192.0.2.1")),
        ("<alice@[0.0.0.0]>", "alice", .ipv4("0.0.0.0")),
        ("<alice@[255.255.255.255]>", "alice", .ipv4("255.255.255.255")),
        // IPv6 address literals
        ("<alice@[IPv6:2001:db8::1]>", "alice", .ipv6("2001:db8::1")),
        ("<alice@[IPv6:::1]>", "alice", .ipv6("::1")),
        ("<alice@[IPv6:::]>", "alice", .ipv6("::")),
        ("<alice@[IPv6:2001:db8:0:0:0:0:0:1]>", "alice", .ipv6("2001:db8:0:0:0:0:0:1")),
        ("<alice@[IPv6:::ffff:192.0.2.1]>", "alice", .ipv6("::ffff:192.0.2.1")),
        ("<alice@[IPv6:2001:DB8::ABCD]>", "alice", .ipv6("2001:DB8::ABCD")),
        ("<alice@[ipv6:fe80::1]>", "alice", .ipv6("fe80::1")),
        // General address literals
        ("<alice@[x-tag:some-content]>", "alice", .general(tag: "x-tag", content: "some-content")),
        ("<alice@[future:a:b:c]>", "alice", .general(tag: "future", content: "a:b:c")),
        ("<alice@[9tag:!~]>", "alice", .general(tag: "9tag", content: "!~")),
        // UTF-8 (RFC 6531): accepted by the parser; SMTPUTF8 is the session's question
        ("<пользователь@пример.рф>", "пользователь", .name("пример.рф")),
        ("<用户@例子.广告>", "用户", .name("例子.广告")),
        ("<user@bücher.de>", "user", .name("bücher.de")),
        ("<bücher@example.com>", "bücher", .name("example.com")),
        ("<δοκιμή.ταχυδρομείου@παράδειγμα.δοκιμή>", "δοκιμή.ταχυδρομείου", .name("παράδειγμα.δοκιμή")),
        // Address tricks: valid syntax, refused later by the state machine
        ("<user%host@example.com>", "user%host", .name("example.com")),
        ("<host!user@example.com>", "host!user", .name("example.com")),
        ("<\"user@host\"@example.com>", "\"user@host\"", .name("example.com")),
    ]

    @Test("every address form of RFC 5321 §4.1.2 parses, kept as written", arguments: accepted)
    func acceptedForms(path: String, localPart: String, domain: MailDomain) throws {
        let result = Self.parse(path)
        #expect(result == .success(.mailbox(Mailbox(localPart: localPart, domain: domain))))
    }

    @Test("the parser stops right after the closing bracket")
    func stopsAfterBracket() throws {
        var parser = PathParser(bytes("MAIL FROM:<a@b> SIZE=1"), at: 10)
        _ = try parser.parsePath()
        #expect(parser.index == 15)
    }

    @Test("<> is the null path")
    func nullPath() {
        #expect(Self.parse("<>") == .success(.null))
        #expect(Self.parse("<>", allowPostmaster: false) == .success(.null))
    }

    @Test(
        "<Postmaster> without a domain is accepted in any case where allowed",
        arguments: ["<Postmaster>", "<postmaster>", "<POSTMASTER>", "<PostMaster>"])
    func postmaster(path: String) {
        #expect(Self.parse(path) == .success(.postmaster))
        #expect(Self.isSyntaxError(Self.parse(path, allowPostmaster: false)))
    }

    @Test("postmaster with a domain is an ordinary mailbox")
    func postmasterWithDomain() {
        #expect(
            Self.parse("<postmaster@example.com>")
                == .success(.mailbox(Mailbox(localPart: "postmaster", domain: .name("example.com")))))
    }

    // MARK: Refused forms

    static let refused: [String] = [
        // Missing parts
        "", "alice@example.com", "<", "<alice", "<alice>", "<alice@>", "<alice@example.com", "<@example.com>",
        // Dot-atoms
        "<.alice@example.com>", "<alice.@example.com>", "<al..ice@example.com>", "<.@example.com>",
        "<al ice@example.com>", "<al(ice@example.com>", "<al)ice@example.com>", "<al,ice@example.com>",
        "<al;ice@example.com>", "<al:ice@example.com>", "<al\"ice@example.com>", "<al[ice@example.com>",
        "<al\\ice@example.com>", "<al<ice@example.com>", "<alice\t@example.com>",
        // More than one @
        "<alice@host@example.com>", "<alice@@example.com>",
        // Quoted local parts
        "<\"alice@example.com>", "<\"alice\"x@example.com>", "<\"a\"\"b\"@example.com>", "<\"a\tb\"@example.com>",
        "<\"a\u{1}b\"@example.com>", "<\"a\\\"@example.com>", "<\"a\\é\"@example.com>", "<\"a\\\t\"@example.com>",
        "<x\"a\"@example.com>",
        // Domain names
        "<alice@example.com.>", "<alice@.example.com>", "<alice@example..com>", "<alice@.>",
        "<alice@-example.com>", "<alice@example-.com>", "<alice@sub.-example.com>", "<alice@sub.example-.com>",
        "<alice@-.com>", "<alice@exa_mple.com>", "<alice@exa mple.com>", "<alice@exa!mple.com>",
        "<alice@example.com x>", "<alice@example.com,x>", "<alice@example.com:x>",
        // IPv4 literals
        "<alice@[192.0.2.256]>", "<alice@[192.0.2]>", "<alice@[192.0.2.1.5]>", "<alice@[192.0.2.x]>",
        "<alice@[192..2.1]>", "<alice@[1234.0.0.1]>", "<alice@[192.0.2.1.]>", "<alice@[.192.0.2.1]>",
        "<alice@[192.0.2.1>", "<alice@[]>", "<alice@[ 192.0.2.1]>", "<alice@[-1.0.0.0]>", "<alice@[192.0.2.1]x>",
        "<alice@192.0.2.1]>", "<alice@[[192.0.2.1]]>",
        // IPv6 literals
        "<alice@[IPv6:2001:db8::g]>", "<alice@[IPv6:1:2:3:4:5:6:7:8:9]>", "<alice@[IPv6:]>",
        "<alice@[IPv6:2001:db8:::1]>", "<alice@[IPv6:192.0.2.1]>", "<alice@[IPv6:1::2::3]>",
        "<alice@[IPv6:fe80::1%eth0]>", "<alice@[IPv6:12345::1]>",
        // General literals: Ldh-str tag ":" 1*dcontent
        "<alice@[:content]>", "<alice@[x-tag:]>", "<alice@[x_tag:content]>", "<alice@[x-:content]>",
        "<alice@[x tag:content]>", "<alice@[x:con tent]>", "<alice@[x:con[tent]>", "<alice@[x:con\\tent]>",
    ]

    @Test("malformed addresses are syntax errors", arguments: refused)
    func refusedForms(path: String) {
        let result = Self.parse(path)
        #expect(Self.isSyntaxError(result), "\(visible(path)) gave \(result)")
    }

    @Test(
        "a malformed address is 501 5.1.7 in MAIL and 501 5.1.3 in RCPT",
        arguments: refused.filter { $0.hasPrefix("<") && $0 != "<" })
    func refusedThroughCommands(path: String) throws {
        let sender = try #require(errorReply("MAIL FROM:\(path)"))
        #expect(sender.status == "501 5.1.7")
        let recipient = try #require(errorReply("RCPT TO:\(path)"))
        #expect(recipient.status == "501 5.1.3")
    }

    // MARK: Source routes

    @Test(
        "a source route is recognised whole and refused as one",
        arguments: [
            "<@a.example:alice@example.com>", "<@a.example,@b.example:alice@example.com>",
            "<@[192.0.2.1]:alice@example.com>", "<@a,@b,@c:alice@example.com>",
        ])
    func sourceRoutes(path: String) {
        #expect(Self.parse(path) == .failure(.sourceRoute))
    }

    @Test(
        "a malformed source route is a syntax error, not a source route",
        arguments: [
            "<@a.example,b.example:alice@example.com>", "<@:alice@example.com>", "<@a.example alice@example.com>",
            "<@a.example,:alice@example.com>", "<@-a.example:alice@example.com>",
        ])
    func malformedSourceRoutes(path: String) {
        #expect(Self.isSyntaxError(Self.parse(path)))
    }

    // MARK: Length limits (RFC 5321 §4.5.3.1)

    @Test("a local part of 64 octets is accepted and 65 refused")
    func localPartLimit() {
        let ok = Self.repeated("a", 64)
        #expect(
            Self.parse("<\(ok)@example.com>")
                == .success(.mailbox(Mailbox(localPart: ok, domain: .name("example.com")))))
        #expect(Self.isSyntaxError(Self.parse("<\(Self.repeated("a", 65))@example.com>")))
    }

    @Test("a quoted local part counts its quotes toward the 64 octets")
    func quotedLocalPartLimit() {
        let ok = "\"" + Self.repeated("a", 62) + "\""
        #expect(
            Self.parse("<\(ok)@example.com>")
                == .success(.mailbox(Mailbox(localPart: ok, domain: .name("example.com")))))
        #expect(Self.isSyntaxError(Self.parse("<\"\(Self.repeated("a", 63))\"@example.com>")))
    }

    @Test("the local-part limit counts UTF-8 octets, not characters")
    func localPartLimitInOctets() {
        let ok = Self.repeated("ü", 32)  // 64 octets
        #expect(
            Self.parse("<\(ok)@example.com>")
                == .success(.mailbox(Mailbox(localPart: ok, domain: .name("example.com")))))
        #expect(Self.isSyntaxError(Self.parse("<\(Self.repeated("ü", 33))@example.com>")))  // 66 octets
    }

    @Test("a domain label of 63 octets is accepted and 64 refused")
    func labelLimit() {
        let ok = Self.repeated("a", 63) + ".example"
        #expect(Self.parse("<a@\(ok)>") == .success(.mailbox(Mailbox(localPart: "a", domain: .name(ok)))))
        #expect(Self.isSyntaxError(Self.parse("<a@\(Self.repeated("a", 64)).example>")))
        #expect(Self.isSyntaxError(Self.parse("<a@example.\(Self.repeated("a", 64))>")))
    }

    @Test("a domain of 255 octets is accepted and 256 refused")
    func domainLimit() {
        let label = Self.repeated("a", 63)
        let d255 = [label, label, label, Self.repeated("b", 63)].joined(separator: ".")
        #expect(d255.utf8.count == 255)
        #expect(Self.parseDomain(d255) == .success(.name(d255)))
        let d256 = [label, label, label, Self.repeated("b", 62), "c"].joined(separator: ".")
        #expect(d256.utf8.count == 256)
        guard case .failure(.syntax(let why)) = Self.parseDomain(d256) else {
            Issue.record("a 256-octet domain was accepted")
            return
        }
        #expect(why.contains("255"))
    }

    @Test("a path of 256 octets including the brackets is accepted and 257 refused")
    func pathLimit() {
        let local = Self.repeated("l", 64)
        let label = Self.repeated("d", 63)
        let domain256 = [label, label, Self.repeated("d", 61)].joined(separator: ".")  // 189 octets
        let path256 = "<\(local)@\(domain256)>"
        #expect(path256.utf8.count == 256)
        #expect(Self.parse(path256) == .success(.mailbox(Mailbox(localPart: local, domain: .name(domain256)))))
        let path257 = "<\(local)@\(domain256)d>"
        #expect(path257.utf8.count == 257)
        guard case .failure(.syntax(let why)) = Self.parse(path257) else {
            Issue.record("a 257-octet path was accepted")
            return
        }
        #expect(why.contains("256"))
    }

    // MARK: Mailbox values

    @Test("a mailbox knows whether it is ASCII, quoted, or uses a routing trick")
    func mailboxProperties() {
        let plain = Mailbox(localPart: "alice", domain: .name("Example.COM"))
        #expect(plain.isASCII && !plain.isQuoted && !plain.usesRoutingTricks)
        #expect(plain.domainName == "example.com")
        #expect(plain.description == "alice@Example.COM")

        #expect(!Mailbox(localPart: "пользователь", domain: .name("example.com")).isASCII)
        #expect(!Mailbox(localPart: "alice", domain: .name("bücher.de")).isASCII)
        #expect(Mailbox(localPart: "\"john smith\"", domain: .name("x")).isQuoted)
        #expect(Mailbox(localPart: "alice", domain: .ipv4("192.0.2.1")).domainName == nil)

        for trick in ["user%host", "host!user", "\"user@host\"", "\"user%host\""] {
            #expect(Mailbox(localPart: trick, domain: .name("example.com")).usesRoutingTricks, "\(trick)")
        }
    }

    @Test(
        "domains and paths print in their wire form",
        arguments: [
            (MailDomain.name("example.com"), "example.com"), (.ipv4("192.0.2.1"), "[192.0.2.1]"),
            (.ipv6("2001:db8::1"), "[IPv6:2001:db8::1]"), (.general(tag: "x-tag", content: "abc"), "[x-tag:abc]"),
        ])
    func domainDescriptions(domain: MailDomain, text: String) {
        #expect(domain.description == text)
    }

    @Test("reverse and forward paths print with their brackets")
    func pathDescriptions() {
        let alice = Mailbox(localPart: "alice", domain: .name("example.com"))
        #expect(ReversePath.null.description == "<>")
        #expect(ReversePath.null.address == "")
        #expect(ReversePath.mailbox(alice).description == "<alice@example.com>")
        #expect(ReversePath.mailbox(alice).address == "alice@example.com")
        #expect(ForwardPath.postmaster.description == "<Postmaster>")
        #expect(ForwardPath.mailbox(alice).description == "<alice@example.com>")
    }
}
