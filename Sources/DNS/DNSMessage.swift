/// The DNS module: DNS messages as values, in and out of RFC 1035 wire form.
///
/// Input: the bytes of a UDP datagram or of a TCP message (without its
/// two-octet length prefix). Output: a ``DNSMessage`` with its header flags
/// and sections, plus the answers a mail resolver asks for (MX in preference
/// order, null MX, addresses as text, the negative-caching TTL). Never opens
/// a socket, never reads `/etc/resolv.conf`, never caches: the resolver does.

/// A DNS query or response: header, question, answer, authority and additional sections.
///
/// The header's flag bits are plain fields. Section counts are not stored:
/// they are the sizes of the arrays when encoding, and decoding reads exactly
/// as many entries as the header announces.
///
/// - SeeAlso: RFC 1035 §4.1 (format), §4.1.1 (header); RFC 2308 (negative answers)
public struct DNSMessage: Hashable, Sendable {
    /// ID, copied from query to response.
    public var id: UInt16
    /// QR: false for a query, true for a response.
    public var isResponse: Bool
    /// OPCODE, 4 bits; 0 is a standard query.
    public var opcode: UInt8
    /// AA: the responding server is an authority for the name.
    public var isAuthoritative: Bool
    /// TC: the message was cut to fit the transport; ask again over TCP (RFC 7766 §5).
    public var isTruncated: Bool
    /// RD: recursion desired.
    public var recursionDesired: Bool
    /// RA: recursion available.
    public var recursionAvailable: Bool
    /// The three bits between RA and RCODE (Z; AD and CD since RFC 4035), kept as received.
    public var reservedBits: UInt8
    /// RCODE.
    public var responseCode: DNSResponseCode

    public var questions: [DNSQuestion]
    public var answers: [DNSRecord]
    public var authorities: [DNSRecord]
    public var additionals: [DNSRecord]

    public init(
        id: UInt16,
        isResponse: Bool = false,
        opcode: UInt8 = 0,
        isAuthoritative: Bool = false,
        isTruncated: Bool = false,
        recursionDesired: Bool = false,
        recursionAvailable: Bool = false,
        reservedBits: UInt8 = 0,
        responseCode: DNSResponseCode = .noError,
        questions: [DNSQuestion] = [],
        answers: [DNSRecord] = [],
        authorities: [DNSRecord] = [],
        additionals: [DNSRecord] = []
    ) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode & 0x0F
        self.isAuthoritative = isAuthoritative
        self.isTruncated = isTruncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.reservedBits = reservedBits & 0x07
        self.responseCode = responseCode
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// A standard query for one name and type, class IN.
    public static func query(
        id: UInt16, name: DNSName, type: DNSRecordType, recursionDesired: Bool = true
    ) -> DNSMessage {
        DNSMessage(
            id: id,
            recursionDesired: recursionDesired,
            questions: [DNSQuestion(name: name, type: type)])
    }

    /// The 16 flag bits of the header, between ID and QDCOUNT.
    ///
    /// ```
    ///   0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
    /// |QR|   Opcode  |AA|TC|RD|RA|   Z    |   RCODE   |
    /// ```
    var flagBits: UInt16 {
        var bits: UInt16 = 0
        if isResponse { bits |= 0x8000 }
        bits |= UInt16(opcode & 0x0F) << 11
        if isAuthoritative { bits |= 0x0400 }
        if isTruncated { bits |= 0x0200 }
        if recursionDesired { bits |= 0x0100 }
        if recursionAvailable { bits |= 0x0080 }
        bits |= UInt16(reservedBits & 0x07) << 4
        bits |= UInt16(responseCode.rawValue & 0x0F)
        return bits
    }

    mutating func setFlagBits(_ bits: UInt16) {
        isResponse = bits & 0x8000 != 0
        opcode = UInt8((bits >> 11) & 0x0F)
        isAuthoritative = bits & 0x0400 != 0
        isTruncated = bits & 0x0200 != 0
        recursionDesired = bits & 0x0100 != 0
        recursionAvailable = bits & 0x0080 != 0
        reservedBits = UInt8((bits >> 4) & 0x07)
        responseCode = DNSResponseCode(rawValue: UInt8(bits & 0x0F))
    }
}
