/// Appends DNS wire fields to a byte array, big-endian, names uncompressed.
///
/// - SeeAlso: RFC 1035 §3.1 (names), §3.2.1 (RR format), §3.3 (RDATA), §4.1.3
struct DNSWriter {
    var bytes: [UInt8] = []

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    mutating func u32(_ value: UInt32) {
        u16(UInt16(value >> 16))
        u16(UInt16(value & 0xFFFF))
    }

    /// `<length><label>…<0>`. ``DNSName`` already holds the size limits.
    mutating func name(_ name: DNSName) {
        for label in name.labels {
            bytes.append(UInt8(clamping: label.count))
            bytes.append(contentsOf: label.prefix(DNSName.maxLabelLength))
        }
        bytes.append(0)
    }

    /// `<length><octets>`, at most 255 octets.
    mutating func characterString(_ string: [UInt8]) {
        let cut = string.prefix(255)
        bytes.append(UInt8(cut.count))
        bytes.append(contentsOf: cut)
    }

    /// NAME TYPE CLASS TTL RDLENGTH RDATA, RDLENGTH filled in after RDATA.
    mutating func record(_ record: DNSRecord) {
        name(record.name)
        u16(record.type.rawValue)
        u16(record.recordClass)
        u32(record.ttl)
        let lengthAt = bytes.count
        u16(0)
        let start = bytes.count
        rdata(record.data)
        var length = bytes.count - start
        if length > Int(UInt16.max) {
            bytes.removeLast(length - Int(UInt16.max))
            length = Int(UInt16.max)
        }
        bytes[lengthAt] = UInt8(length >> 8)
        bytes[lengthAt + 1] = UInt8(length & 0xFF)
    }

    mutating func rdata(_ data: DNSRecordData) {
        switch data {
        case .a(let address), .aaaa(let address):
            bytes.append(contentsOf: address)
        case .ns(let target), .cname(let target):
            name(target)
        case .mx(let preference, let exchange):
            u16(preference)
            name(exchange)
        case .txt(let strings):
            for string in strings { characterString(string) }
        case .soa(let mname, let rname, let serial, let refresh, let retry, let expire, let minimum):
            name(mname)
            name(rname)
            for value in [serial, refresh, retry, expire, minimum] { u32(value) }
        case .other(_, let raw):
            bytes.append(contentsOf: raw)
        }
    }
}
