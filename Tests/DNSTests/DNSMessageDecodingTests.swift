import Testing
@testable import DNS

@Suite("DNSMessage decoding")
struct DNSMessageDecodingTests {
    @Test("MX answers with compressed exchanges come back sorted by preference")
    func mxCompressed() throws {
        let message = try DNSMessage(decoding: Wire.mxResponse)
        #expect(message.id == 0xBEEF)
        #expect(message.isResponse && message.recursionDesired && message.recursionAvailable)
        #expect(!message.isAuthoritative && !message.isTruncated)
        #expect(message.responseCode == .noError)
        #expect(message.questions == [DNSQuestion(name: .n("example.com"), type: .mx)])
        let mx = message.mxRecords()
        #expect(mx.map(\.preference) == [10, 20])
        #expect(mx.map(\.exchange) == [.n("mx1.example.com"), .n("mx2.example.com")])
        #expect(!message.isNullMX)
        #expect(message.answers[0].ttl == 3600)
        #expect(message.additionals == [DNSRecord(name: .n("mx1.example.com"), ttl: 3600, data: .a([192, 0, 2, 1]))])
        #expect(message.additionals[0].data.addressText == "192.0.2.1")
    }

    @Test("A and AAAA answers read as address text")
    func addresses() throws {
        let v6: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [1]
        let bytes =
            Wire.header(flags: 0x8180, an: 3) + Wire.question("mx.example.com", type: 255)
            + Wire.record([0xC0, 0x0C], type: 1, rdata: [192, 0, 2, 1])
            + Wire.record([0xC0, 0x0C], type: 1, rdata: [198, 51, 100, 25])
            + Wire.record([0xC0, 0x0C], type: 28, rdata: v6)
        let message = try DNSMessage(decoding: bytes)
        #expect(message.questions[0].type == .other(255))
        #expect(message.addresses() == ["192.0.2.1", "198.51.100.25", "2001:db8::1"])
        #expect(message.answers.map(\.type) == [.a, .a, .aaaa])
    }

    @Test(
        "IPv6 addresses are written in RFC 5952 form",
        arguments: [
            ("00000000000000000000000000000000", "::"),
            ("00000000000000000000000000000001", "::1"),
            ("20010db8000000000000000000000001", "2001:db8::1"),
            ("20010db8000000010001000100010001", "2001:db8:0:1:1:1:1:1"),
            ("20010000000000010000000000000001", "2001:0:0:1::1"),
            ("20010db8000000000001000000000000", "2001:db8:0:0:1::"),
            ("20010db8000000000001000000000001", "2001:db8::1:0:0:1"),
            ("fe800000000000000000000000000000", "fe80::"),
            ("00000000000000000000ffffc0000201", "::ffff:192.0.2.1"),
        ])
    func ipv6Text(_ hex: String, _ text: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        #expect(DNSRecordData.aaaa(bytes).addressText == text)
    }

    @Test("a CNAME chain leads to the canonical name and its address")
    func cnameChain() throws {
        // www.example.com CNAME a.example.net; a.example.net CNAME b.example.net; b.example.net A
        var bytes = Wire.header(flags: 0x8180, an: 3) + Wire.question("www.example.com", type: 1)
        bytes += Wire.record([0xC0, 0x0C], type: 5, rdata: Wire.name("a.example.net"))
        let aAt = bytes.count - Wire.name("a.example.net").count
        bytes += Wire.record([0xC0, UInt8(aAt)], type: 5, rdata: [0x01, 0x62, 0xC0, UInt8(aAt + 2)])
        let bAt = bytes.count - 4
        bytes += Wire.record([0xC0, UInt8(bAt)], type: 1, ttl: 60, rdata: [192, 0, 2, 7])
        let message = try DNSMessage(decoding: bytes)
        #expect(message.answers[0].data == .cname(.n("a.example.net")))
        #expect(message.answers[1].name == .n("a.example.net"))
        #expect(message.answers[1].data == .cname(.n("b.example.net")))
        #expect(message.answers[2].name == .n("b.example.net"))
        #expect(message.canonicalName(for: .n("WWW.example.com")) == .n("b.example.net"))
        #expect(message.addresses() == ["192.0.2.7"])
    }

