extension DeliveryStatusNotification {
    /// Text made safe for header-like lines: sanitizing, 7-bit escapes, folding.
    enum Field {
        /// Longest line we write, without its CRLF (RFC 5322 §2.1.1 allows 998).
        static let hardLimit = 998
        /// Where we fold when a space allows it (RFC 5322 §2.1.1 recommends 78).
        static let softLimit = 78
        /// Longest word kept whole; longer ones are cut so every line fits `hardLimit`.
        static let longestWord = 900

        /// `Name: value` with CRLF, folded before a space when the line would pass
        /// 78 octets; a continuation line starts with that space, so unfolding
        /// (removing the CRLF) gives back the value. `value` must be sanitized.
        ///
        /// - SeeAlso: RFC 5322 §2.2.3
        static func encoded(_ name: String, _ value: String) -> [UInt8] {
            var out = Array("\(name):".utf8)
            var lineLength = out.count
            var lineHasWord = false
            for word in words(value) {
                let length = word.utf8.count
                if lineHasWord, lineLength + 1 + length > softLimit {
                    out += [0x0D, 0x0A]
                    lineLength = 0
                }
                out.append(0x20)
                out += word.utf8
                lineLength += 1 + length
                lineHasWord = true
            }
            out += [0x0D, 0x0A]
            return out
        }

        /// The words of `value`, each cut to at most `longestWord` octets at character boundaries.
        private static func words(_ value: String) -> [Substring] {
            var result: [Substring] = []
            for word in value.split(separator: " ") {
                var rest = word
                while rest.utf8.count > longestWord {
                    var end = rest.startIndex
                    var count = 0
                    for scalar in rest.unicodeScalars {
                        let width = String(scalar).utf8.count
                        if count + width > longestWord { break }
                        count += width
                        end = rest.unicodeScalars.index(after: end)
                    }
                    result.append(rest[..<end])
                    rest = rest[end...]
                }
                result.append(rest)
            }
            return result
        }

        /// Control characters (C0 with CR, LF and TAB, DEL, C1) become spaces, runs of
        /// spaces one space, and the ends are trimmed: text from outside, such as a
        /// remote reply, can neither start a line nor smuggle a field of its own.
        static func sanitized(_ text: String) -> String {
            var result = ""
            var pendingSpace = false
            for scalar in text.unicodeScalars {
                let value = scalar.value
                let isSpace =
                    value < 0x21 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
                if isSpace {
                    pendingSpace = !result.isEmpty
                    continue
                }
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
            return result
        }

        /// Each non-ASCII character as `\x{HEX}`, so the text stays 7-bit.
        ///
        /// - SeeAlso: RFC 6533 §3 (EmbeddedUnicodeChar)
        static func asciiEscaped(_ text: String) -> String {
            var result = ""
            for scalar in text.unicodeScalars {
                if scalar.isASCII {
                    result.unicodeScalars.append(scalar)
                } else {
                    result += "\\x{\(String(scalar.value, radix: 16, uppercase: true))}"
                }
            }
            return result
        }

        /// An address with its type: `rfc822; addr` when ASCII, else `utf-8; addr` in the
        /// 7-bit utf-8-addr-xtext form (QCHAR kept; `\`, `+`, `=`, space, controls and
        /// non-ASCII as `\x{HEX}`).
        ///
        /// - SeeAlso: RFC 3464 §2.3.2, RFC 6533 §3
        static func typedAddress(_ address: String) -> String {
            let clean = sanitized(address)
            if clean.unicodeScalars.allSatisfy(\.isASCII) { return "rfc822; \(clean)" }
            var xtext = ""
            for scalar in clean.unicodeScalars {
                let value = scalar.value
                let isQChar = (0x21...0x7E).contains(value) && !["\\", "+", "="].contains(scalar)
                if isQChar {
                    xtext.unicodeScalars.append(scalar)
                } else {
                    let hex = String(value, radix: 16, uppercase: true)
                    xtext += "\\x{\(hex.count < 2 ? "0" + hex : hex)}"
                }
            }
            return "utf-8; \(xtext)"
        }

        /// A host or identifier for a field: sanitized, 7-bit.
        static func token(_ text: String) -> String {
            asciiEscaped(sanitized(text))
        }
    }
}
