import MIME
import Testing

@Suite("quoted-printable (RFC 2045 §6.7)")
struct QuotedPrintableTests {
    func encode(_ text: String) -> String { QuotedPrintable.encode(text.bytes).text }

    @Test(
        "encoding writes exactly these bytes",
        arguments: [
            ("Hello, world!", "Hello, world!"),
            ("a=b", "a=3Db"),
            ("café", "caf=C3=A9"),
            ("line one\r\nline two\r\n", "line one\r\nline two\r\n"),
            ("end \r\nnext\t", "end=20\r\nnext=09"),
            ("two  spaces inside", "two  spaces inside"),
            ("a\nb\rc", "a=0Ab=0Dc"),
            ("a\r\r\n", "a=0D\r\n"),
            (".\r\nFrom me\r\nFromage\r\n", "=2E\r\n=46rom me\r\nFromage\r\n"),
            ("a.b From c", "a.b From c"),
            ("\u{0}\u{7F}", "=00=7F"),
            ("", ""),
        ])
    func exact(input: String, expected: String) {
        #expect(encode(input) == expected)
    }

    @Test("a line of exactly 76 characters stays whole; 77 get a soft break after 75")
    func lineLength() {
        let seventySix = String(repeating: "x", count: 76)
        #expect(encode(seventySix + "\r\n") == seventySix + "\r\n")
        #expect(encode(seventySix) == seventySix)
        let seventySeven = String(repeating: "y", count: 77)
        #expect(encode(seventySeven + "\r\n") == String(repeating: "y", count: 75) + "=\r\nyy\r\n")
        #expect(encode(seventySeven) == String(repeating: "y", count: 75) + "=\r\nyy")
    }

    @Test("an escape is never split by a soft break")
    func escapeNotSplit() {
        let text = String(repeating: "x", count: 74) + "é"
        #expect(encode(text) == String(repeating: "x", count: 74) + "=\r\n=C3=A9")
        // Trailing space on a full line: escaped, and still within 76.
        #expect(encode(String(repeating: "z", count: 73) + " \r\n") == String(repeating: "z", count: 73) + "=20\r\n")
        #expect(encode(String(repeating: "z", count: 74) + " \r\n") == String(repeating: "z", count: 74) + "=\r\n=20\r\n")
    }

    @Test("a dot or From at the start of a line made by a soft break is escaped too")
    func escapesAfterSoftBreak() {
        let prefix = String(repeating: "x", count: 75)
        #expect(encode(prefix + ".abc") == prefix + "=\r\n=2Eabc")
        #expect(encode(prefix + "From x") == prefix + "=\r\n=46rom x")
    }

    @Test(
        "decoding is tolerant",
        arguments: [
            ("caf=c3=a9", "café"),
            ("caf=C3=A9", "café"),
            ("abc=\r\ndef", "abcdef"),
            ("abc= \t\r\ndef", "abcdef"),
            ("abc=\ndef", "abcdef"),
            ("abc=", "abc"),
            ("a=zzb", "a=zzb"),
            ("a=4", "a=4"),
            ("a = b", "a = b"),
            ("abc  \r\ndef\t\r\n", "abc\r\ndef\r\n"),
            ("abc \ndef ", "abc\ndef"),
            ("abc=20\r\n", "abc \r\n"),
            ("abc =\r\ndef", "abc def"),
            ("=2E\r\n=46rom", ".\r\nFrom"),
            ("a\rb", "a\rb"),
        ])
    func tolerantDecoding(input: String, expected: String) {
        #expect(QuotedPrintable.decode(input.bytes).text == expected)
    }

    @Test("any bytes survive encode then decode, in lines of at most 76 without trailing blanks")
    func roundTrip() {
        var random = SplitMix64(seed: 2045)
        for length in [0, 1, 2, 3, 75, 76, 77, 152, 1000, 4096] {
            for _ in 0..<20 {
                // Bias towards text-like data so that line breaks, blanks and dots come up often.
                let pool: [UInt8] = [0x0D, 0x0A, 0x20, 0x09, 0x2E, 0x3D, 0x46, 0x61, 0xD0, 0x9F]
                let input = (0..<length).map { _ in
                    Bool.random(using: &random) ? pool.randomElement(using: &random) ?? 0 : UInt8.random(in: 0...255, using: &random)
                }
                let encoded = QuotedPrintable.encode(input)
                #expect(QuotedPrintable.decode(encoded) == input)
                #expect(encoded.allSatisfy { $0 < 0x80 })
                for line in encoded.crlfLines {
                    #expect(line.utf8.count <= 76)
                    #expect(!line.contains("\r") && !line.contains("\n"))
                    #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"))
                }
            }
        }
    }
}
