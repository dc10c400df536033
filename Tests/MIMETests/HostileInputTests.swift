import MIME
import Testing

@Suite("hostile and damaged input")
struct HostileInputTests {
    /// Parses `bytes` and reads every leaf, as a caller would; must not trap.
    func readEverything(_ bytes: [UInt8]) {
        guard let message = try? MIMEMessage(parsing: bytes) else { return }
        _ = message.subject
        for part in message.root.allParts {
            _ = try? part.text()
            _ = part.contentDisposition?.filename
            for field in part.headers { _ = EncodedWord.decode(field.value) }
        }
    }

    @Test("every truncation of a nested multipart parses")
    func truncations() {
        let full = MIMEMessageParsingTests.nested.bytes
        for length in 0...full.count { readEverything(Array(full.prefix(length))) }
    }

    @Test("random damage to a message parses")
    func mutations() {
        var random = SplitMix64(seed: 2046)
        let full = MIMEMessageParsingTests.nested.bytes
        let interesting: [UInt8] = Array("-=?\r\n\";:\\()*' \t".utf8) + [0x00, 0xD0, 0xFF]
        for _ in 0..<2000 {
            var bytes = full
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[index] = interesting.randomElement(using: &random) ?? 0
                case 1: bytes.remove(at: index)
                default: bytes.insert(interesting.randomElement(using: &random) ?? 0, at: index)
                }
            }
            readEverything(bytes)
        }
    }

    @Test("random bytes through every decoder")
    func randomBytes() {
        var random = SplitMix64(seed: 5322)
        let alphabet: [UInt8] = Array("=?Bb Qq_utf-8UTF8*'%;\"\\()\r\n\t-AZaz09/".utf8) + [0xD0, 0x9F, 0x80]
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0...80, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? 0 }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = EncodedWord.decode(text)
            _ = MIMEContentType(parsing: text)
            _ = MIMEContentDisposition(parsing: "attachment" + text)
            _ = QuotedPrintable.decode(bytes)
            _ = try? Base64Body.decode(bytes)
            readEverything(bytes)
            // And whatever the text, encoding it gives a value that reads back and cannot break a header.
            let value = EncodedWord.encode(text, startingColumn: 9)
            #expect(EncodedWord.decode(value) == text)
            #expect(!value.replacingFolds.contains("\r") && !value.replacingFolds.contains("\n"))
        }
    }

    @Test("a long header full of almost-encoded-words is read in one pass and kept as written")
    func pathologicalHeader() {
        for value in [
            String(repeating: "=?utf-8?q?", count: 20_000) + "x", String(repeating: "=?", count: 40_000),
            String(repeating: "=?utf-8?b?", count: 20_000), "=?" + String(repeating: "a", count: 100_000),
        ] {
            let kept = EncodedWord.decode(value) == value  // not in #expect: a failure would print 200 kB
            #expect(kept)
        }
    }
}
