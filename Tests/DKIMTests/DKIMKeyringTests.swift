import DKIM
import Testing

/// Which keys sign a message: the From domain's, else the nearest parent
/// domain's, else (when allowed) the envelope sender's; never the same key twice.
@Suite("DKIM keyring: which keys sign")
struct DKIMKeyringTests {
    static func message(from: String) -> [UInt8] {
        Array("From: Shop <\(from)>\r\nTo: a@example.bg\r\nSubject: Hi\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@x>\r\n\r\nHi.\r\n".utf8)
    }

    static func keyring(envelopeFallback: Bool = true) throws -> DKIMKeyring {
        DKIMKeyring(
            signers: [
                DKIMSigner(domain: "shop.example", selector: "rsa", key: try DKIMKey.generate(.rsaSHA256)),
                DKIMSigner(domain: "shop.example", selector: "ed", key: try DKIMKey.generate(.ed25519SHA256)),
                DKIMSigner(domain: "mail.other.example", selector: "s", key: try DKIMKey.generate(.ed25519SHA256)),
            ], envelopeFallback: envelopeFallback)
    }

    static func selectors(_ result: DKIMKeyring.Result) -> [String] {
        result.signatures.map { "\($0.selector)._domainkey.\($0.domain)" }
    }

    @Test("the From domain's keys sign, both of them; a subdomain uses its parent's; another domain's keys never")
    func byFrom() throws {
        let keyring = try Self.keyring()
        let signed = keyring.sign(Self.message(from: "orders@shop.example"), envelopeSender: "bounce@mail.other.example", time: 1)
        #expect(Self.selectors(signed) == ["rsa._domainkey.shop.example", "ed._domainkey.shop.example"])
        #expect(String(decoding: signed.message, as: UTF8.self).components(separatedBy: "DKIM-Signature:").count == 3)
        let sub = keyring.sign(Self.message(from: "news@mail.shop.example"), envelopeSender: "", time: 1)
        #expect(Self.selectors(sub) == ["rsa._domainkey.shop.example", "ed._domainkey.shop.example"])
        // "example" alone is never tried: a key for a top-level domain would sign everything.
        let unrelated = keyring.sign(Self.message(from: "x@unrelated.example"), envelopeSender: "", time: 1)
        #expect(unrelated.signatures.isEmpty && unrelated.message == Self.message(from: "x@unrelated.example"))
    }

    @Test("no key for From: the envelope sender's domain signs, unless envelope_fallback is off")
    func envelopeFallback() throws {
        let message = Self.message(from: "x@unrelated.example")
        #expect(Self.selectors(try Self.keyring().sign(message, envelopeSender: "b@mail.other.example", time: 1)) == ["s._domainkey.mail.other.example"])
        #expect(try Self.keyring(envelopeFallback: false).sign(message, envelopeSender: "b@mail.other.example", time: 1).signatures.isEmpty)
    }

    @Test("a message already signed by a key (same d= and s=) is not signed by it again; the other key still signs")
    func notTwice() throws {
        let keyring = try Self.keyring()
        let once = keyring.sign(Self.message(from: "orders@shop.example"), envelopeSender: "", time: 1)
        let twice = keyring.sign(once.message, envelopeSender: "", time: 2)
        #expect(twice.signatures.isEmpty && twice.message == once.message)
        // Only the RSA key's signature came along (say, from our own earlier hop): the Ed25519 key adds its own.
        var onlyRSA = DKIMKeyring(signers: [keyring.signers[0]])
        onlyRSA.envelopeFallback = false
        let partly = onlyRSA.sign(Self.message(from: "orders@shop.example"), envelopeSender: "", time: 1)
        #expect(Self.selectors(keyring.sign(partly.message, envelopeSender: "", time: 2)) == ["ed._domainkey.shop.example"])
    }
}
