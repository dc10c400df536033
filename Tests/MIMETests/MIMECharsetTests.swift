import MIME
import Testing

@Suite("charsets")
struct MIMECharsetTests {
    @Test(
        "legacy Cyrillic and Latin charsets read right",
        arguments: [
            ([0xCF, 0xEE, 0xF0, 0xFA, 0xF7, 0xEA, 0xE0], "windows-1251", "Поръчка"),
            ([0xCF, 0xEE, 0xF0, 0xFA, 0xF7, 0xEA, 0xE0], "CP1251", "Поръчка"),
            ([0xB9, 0x31], "windows-1251", "№1"),
            ([0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4], "KOI8-R", "Привет"),
            ([0xBF, 0xDE, 0xE0, 0xEA, 0xE7, 0xDA, 0xD0], "iso-8859-5", "Поръчка"),
            ([0x63, 0x61, 0x66, 0xE9], "ISO-8859-1", "café"),
            ([0x80, 0x20, 0x93, 0x71, 0x94], "windows-1252", "€ “q”"),
            ([0xD0, 0x9F], "utf-8", "П"),
            ([0x41, 0x42], "us-ascii", "AB"),
        ] as [([UInt8], String, String)])
    func decodes(bytes: [UInt8], charset: String, expected: String) {
        #expect(MIMECharset.decode(bytes, charset: charset) == expected)
    }

    @Test("ISO-8859-1 is read strictly: 0x80 is a C1 control, not the euro sign")
    func strictLatin1() {
        #expect(MIMECharset.decode([0x80], charset: "latin1") == "\u{80}")
    }

    @Test("malformed UTF-8 becomes U+FFFD; unknown charsets are refused")
    func malformedAndUnknown() {
        #expect(MIMECharset.decode([0x61, 0xFF, 0x62], charset: "UTF-8") == "a\u{FFFD}b")
        #expect(MIMECharset.decode([0x61], charset: "x-unknown") == nil)
        #expect(!MIMECharset.isSupported("iso-2022-jp"))
        #expect(MIMECharset.isSupported("Windows-1251"))
    }
}
