import Testing

@testable import Spool

@Suite("CRC-32")
struct CRC32Tests {
    func crc(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { CRC32.checksum($0) } }

    @Test("matches the standard check value and zlib's results")
    func knownValues() {
        #expect(crc(Array("123456789".utf8)) == 0xCBF4_3926)  // the CRC-32 check value
        #expect(crc([]) == 0)
        #expect(crc(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    }

    @Test("the eight-byte path and the byte path agree at every length and alignment")
    func slicing() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        func bytewise(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var value: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                value ^= UInt32(byte)
                for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
            }
            return ~value
        }
        for start in 0..<9 {
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 100, 991 - start] {
                let slice = data[start..<(start + length)]
                #expect(crc(Array(slice)) == bytewise(slice))
            }
        }
    }
}
