import MIME
import Testing

@Suite("base64 bodies (RFC 2045 §6.8)")
struct Base64BodyTests {
    @Test(
        "RFC 4648 test vectors",
        arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func vectors(plain: String, encoded: String) throws {
        #expect(Base64Body.encode(plain.bytes).text == encoded)
        #expect(try Base64Body.decode(encoded.bytes) == plain.bytes)
    }

    @Test("lines are 76 characters joined by CRLF, with no line break at the end")
    func lines() {
        let exactly57 = [UInt8](repeating: 0xAB, count: 57)
        #expect(Base64Body.encode(exactly57).crlfLines.map(\.utf8.count) == [76])
        let fifty8 = [UInt8](repeating: 0xAB, count: 58)
        #expect(Base64Body.encode(fifty8).crlfLines.map(\.utf8.count) == [76, 4])
        let long = [UInt8](repeating: 7, count: 1000)
        let lines = Base64Body.encode(long).crlfLines
        #expect(lines.dropLast().allSatisfy { $0.utf8.count == 76 })
        #expect(!lines.contains(""))
    }

    @Test("decoding skips spaces, tabs and line breaks, and accepts missing padding")
    func tolerant() throws {
        #expect(try Base64Body.decode("Zm9v\r\nYmFy\n".bytes).text == "foobar")
        #expect(try Base64Body.decode(" Zm 9v\tYg= = ".bytes).text == "foob")
        #expect(try Base64Body.decode("Zg".bytes).text == "f")
        #expect(try Base64Body.decode("Zm8".bytes).text == "fo")
    }

    @Test("invalid input is rejected with the offending character and its offset")
    func invalid() {
        #expect(throws: Base64Body.DecodingError.invalidCharacter(UInt8(ascii: "!"), offset: 4)) {
            try Base64Body.decode("Zm9v!mFy".bytes)
        }
        #expect(throws: Base64Body.DecodingError.invalidCharacter(0xD0, offset: 0)) { try Base64Body.decode([0xD0, 0x9F]) }
        #expect(throws: Base64Body.DecodingError.misplacedPadding(offset: 4)) { try Base64Body.decode("Zg==Zg==".bytes) }
        #expect(throws: Base64Body.DecodingError.misplacedPadding(offset: 0)) { try Base64Body.decode("=".bytes) }
        #expect(throws: Base64Body.DecodingError.misplacedPadding(offset: 4)) { try Base64Body.decode("Zm8==".bytes) }
        #expect(throws: Base64Body.DecodingError.truncated) { try Base64Body.decode("Zm9vY".bytes) }
        #expect(Base64Body.DecodingError.invalidCharacter(UInt8(ascii: "!"), offset: 4).description == "invalid base64 character '!' at offset 4")
    }

    @Test("any bytes survive encode then decode")
    func roundTrip() throws {
        var random = SplitMix64(seed: 4648)
        for length in [0, 1, 2, 3, 4, 56, 57, 58, 1000, 5000] {
            let input = random.bytes(length)
            #expect(try Base64Body.decode(Base64Body.encode(input)) == input)
        }
    }
}
