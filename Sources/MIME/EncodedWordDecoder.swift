/// Finds and decodes the encoded-words of a header value (see `EncodedWord`).
///
/// encoded-word = "=?" charset "?" encoding "?" encoded-text "?="
///
/// - SeeAlso: RFC 2047 §2, §4.1, §4.2, §6.2
enum EncodedWordDecoder {
    /// A stretch of the value: plain text, or one decoded encoded-word.
    private enum Segment {
        case text([UInt8])
        case word(charset: String, bytes: [UInt8], written: [UInt8])
    }

    static func decode(_ value: String) -> String {
        // Unfolding removes the CRLF of a fold and leaves its whitespace.
        let input = value.utf8.filter { $0 != .cr && $0 != .lf }
        var segments: [Segment] = []
        var text: [UInt8] = []
        var index = 0
        while index < input.count {
            if input[index] == .equals, let (segment, end) = word(in: input, at: index) {
                // §6.2: whitespace between two encoded-words is not displayed.
                if case .word = segments.last, text.allSatisfy({ $0 == .space || $0 == .tab }) { text = [] }
                if !text.isEmpty { segments.append(.text(text)) }
                text = []
                segments.append(segment)
                index = end
            } else {
                text.append(input[index])
                index += 1
            }
        }
        if !text.isEmpty { segments.append(.text(text)) }
        return render(segments)
    }

    /// Joins neighbouring words of one charset (their bytes may split a character), then decodes.
    private static func render(_ segments: [Segment]) -> String {
        var result = ""
        var index = 0
        while index < segments.count {
            switch segments[index] {
            case .text(let bytes):
                result += String(decoding: bytes, as: UTF8.self)
                index += 1
            case .word(let charset, var bytes, let written):
                var originals = [written]
                index += 1
                while index < segments.count, case .word(let next, let more, let nextWritten) = segments[index],
                    next.lowercased() == charset.lowercased()
                {
                    bytes += more
                    originals.append(nextWritten)
                    index += 1
                }
                if let decoded = MIMECharset.decode(bytes, charset: charset) {
                    result += decoded
                } else {
                    result += originals.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
                }
            }
        }
        return result
    }

    /// The encoded-word starting at `start`, decoded to bytes, and the offset after it.
    private static func word(in input: [UInt8], at start: Int) -> (Segment, Int)? {
        guard start + 1 < input.count, input[start + 1] == UInt8(ascii: "?") else { return nil }
        let question = UInt8(ascii: "?")
        // charset: token characters up to "?"
        var index = start + 2
        let charsetStart = index
        while index < input.count, input[index] != question {
            guard isTokenCharacter(input[index]) else { return nil }
            index += 1
        }
        guard index > charsetStart, index + 2 < input.count, input[index + 2] == question else { return nil }
        let charsetField = String(decoding: input[charsetStart..<index], as: UTF8.self)
        // RFC 2231 §5: "charset*language"; the language does not change the bytes.
        let charset = String(charsetField.split(separator: "*", omittingEmptySubsequences: false)[0])
        let encoding = input[index + 1] | 0x20  // lower case
        index += 3
        // encoded-text: printable ASCII except "?" and space, up to "?="
        let textStart = index
        while index < input.count, input[index] != question {
            guard (0x21...0x7E).contains(input[index]) else { return nil }
            index += 1
        }
        guard !charset.isEmpty, index + 1 < input.count, input[index + 1] == .equals else { return nil }
        let encodedText = input[textStart..<index]
        let bytes: [UInt8]
        switch encoding {
        case UInt8(ascii: "b"):
            guard let decoded = try? Base64Body.decode(encodedText) else { return nil }
            bytes = decoded
        case UInt8(ascii: "q"):
            bytes = quotedDecode(encodedText)
        default:
            return nil
        }
        let end = index + 2
        return (.word(charset: charset, bytes: bytes, written: Array(input[start..<end])), end)
    }

    /// Q: `_` is a space, `=XX` a byte, anything else itself (a stray `=` kept).
    private static func quotedDecode(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == .equals, index + 2 < text.endIndex,
                let high = QuotedPrintable.hexValue(text[index + 1]), let low = QuotedPrintable.hexValue(text[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte == UInt8(ascii: "_") ? .space : byte)
                index += 1
            }
        }
        return output
    }

    /// RFC 2047 §2 `token`, except that "." is allowed: charset names such as `ANSI_X3.4-1968` hold one.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        guard (0x21...0x7E).contains(byte) else { return false }
        return !"()<>@,;:\"/[]?=".utf8.contains(byte)
    }
}
