import MIME
import Testing

@Suite("RFC 2047 encoded-words")
struct EncodedWordTests {
    let subject = "Поръчка №1042 е платена — благодарим ви!"

    @Test("printable ASCII is left as it is")
    func asciiUntouched() {
        #expect(EncodedWord.encode("Your order 1042 is paid", startingColumn: 9) == "Your order 1042 is paid")
        #expect(EncodedWord.encode("") == "")
    }

    @Test("long ASCII text is folded at spaces, each line at most 78")
    func asciiFolded() {
        let text = Array(repeating: "order", count: 40).joined(separator: " ")
        let value = EncodedWord.encode(text, startingColumn: 9)
        let lines = ("Subject: " + value).split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(EncodedWord.decode(value) == text)
    }

    @Test("a short Cyrillic word becomes one B encoded-word")
    func shortCyrillic() {
        #expect(EncodedWord.encode("Поръчка", startingColumn: 9) == "=?UTF-8?B?0J/QvtGA0YrRh9C60LA=?=")
    }

    @Test("Q is chosen when it is shorter (under about one escaped byte in ten), B otherwise")
    func quotedWhenShorter() {
        #expect(EncodedWord.encode("Ingeniería Shop") == "=?UTF-8?Q?Ingenier=C3=ADa?= Shop")
        #expect(EncodedWord.encode("Café ouvert") == "=?UTF-8?B?Q2Fmw6k=?= ouvert")
        // Q keeps only letters, digits and !*+-/ (RFC 2047 §5 (3)); space is "_".
        let text = "Ingeniería y mecanica a_b=c?d!*+-/ para todos los clientes nuevos, diseño"
        let value = EncodedWord.encode(text)
        #expect(value.hasPrefix("=?UTF-8?Q?Ingenier=C3=ADa_y_mecanica_a=5Fb=3Dc=3Fd!*+-/_para_todos_los_?=\r\n =?UTF-8?Q?"))
        #expect(EncodedWord.decode(value) == text)
    }

    @Test("a Cyrillic subject folds into encoded-words of at most 75 within lines of 76, and decodes back")
    func cyrillicSubject() {
        let long = subject + " " + subject + " " + subject
        let value = EncodedWord.encode(long, startingColumn: 9)
        let lines = ("Subject: " + value).split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(lines.count > 2)
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        let words = value.split(whereSeparator: { $0 == " " || $0 == "\r\n" })
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?") && $0.hasSuffix("?=") && $0.utf8.count <= 75 })
        #expect(EncodedWord.decode(value) == long)
    }

    @Test("no encoded-word holds part of a UTF-8 character")
    func wholeCharacters() {
        let text = String(repeating: "Ж🙂é", count: 30)
        let value = EncodedWord.encode(text, startingColumn: 13)
        for word in value.split(whereSeparator: { $0 == " " || $0 == "\r\n" }) {
            // Each word decodes on its own to clean text.
            let decoded = EncodedWord.decode(String(word))
            #expect(!decoded.contains("\u{FFFD}"))
            #expect(!decoded.hasPrefix("=?"))
        }
        #expect(EncodedWord.decode(value) == text)
    }

    @Test("a full encoded-word ends after a space of the text rather than inside a word")
    func breaksAfterSpaces() {
        let name = "Магазин за цветя „Роза“ ООД, Скопје — подароци и цвеќиња"
        let value = EncodedWord.encode(name, startingColumn: 6)
        let words = value.split(whereSeparator: { $0 == " " || $0 == "\r\n" }).map { EncodedWord.decode(String($0)) }
        #expect(words.count > 1)
        #expect(words.dropLast().allSatisfy { $0.hasSuffix(" ") })
        #expect(words.joined() == name)
    }

    @Test("ASCII around the encoded stretch stays readable")
    func mixed() {
        let value = EncodedWord.encode("Re: Поръчка №1042 (Shop)", startingColumn: 9)
        #expect(value.hasPrefix("Re: =?UTF-8?B?"))
        #expect(value.hasSuffix("?= (Shop)"))
        #expect(EncodedWord.decode(value) == "Re: Поръчка №1042 (Shop)")
    }

    @Test("text that looks like an encoded-word, controls and line breaks are encoded, so they read back as written")
    func encodedForSafety() {
        for text in ["=?utf-8?q?x?= is literal", "line\r\nBcc: someone@example.com", "tab\there", String(repeating: "w", count: 901)] {
            let value = EncodedWord.encode(text, startingColumn: 9)
            #expect(!value.replacingFolds.contains("\r") && !value.replacingFolds.contains("\n"))
            #expect(EncodedWord.decode(value) == text)
            #expect(("Subject: " + value).split(separator: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        }
    }

    @Test(
        "decoding follows the examples of RFC 2047 §8",
        arguments: [
            ("(=?ISO-8859-1?Q?a?=)", "(a)"),
            ("(=?ISO-8859-1?Q?a?= b)", "(a b)"),
            ("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
            ("=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>", "Keith Moore <moore@cs.utk.edu>"),
            ("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>", "André Pirard <PIRARD@vm1.ulg.ac.be>"),
            ("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
             "If you can read this yo=?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?="),
        ])
    func rfcExamples(value: String, expected: String) {
        #expect(EncodedWord.decode(value) == expected)
    }

    @Test(
        "decoding reads B and Q in either case, several charsets, folded values and split characters",
        arguments: [
            ("=?utf-8?q?caf=c3=a9?=", "café"),
            ("=?UTF-8?b?0J/QvtGA0YrRh9C60LA=?=", "Поръчка"),
            ("=?UTF-8?B?0J/QvtGA0YrRh9C60LAg?=\r\n =?UTF-8?B?4oSWMTA0Mg==?= paid", "Поръчка №1042 paid"),
            ("=?UTF-8?B?0J/QvtGA0YrRh9C60LAg?=\r\n\t=?UTF-8?Q?=E2=84=961042?=", "Поръчка №1042"),
            ("=?UTF-8?Q?=D0?= =?UTF-8?Q?=9F?=", "П"),
            ("=?windows-1251?B?z/Do4uXy?=", "Привет"),
            ("=?KOI8-R?Q?=F0=D2=C9=D7=C5=D4?=", "Привет"),
            ("=?UTF-8*bg?Q?=D0=9F?=", "П"),
            ("=?UTF-8?B?0J8?=", "П"),
        ])
    func decodes(value: String, expected: String) {
        #expect(EncodedWord.decode(value) == expected)
    }

    @Test(
        "what does not decode is kept as written",
        arguments: ["=?UTF-8?B?***?=", "=?x-unknown?Q?abc?=", "=?UTF-8?X?abc?=", "=?UTF-8?Q?a b?=", "=?UTF-8?Q?abc", "a =? b ?= c", "=?"])
    func keptAsWritten(value: String) {
        #expect(EncodedWord.decode(value) == value)
    }
}

extension String {
    /// Without the CRLF of folds, to look for line breaks that are not folds.
    var replacingFolds: String { split(separator: "\r\n ", omittingEmptySubsequences: false).joined(separator: " ") }
}
