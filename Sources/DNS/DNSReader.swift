/// Reads DNS wire fields from a message, checking every length against the buffer.
///
/// While RDATA is being read, ``end`` is the end of that RDATA, so a field
/// that runs past RDLENGTH is an ``DNSDecodingError/rdataLengthMismatch(offset:declared:)``
/// rather than a silent read of the next record. Compression pointers may
/// still lead anywhere earlier in the message.
///
/// - SeeAlso: RFC 1035 §3.1, §4.1.4
struct DNSReader {
    /// Most compression pointers followed in one name. A name has at most
    /// 127 labels, so a legitimate name never needs more jumps than that.
    static let maxPointerJumps = 127

    let bytes: [UInt8]
    private(set) var offset = 0
    /// Where the field being read must end: the message end, or the RDATA end.
    private var end: Int
    private var rdata: (start: Int, length: Int)?

    init(bytes: [UInt8]) {
        self.bytes = bytes
        self.end = bytes.count
    }

    var isAtEnd: Bool { offset >= end }

    private func overrun(at position: Int) -> DNSDecodingError {
        if let rdata {
            return .rdataLengthMismatch(offset: rdata.start, declared: rdata.length)
        }
        return .truncatedMessage(offset: position)
    }

    private func check(_ count: Int, at position: Int) throws(DNSDecodingError) {
        guard position + count <= end else { throw overrun(at: position) }
    }

    mutating func u8() throws(DNSDecodingError) -> UInt8 {
        try check(1, at: offset)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws(DNSDecodingError) -> UInt16 {
        try check(2, at: offset)
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func u32() throws(DNSDecodingError) -> UInt32 {
        let high = try u16()
        let low = try u16()
        return UInt32(high) << 16 | UInt32(low)
    }

    mutating func octets(_ count: Int) throws(DNSDecodingError) -> [UInt8] {
        try check(count, at: offset)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A domain name, following compression pointers.
    ///
    /// ```
    /// name    = *label (zero / pointer)
    /// label   = %b00 length(6 bits, 1-63) 1*63OCTET
    /// zero    = %x00                       ; the root, ends the name
    /// pointer = %b11 offset(14 bits)       ; the rest of the name is at offset
    /// ```
    /// A pointer must point before the start of the labels it ends (so it
    /// always goes backwards and a name cannot loop), at most
    /// ``maxPointerJumps`` times; `01` and `10` length prefixes are refused,
    /// as is a name over 255 octets.
    ///
    /// - SeeAlso: RFC 1035 §3.1, §4.1.4; RFC 6891 §5 (extended label types retired)
    mutating func name() throws(DNSDecodingError) -> DNSName {
        let nameStart = offset
        var labels: [[UInt8]] = []
        var wireLength = 1
        var position = offset
        var segmentStart = offset
        var jumps = 0
        var jumped = false
        while true {
            // Once a pointer was followed, bytes come from anywhere before it in the message.
            let bound = jumped ? bytes.count : end
            guard position < bound else {
                throw jumped ? .truncatedMessage(offset: position) : overrun(at: position)
            }
            let length = bytes[position]
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    position += 1
                    if !jumped { offset = position }
                    return DNSName(uncheckedLabels: labels)
                }
                let count = Int(length)
                guard position + 1 + count <= bound else {
                    throw jumped ? .truncatedMessage(offset: position) : overrun(at: position)
                }
                wireLength += 1 + count
                guard wireLength <= DNSName.maxWireLength else { throw .nameTooLong(offset: nameStart) }
                labels.append(Array(bytes[position + 1..<position + 1 + count]))
                position += 1 + count
            case 0xC0:
                guard position + 2 <= bound else {
                    throw jumped ? .truncatedMessage(offset: position) : overrun(at: position)
                }
                let target = Int(length & 0x3F) << 8 | Int(bytes[position + 1])
                if target > position {
                    throw .forwardPointer(offset: position, target: target)
                }
                if target >= segmentStart {
                    throw .pointerLoop(offset: position)
                }
                jumps += 1
                guard jumps <= Self.maxPointerJumps else { throw .pointerLoop(offset: position) }
                if !jumped {
                    offset = position + 2
                    jumped = true
                }
                position = target
                segmentStart = target
            default:
                throw .badLabelLength(offset: position, length: length)
            }
        }
    }

    /// A resource record.
    ///
    /// ```
    /// RR = NAME TYPE(16) CLASS(16) TTL(32) RDLENGTH(16) RDATA(RDLENGTH octets)
    /// ```
    /// - SeeAlso: RFC 1035 §3.2.1, §4.1.3
    mutating func record() throws(DNSDecodingError) -> DNSRecord {
        let owner = try name()
        let type = try u16()
        let recordClass = try u16()
        let ttl = try u32()
        let length = Int(try u16())
        let start = offset
        guard start + length <= bytes.count else { throw .truncatedMessage(offset: start) }
        end = start + length
        rdata = (start, length)
        defer {
            end = bytes.count
            rdata = nil
        }
        let data = try rdata(type: type, length: length)
        guard offset == start + length else {
            throw .rdataLengthMismatch(offset: start, declared: length)
        }
        return DNSRecord(name: owner, recordClass: recordClass, ttl: ttl, data: data)
    }

    /// RDATA of one type; ``end`` is already the RDATA end.
    ///
    /// ```
    /// A     = ADDRESS(32)                                   ; RFC 1035 §3.4.1
    /// AAAA  = ADDRESS(128)                                  ; RFC 3596 §2.2
    /// NS    = NSDNAME                                       ; RFC 1035 §3.3.11
    /// CNAME = CNAME                                         ; RFC 1035 §3.3.1
    /// MX    = PREFERENCE(16) EXCHANGE                       ; RFC 1035 §3.3.9
    /// TXT   = 1*character-string                            ; RFC 1035 §3.3.14
    /// character-string = length(8) *255OCTET
    /// SOA   = MNAME RNAME SERIAL(32) REFRESH(32) RETRY(32) EXPIRE(32) MINIMUM(32)  ; §3.3.13
    /// ```
    private mutating func rdata(type: UInt16, length: Int) throws(DNSDecodingError) -> DNSRecordData {
        switch DNSRecordType(rawValue: type) {
        case .a:
            guard length == 4 else { throw overrun(at: offset) }
            return .a(try octets(4))
        case .aaaa:
            guard length == 16 else { throw overrun(at: offset) }
            return .aaaa(try octets(16))
        case .ns:
            return .ns(try name())
        case .cname:
            return .cname(try name())
        case .mx:
            let preference = try u16()
            return .mx(preference: preference, exchange: try name())
        case .txt:
            var strings: [[UInt8]] = []
            while !isAtEnd {
                let count = Int(try u8())
                strings.append(try octets(count))
            }
            return .txt(strings)
        case .soa:
            let mname = try name()
            let rname = try name()
            let serial = try u32()
            let refresh = try u32()
            let retry = try u32()
            let expire = try u32()
            let minimum = try u32()
            return .soa(
                mname: mname, rname: rname, serial: serial,
                refresh: refresh, retry: retry, expire: expire, minimum: minimum)
        case .other:
            return .other(type: type, bytes: try octets(length))
        }
    }
}
