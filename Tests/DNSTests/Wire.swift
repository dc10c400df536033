@testable import DNS

/// Small helpers to write hand-made messages in tests.
enum Wire {
    static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func u32(_ value: UInt32) -> [UInt8] { u16(UInt16(value >> 16)) + u16(UInt16(value & 0xFFFF)) }
    /// Uncompressed name: `"a.b"` → `01 61 01 62 00`; `"."` → `00`.
    static func name(_ text: String) -> [UInt8] {
        guard text != "." else { return [0] }
        var out: [UInt8] = []
        for label in text.split(separator: ".") {
            out.append(UInt8(label.utf8.count))
            out += Array(label.utf8)
        }
        return out + [0]
    }
    static func header(
        id: UInt16 = 0xBEEF, flags: UInt16, qd: UInt16 = 1, an: UInt16 = 0, ns: UInt16 = 0, ar: UInt16 = 0
    )
        -> [UInt8]
    {
        u16(id) + u16(flags) + u16(qd) + u16(an) + u16(ns) + u16(ar)
    }
    static func question(_ name: String, type: UInt16) -> [UInt8] {
        Wire.name(name) + u16(type) + u16(1)
    }
    static func record(_ owner: [UInt8], type: UInt16, ttl: UInt32 = 3600, rdata: [UInt8]) -> [UInt8] {
        owner + u16(type) + u16(1) + u32(ttl) + u16(UInt16(rdata.count)) + rdata
    }
    static func characterString(_ text: String) -> [UInt8] { [UInt8(text.utf8.count)] + Array(text.utf8) }

    /// A response to `example.com MX` with two compressed exchanges and a glue
    /// A record whose owner points into the second MX's RDATA.
    static let mxResponse: [UInt8] = [
        0xBE, 0xEF, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01,
        // 12: question example.com MX IN
        0x07, 0x65, 0x78, 0x61, 0x6D, 0x70, 0x6C, 0x65, 0x03, 0x63, 0x6F, 0x6D, 0x00,
        0x00, 0x0F, 0x00, 0x01,
        // 29: example.com MX 20 mx2.example.com
        0xC0, 0x0C, 0x00, 0x0F, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x08,
        0x00, 0x14, 0x03, 0x6D, 0x78, 0x32, 0xC0, 0x0C,
        // 49: example.com MX 10 mx1.example.com ("mx1" at offset 63)
        0xC0, 0x0C, 0x00, 0x0F, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x08,
        0x00, 0x0A, 0x03, 0x6D, 0x78, 0x31, 0xC0, 0x0C,
        // 69: mx1.example.com A 192.0.2.1
        0xC0, 0x3F, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x04,
        0xC0, 0x00, 0x02, 0x01,
    ]
}

extension DNSName {
    /// Test shorthand; the literals used in tests are valid names.
    static func n(_ text: String) -> DNSName {
        (try? DNSName(text)) ?? .root
    }
}
