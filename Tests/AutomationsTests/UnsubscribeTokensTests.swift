import Foundation
import Testing

@testable import Automations

/// Unsubscribe tokens: they name the address, and only Poshta can make one.
@Suite("UnsubscribeTokens: HMAC tokens for RFC 8058 links")
struct UnsubscribeTokensTests {
    let tokens = UnsubscribeTokens(secret: Array(repeating: 7, count: 32))

    @Test("a token names its address; a token made with another secret, edited, or garbled names none")
    func roundTrip() {
        let token = tokens.token(for: "Maria@Example.BG")
        #expect(tokens.email(in: token) == "maria@example.bg")
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) })
        #expect(UnsubscribeTokens(secret: Array(repeating: 8, count: 32)).email(in: token) == nil)
        // Another address with the first one's MAC: refused.
        let other = tokens.token(for: "ivan@example.bg")
        let forged = other.split(separator: ".")[0] + "." + token.split(separator: ".")[1]
        #expect(tokens.email(in: String(forged)) == nil)
        for garbled in ["", ".", "abc", "abc.def", token + "x", token.replacingOccurrences(of: ".", with: ""), "a/b.c"] {
            #expect(tokens.email(in: garbled) == nil, "\(garbled)")
        }
    }

    @Test("the headers: the one-click URL, then the mailto with the token after a +; and the One-Click post")
    func headers() {
        let token = tokens.token(for: "maria@example.bg")
        let links = tokens.links(for: "maria@example.bg", url: "https://romashka.example/u", mailbox: "unsubscribe@romashka.example")
        #expect(links.url == "https://romashka.example/u/\(token)")
        let fields = links.headers
        #expect(fields.map(\.name) == ["List-Unsubscribe", "List-Unsubscribe-Post"])
        #expect(fields[0].value == "<https://romashka.example/u/\(token)>, <mailto:unsubscribe+\(token)@romashka.example>")
        #expect(fields[1].value == "List-Unsubscribe=One-Click")
    }

    @Test("base64url as RFC 4648 §5 writes it, unpadded: the same text as Foundation's encoder with the alphabet swapped, every length 0 to 40")
    func base64url() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...40 {
            for _ in 0..<25 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                    .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
                #expect(UnsubscribeTokens.base64URL(bytes) == expected, "\(bytes)")
                #expect(UnsubscribeTokens.decode(Substring(expected)) == bytes)
            }
        }
    }
}
