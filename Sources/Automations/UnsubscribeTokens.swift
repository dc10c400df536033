import Crypto
import Foundation

/// The token in a marketing mail's unsubscribe links (RFC 8058): it names
/// the address and proves that Poshta made it — an HMAC-SHA256 of the
/// address under the daemon's secret, cut to 128 bits — so that a click
/// unsubscribes exactly that address and nobody can unsubscribe someone
/// else by guessing or by editing a link.
///
/// `<address in base64url>.<MAC in base64url>`: only letters, digits, `-`,
/// `_` and one dot, so it fits a URL path and the local part of a mailto.
public struct UnsubscribeTokens: Sendable {
    private let key: SymmetricKey

    /// `secret`: at least 16 bytes, kept across restarts (links in mail sent
    /// last year must still work).
    public init(secret: [UInt8]) {
        precondition(secret.count >= 16, "an unsubscribe secret of at least 16 bytes")
        key = SymmetricKey(data: secret)
    }

    public func token(for email: String) -> String {
        let address = Array(email.lowercased().utf8)
        return Self.base64URL(address) + "." + Self.base64URL(mac(address))
    }

    /// The address a token names, or nil when it is garbled or was not made with this secret.
    public func email(in token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = Self.decode(parts[0]), let given = Self.decode(parts[1]),
            given.count == 16, !address.isEmpty
        else { return nil }
        // Constant time: the comparison does not say where a forged MAC goes wrong.
        let expected = mac(address)
        var difference: UInt8 = 0
        for index in 0..<16 { difference |= expected[index] ^ given[index] }
        guard difference == 0 else { return nil }
        return String(decoding: address, as: UTF8.self)
    }

    /// For a mail to `email`: the one-click page's link (`base/TOKEN`, the
    /// templates' `{{unsubscribe_url}}`), and `List-Unsubscribe` and
    /// `List-Unsubscribe-Post` — the one-click URL first, then the mailto
    /// (RFC 2369, RFC 8058) — with the token made once.
    public func links(for email: String, url base: String, mailbox: String) -> (url: String, headers: [(name: String, value: String)]) {
        let token = token(for: email)
        let at = mailbox.lastIndex(of: "@") ?? mailbox.endIndex
        let mailto = mailbox[..<at] + "+" + token + mailbox[at...]
        let url = base.hasSuffix("/") ? base + token : base + "/" + token
        return (url, [("List-Unsubscribe", "<\(url)>, <mailto:\(mailto)>"), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")])
    }

    private func mac(_ bytes: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: bytes, using: key).prefix(16))
    }

    /// Base64url without padding (RFC 4648 §5), written directly: Foundation's
    /// encoder and three replacements cost more than the HMAC.
    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { output.append(alphabet[Int(chunk >> UInt32(shift) & 63)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let chunk = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            for shift in [18, 12, 6].prefix(rest + 1) { output.append(alphabet[Int(chunk >> UInt32(shift) & 63)]) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}