    @Test("a CNAME loop stops the chain instead of spinning")
    func cnameLoop() {
        let message = DNSMessage(
            id: 1,
            answers: [
                DNSRecord(name: .n("a.example"), ttl: 1, data: .cname(.n("b.example"))),
                DNSRecord(name: .n("b.example"), ttl: 1, data: .cname(.n("a.example"))),
            ])
        #expect(message.canonicalName(for: .n("a.example")) == .n("b.example"))
    }

    @Test(
        "NXDOMAIN with an SOA gives the negative-caching TTL min(TTL, MINIMUM)",
        arguments: [
            (UInt32(3600), UInt32(300), UInt32(300)),
            (UInt32(60), UInt32(300), UInt32(60)),
        ])
    func nxdomain(_ ttl: UInt32, _ minimum: UInt32, _ expected: UInt32) throws {
        let soa =
            Wire.name("ns.example.com") + [0x0A] + Array("hostmaster".utf8) + [0xC0, 0x0C]
            + Wire.u32(2_026_112_301) + Wire.u32(7200) + Wire.u32(900) + Wire.u32(1_209_600) + Wire.u32(minimum)
        let bytes =
            Wire.header(flags: 0x8183, ns: 1) + Wire.question("example.com", type: 15)
            + Wire.record([0xC0, 0x0C], type: 6, ttl: ttl, rdata: soa)
        let message = try DNSMessage(decoding: bytes)
        #expect(message.responseCode == .nameError)
        #expect(message.answers.isEmpty)
        #expect(message.mxRecords().isEmpty)
        guard case .soa(let mname, let rname, let serial, _, _, let expire, _) = message.authorities.first?.data else {
            Issue.record("no SOA")
            return
        }
        #expect(mname == .n("ns.example.com"))
        #expect(rname == .n("hostmaster.example.com"))
        #expect(serial == 2_026_112_301 && expire == 1_209_600)
        #expect(message.negativeCachingTTL == expected)
    }

    @Test("no SOA, no negative-caching TTL")
    func noSOA() throws {
        #expect(try DNSMessage(decoding: Wire.mxResponse).negativeCachingTTL == nil)
    }

    @Test("a single MX 0 \".\" is a null MX")
    func nullMX() throws {
        let bytes =
            Wire.header(flags: 0x8180, an: 1) + Wire.question("example.com", type: 15)
            + Wire.record([0xC0, 0x0C], type: 15, rdata: [0x00, 0x00, 0x00])
        let message = try DNSMessage(decoding: bytes)
        #expect(message.isNullMX)
        #expect(message.mxRecords().map(\.exchange) == [.root])
        #expect(message.mxRecords().map(\.preference) == [0])
    }

    @Test("a root exchange beside another MX is not a null MX")
    func notNullMX() {
        let message = DNSMessage(
            id: 1,
            answers: [
                DNSRecord(name: .n("example.com"), ttl: 1, data: .mx(preference: 0, exchange: .root)),
                DNSRecord(name: .n("example.com"), ttl: 1, data: .mx(preference: 10, exchange: .n("mx.example.com"))),
            ])
        #expect(!message.isNullMX)
    }

    @Test("the TC bit reads as truncated")
    func truncatedBit() throws {
        let message = try DNSMessage(decoding: Wire.header(flags: 0x8380) + Wire.question("example.com", type: 15))
        #expect(message.isTruncated)
    }

    @Test("TXT with several strings keeps each one, empty ones too")
    func txt() throws {
        let rdata =
            Wire.characterString("v=spf1 ip4:192.0.2.0/24") + Wire.characterString("") + Wire.characterString(" -all")
        let bytes =
            Wire.header(flags: 0x8180, an: 1) + Wire.question("example.com", type: 16)
            + Wire.record([0xC0, 0x0C], type: 16, rdata: rdata)
        let message = try DNSMessage(decoding: bytes)
        #expect(message.answers[0].data == .txt([Array("v=spf1 ip4:192.0.2.0/24".utf8), [], Array(" -all".utf8)]))
    }

    @Test("octets after the announced records are ignored")
    func trailing() throws {
        #expect(try DNSMessage(decoding: Wire.mxResponse + [0, 0, 0]) == DNSMessage(decoding: Wire.mxResponse))
    }
}
