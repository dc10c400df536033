import Automations
public import DKIM

/// `[dkim]`: the keys outgoing mail is signed with, per domain, and how.
///
/// ```toml
/// [dkim]
/// envelope_fallback = true           # no key for the From domain: the envelope sender's
/// canonicalization = "relaxed/relaxed"
/// # headers = ["From", "To", "Subject", …]   # the signed fields; From is signed once more
/// # expiry = "7d"                    # x=; default none
///
/// [[dkim.key]]
/// domain = "romashka.example"
/// selector = "mail2026"
/// algorithm = "rsa-sha256"           # or "ed25519-sha256"
/// # key_file = "dkim/romashka.example.mail2026.key"   # the default, beside this file
/// ```
public struct DKIMSection: Sendable, Equatable {
    /// One `[[dkim.key]]`: which domain and selector, which kind of key, where it is.
    public struct Key: Sendable, Equatable {
        public var domain: String
        public var selector: String
        public var algorithm: DKIMKey.Algorithm
        /// The PEM file, absolute.
        public var keyFile: String
    }

    public var keys: [Key]
    public var envelopeFallback: Bool
    public var headerCanonicalization: DKIMCanonicalization
    public var bodyCanonicalization: DKIMCanonicalization
    public var headers: [String]
    /// Seconds, for `x=`.
    public var expiry: Int?
}

extension DKIMSection {
    static let keys = ["envelope_fallback", "canonicalization", "headers", "expiry", "key"]
    static let keyKeys = ["domain", "selector", "algorithm", "key_file"]

    /// Where `poshta dkim keygen` writes a key unless told: beside the configuration.
    static func defaultKeyFile(domain: String, selector: String) -> String {
        "dkim/\(domain.lowercased()).\(selector).key"
    }

    init(reading reader: TOMLTableReader) throws(ConfigurationError) {
        try reader.checkKeys(Self.keys, in: "[dkim]")
        envelopeFallback = try reader.bool("envelope_fallback", default: true)
        let canonicalization = try reader.nonEmptyString("canonicalization", default: "relaxed/relaxed")
        let parts = canonicalization.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let header = DKIMCanonicalization(rawValue: parts[0]),
            let body = parts.count == 1 ? .simple : parts.count == 2 ? DKIMCanonicalization(rawValue: parts[1]) : nil
        else {
            throw reader.error("canonicalization", "\"\(canonicalization)\" is not one; expected relaxed/relaxed, simple/simple, relaxed/simple or simple/relaxed")
        }
        headerCanonicalization = header
        bodyCanonicalization = body
        if let entries = try reader.stringArray("headers") {
            guard entries.contains(where: { $0.value.caseInsensitiveCompare("From") == .orderedSame }) else {
                throw reader.error("headers", "From must be signed (RFC 6376 §5.4)")
            }
            headers = entries.map(\.value)
        } else {
            headers = DKIMSigner.defaultHeaders
        }
        if let text = try reader.string("expiry") {
            guard let delay = AutomationDelay(parsing: text), delay.unit != .months, delay.unit != .years, delay.value > 0 else {
                throw reader.error("expiry", "\"\(text)\" is not a duration; expected e.g. \"7d\" or \"12h\"")
            }
            expiry = Int(delay.after(0))
        } else {
            expiry = nil
        }
        var keys: [Key] = []
        for key in try reader.tableArray("key", expected: "an array of tables ([[dkim.key]])") ?? [] {
            try key.checkKeys(Self.keyKeys, in: "[[dkim.key]]")
            let domain = try key.nonEmptyString("domain", default: "").lowercased()
            guard domain.contains("."), domain.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else {
                throw key.error("domain", "\"\(domain)\" is not a domain name like shop.example")
            }
            let selector = try key.nonEmptyString("selector", default: "")
            guard selector.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
                throw key.error("selector", "\"\(selector)\" is not a selector (letters, digits, - and .)")
            }
            let algorithm: DKIMKey.Algorithm = try key.choice("algorithm", default: .rsaSHA256)
            if keys.contains(where: { $0.domain == domain && $0.selector == selector }) {
                throw key.error("selector", "\(selector)._domainkey.\(domain) is configured twice")
            }
            keys.append(
                Key(
                    domain: domain, selector: selector, algorithm: algorithm,
                    keyFile: try key.path("key_file", default: Self.defaultKeyFile(domain: domain, selector: selector))))
        }
        self.keys = keys
    }
}
