import Testing
@testable import DNS

@Suite("DNSMessage encoding")
struct DNSMessageEncodingTests {
    @Test("an MX query encodes to the RFC 1035 bytes, RD set")
    func queryBytes() throws {
        let query = DNSMessage.query(id: 0x1234, name: try DNSName("example.com"), type: .mx)
        let expected: [UInt8] = [
            0x12, 0x34,  // ID
            0x01, 0x00,  // QR=0 OPCODE=0 AA=0 TC=0 RD=1 RA=0 Z=0 RCODE=0
            0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // QDCOUNT=1, others 0
            0x07, 0x65, 0x78, 0x61, 0x6D, 0x70, 0x6C, 0x65,  // 7 "example"
            0x03, 0x63, 0x6F, 0x6D, 0x00,  // 3 "com" 0
            0x00, 0x0F,  // QTYPE MX
            0x00, 0x01,  // QCLASS IN
        ]
        #expect(query.encoded() == expected)
        #expect(try DNSMessage(decoding: expected) == query)
        #expect(query.tcpEncoded() == [0x00, UInt8(expected.count)] + expected)
    }

    @Test("a query without recursion desired leaves RD clear")
    func noRecursion() throws {
        let query = DNSMessage.query(id: 1, name: .root, type: .ns, recursionDesired: false)
        #expect(Array(query.encoded()[2..<4]) == [0x00, 0x00])
    }

    @Test("every header flag lands on its RFC 1035 bit")
    func flagBits() throws {
        let message = DNSMessage(
            id: 0xABCD, isResponse: true, opcode: 2, isAuthoritative: true, isTruncated: true,
            recursionDesired: true, recursionAvailable: true, reservedBits: 0b010, responseCode: .refused)
        let bytes = message.encoded()
        #expect(bytes == [0xAB, 0xCD, 0x97, 0xA5, 0, 0, 0, 0, 0, 0, 0, 0])
        let decoded = try DNSMessage(decoding: bytes)
        #expect(decoded == message)
        #expect(decoded.isTruncated)
        #expect(decoded.opcode == 2)
        #expect(decoded.responseCode == .refused)
    }

    static let samples: [DNSMessage] = [
        .query(id: 7, name: .n("example.com"), type: .a),
        .query(id: 8, name: .n("example.com"), type: .aaaa),
        .query(id: 9, name: .n("example.org"), type: .other(65)),
        DNSMessage(
            id: 10, isResponse: true, recursionDesired: true, recursionAvailable: true,
            questions: [DNSQuestion(name: .n("example.com"), type: .mx)],
            answers: [
                DNSRecord(
                    name: .n("example.com"), ttl: 300, data: .mx(preference: 10, exchange: .n("mx1.example.com"))),
                DNSRecord(name: .n("example.com"), ttl: 300, data: .mx(preference: 0, exchange: .root)),
                DNSRecord(
                    name: .n("example.com"), ttl: 300, data: .txt([Array("v=spf1".utf8), [], Array(" -all".utf8)])),
                DNSRecord(name: .n("www.example.com"), ttl: 1, data: .cname(.n("example.com"))),
                DNSRecord(name: .n("example.com"), ttl: 1, data: .ns(.n("ns.example.com"))),
            ],
            authorities: [
                DNSRecord(
                    name: .n("example.com"), ttl: 900,
                    data: .soa(
                        mname: .n("ns.example.com"), rname: .n("hostmaster.example.com"), serial: 2_026_112_301,
                        refresh: 7200, retry: 900, expire: 1_209_600, minimum: 300))
            ],
            additionals: [
                DNSRecord(name: .n("mx1.example.com"), ttl: 60, data: .a([192, 0, 2, 1])),
                DNSRecord(
                    name: .n("mx1.example.com"), ttl: 60,
                    data: .aaaa([0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [1])),
                DNSRecord(name: .root, recordClass: 4096, ttl: 0, data: .other(type: 41, bytes: [])),
                DNSRecord(
                    name: .n("x.example"), recordClass: 3, ttl: UInt32.max, data: .other(type: 99, bytes: [1, 2, 3])),
            ]),
    ]

    @Test("every sample survives encode then decode", arguments: samples)
    func roundTrip(_ message: DNSMessage) throws {
        #expect(try DNSMessage(decoding: message.encoded()) == message)
    }
}
