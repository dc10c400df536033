import Foundation
public import MIME

/// Every key Poshta signs with, and which of them sign a given message:
/// the keys of the RFC5322.From domain (or the nearest parent domain that
/// has keys, so that `d=` aligns with From for DMARC), else — when
/// `envelopeFallback` — those of the envelope sender's domain. Each key of
/// that domain signs in turn (RSA and Ed25519 side by side, as RFC 8463
/// recommends). A key whose signature (same `d=` and `s=`) is already on
/// the message does not sign it again.
public struct DKIMKeyring: Sendable {
    public var signers: [DKIMSigner]
    public var envelopeFallback: Bool

    public init(signers: [DKIMSigner], envelopeFallback: Bool = true) {
        self.signers = signers
        self.envelopeFallback = envelopeFallback
    }

    /// What signing did to one message.
    public struct Result: Sendable {
        public var message: [UInt8]
        /// The `d=` it was signed for, with each selector; empty when no key applied.
        public var signatures: [(domain: String, selector: String)]
        /// Keys that applied and failed to sign (the message goes without their signature).
        public var failures: [String]
    }

    public func sign(_ message: [UInt8], envelopeSender: String, time: Int) -> Result {
        var result = Result(message: message, signatures: [], failures: [])
        let block = HeaderBlock(scanning: message)
        let chosen = keys(for: Self.fromDomain(message, block)) ?? (envelopeFallback ? keys(for: Self.domain(of: envelopeSender)) : nil)
        guard let chosen else { return result }
        let present = Self.signatures(in: message, block)
        var added: [UInt8] = []
        for signer in chosen where !present.contains(where: { $0.domain == signer.domain.lowercased() && $0.selector == signer.selector.lowercased() }) {
            do {
                added += try signer.signature(for: message, time: time)
                result.signatures.append((signer.domain, signer.selector))
            } catch {
                result.failures.append("\(signer.selector)._domainkey.\(signer.domain): \(error)")
            }
        }
        result.message = added + message
        return result
    }

    /// The keys of `domain` or of its nearest parent that has keys.
    func keys(for domain: String?) -> [DKIMSigner]? {
        guard var name = domain?.lowercased(), !name.isEmpty else { return nil }
        while true {
            let found = signers.filter { $0.domain.lowercased() == name }
            if !found.isEmpty { return found }
            guard let dot = name.firstIndex(of: "."), name[name.index(after: dot)...].contains(".") else { return nil }
            name = String(name[name.index(after: dot)...])
        }
    }

    static func fromDomain(_ message: [UInt8], _ block: HeaderBlock) -> String? {
        guard let field = block.fields.first(where: { $0.name.lowercased() == "from" }) else { return nil }
        let text = String(decoding: message[field.range], as: UTF8.self)
        let value = text[text.index(after: text.firstIndex(of: ":")!)...].replacingOccurrences(of: "\r\n", with: "")
        return AddressList.mailbox(in: value).flatMap { domain(of: $0.address) }
    }

    static func domain(of address: String) -> String? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        let domain = address[address.index(after: at)...]
        return domain.isEmpty ? nil : String(domain)
    }

    /// The `d=` and `s=` of the DKIM-Signature fields already on the message, lower-cased.
    static func signatures(in message: [UInt8], _ block: HeaderBlock) -> [(domain: String, selector: String)] {
        block.fields.filter { $0.name.lowercased() == "dkim-signature" }.map { field in
            let text = String(decoding: message[field.range], as: UTF8.self)
            let tags = DKIMRecord(text: String(text[text.index(after: text.firstIndex(of: ":")!)...])).tags
            return ((tags["d"] ?? "").lowercased(), (tags["s"] ?? "").lowercased())
        }
    }
}
