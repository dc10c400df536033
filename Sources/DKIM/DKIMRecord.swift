import Foundation

/// The DNS TXT record that publishes a signing key at
/// `selector._domainkey.domain` (RFC 6376 §3.6.1): `v=DKIM1; k=…; p=…`.
/// A TXT string holds at most 255 bytes, so a long record (RSA 2048 and
/// up) is published as several strings, which receivers join.
public struct DKIMRecord: Sendable, Hashable {
    public var text: String

    public init(key: DKIMKey) {
        text = "v=DKIM1; k=\(key.algorithm.keyType); p=\(key.publicKeyBase64)"
    }

    public init(text: String) {
        self.text = text
    }

    /// The record cut into strings of at most 255 bytes (it is ASCII).
    public var strings: [String] {
        var strings: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            strings.append(String(rest.prefix(255)))
            rest = rest.dropFirst(255)
        }
        return strings
    }

    /// As a zone file writes it: `( "…" "…" )`.
    public var zoneValue: String {
        "( " + strings.map { "\"\($0)\"" }.joined(separator: " ") + " )"
    }

    /// The record's tags (`v`, `k`, `p`, …), whitespace removed from the values.
    public var tags: [String: String] {
        var tags: [String: String] = [:]
        for part in text.split(separator: ";") {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let name = part[..<equals].trimmingCharacters(in: .whitespacesAndNewlines)
            let value = part[part.index(after: equals)...].filter { !$0.isWhitespace }
            tags[name] = String(value)
        }
        return tags
    }
}
