import Testing
@testable import DNS

@Suite("DNSMessage refuses malformed input")
struct DNSMalformedInputTests {
    @Test("a valid response cut at every offset throws, never crashes")
    func everyCut() throws {
        let full = Wire.mxResponse
        _ = try DNSMessage(decoding: full)
        for length in 0..<full.count {
            #expect(throws: DNSDecodingError.self, "cut at \(length)") {
                try DNSMessage(decoding: Array(full.prefix(length)))
            }
        }
    }

    @Test("a cut inside the header is a truncated message")
    func cutHeader() {
        #expect(throws: DNSDecodingError.truncatedMessage(offset: 4)) {
            try DNSMessage(decoding: Array(Wire.mxResponse.prefix(5)))
        }
    }

    @Test("a pointer to itself is a pointer loop")
    func selfPointer() {
        let bytes = Wire.header(flags: 0) + [0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01]
        #expect(throws: DNSDecodingError.pointerLoop(offset: 12)) { try DNSMessage(decoding: bytes) }
    }

    @Test("a pointer back into its own labels is a pointer loop")
    func ownLabels() {
        let bytes = Wire.header(flags: 0) + [0x01, 0x61, 0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01]
        #expect(throws: DNSDecodingError.pointerLoop(offset: 14)) { try DNSMessage(decoding: bytes) }
    }

    @Test("two names pointing at each other are refused: one pointer must go forward")
    func mutualPointers() {
        // Question name at 12 is "a" then a pointer to 20; at 20 "b" then a pointer to 12.
        let bytes =
            Wire.header(flags: 0, qd: 2) + [0x01, 0x61, 0xC0, 0x14, 0x00, 0x01, 0x00, 0x01]
            + [0x01, 0x62, 0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01]
        #expect(throws: DNSDecodingError.forwardPointer(offset: 14, target: 20)) { try DNSMessage(decoding: bytes) }
    }

    @Test("a forward pointer is refused")
    func forwardPointer() {
        let bytes = Wire.header(flags: 0) + [0xC0, 0x12, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]
        #expect(throws: DNSDecodingError.forwardPointer(offset: 12, target: 18)) { try DNSMessage(decoding: bytes) }
    }

    @Test("a pointer past the end of the message is refused")
    func pointerOutside() {
        let bytes = Wire.header(flags: 0) + [0xFF, 0xFF, 0x00, 0x01, 0x00, 0x01]
        #expect(throws: DNSDecodingError.forwardPointer(offset: 12, target: 0x3FFF)) { try DNSMessage(decoding: bytes) }
    }

    @Test("reserved label types 01 and 10 are a bad label length", arguments: [UInt8(0x41), 0x80])
    func badLabel(_ length: UInt8) {
        let bytes = Wire.header(flags: 0) + [length] + Array(repeating: 0x61, count: 70)
        #expect(throws: DNSDecodingError.badLabelLength(offset: 12, length: length)) {
            try DNSMessage(decoding: bytes)
        }
    }

    @Test("a name over 255 octets is refused")
    func longName() {
        let label = [UInt8(63)] + Array(repeating: 0x61, count: 63)
        let bytes = Wire.header(flags: 0) + Array([[UInt8]](repeating: label, count: 5).joined()) + [0, 0, 1, 0, 1]
        #expect(throws: DNSDecodingError.nameTooLong(offset: 12)) { try DNSMessage(decoding: bytes) }
    }

    @Test("RDLENGTH past the end of the message is a truncated message")
    func rdlengthPastEnd() {
        var bytes = Wire.header(flags: 0x8180, an: 1) + Wire.question("example.com", type: 1)
        bytes += [0xC0, 0x0C] + Wire.u16(1) + Wire.u16(1) + Wire.u32(60) + Wire.u16(8) + [192, 0, 2, 1]
        #expect(throws: DNSDecodingError.truncatedMessage(offset: 41)) { try DNSMessage(decoding: bytes) }
    }

    @Test("an A record whose RDLENGTH is not 4 is a length mismatch")
    func aLength() {
        let bytes =
            Wire.header(flags: 0x8180, an: 1) + Wire.question("example.com", type: 1)
            + Wire.record([0xC0, 0x0C], type: 1, rdata: [192, 0, 2, 1, 9])
        #expect(throws: DNSDecodingError.rdataLengthMismatch(offset: 41, declared: 5)) {
            try DNSMessage(decoding: bytes)
        }
    }

    @Test("an MX whose exchange runs past RDLENGTH is a length mismatch, even with bytes after it")
    func mxPastRDLength() {
        var bytes = Wire.header(flags: 0x8180, an: 1) + Wire.question("example.com", type: 15)
        bytes += [0xC0, 0x0C] + Wire.u16(15) + Wire.u16(1) + Wire.u32(60) + Wire.u16(4)
        bytes += [0x00, 0x0A] + Wire.name("mx.example.com")
        #expect(throws: DNSDecodingError.rdataLengthMismatch(offset: 41, declared: 4)) {
            try DNSMessage(decoding: bytes)
        }
    }

    @Test("an MX with octets left over in its RDATA is a length mismatch")
    func mxLeftover() {
        let bytes =
            Wire.header(flags: 0x8180, an: 1) + Wire.question("example.com", type: 15)
            + Wire.record([0xC0, 0x0C], type: 15, rdata: [0x00, 0x0A, 0xC0, 0x0C, 0xFF])
        #expect(throws: DNSDecodingError.rdataLengthMismatch(offset: 41, declared: 5)) {
            try DNSMessage(decoding: bytes)
        }
    }

    @Test("a TXT string longer than its RDATA is a length mismatch")
    func txtOverrun() {
        let bytes =
            Wire.header(flags: 0x8180, an: 1) + Wire.question("example.com", type: 16)
            + Wire.record([0xC0, 0x0C], type: 16, rdata: [0x05, 0x61, 0x62])
        #expect(throws: DNSDecodingError.rdataLengthMismatch(offset: 41, declared: 3)) {
            try DNSMessage(decoding: bytes)
        }
    }

    @Test("counts larger than the records present are a truncated message")
    func countsTooLarge() {
        var bytes = Wire.mxResponse
        bytes[11] = 2  // ARCOUNT 2, one present
        #expect(throws: DNSDecodingError.truncatedMessage(offset: Wire.mxResponse.count)) {
            try DNSMessage(decoding: bytes)
        }
    }

    @Test("random bytes and one-byte corruptions never crash the decoder (fixed seed)")
    func randomBytes() {
        var generator = XorShift(seed: 0x5EED_D15C)
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<120, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count > 12 { bytes[4] = 0; bytes[5] = 1 }
            _ = try? DNSMessage(decoding: bytes)
            // Flipping one byte of a valid response must not crash either.
            var flipped = Wire.mxResponse
            let at = Int.random(in: 0..<flipped.count, using: &generator)
            flipped[at] = UInt8.random(in: 0...255, using: &generator)
            _ = try? DNSMessage(decoding: flipped)
        }
    }
}
