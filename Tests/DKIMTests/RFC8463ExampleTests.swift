import Crypto
import Foundation
import MIME
import Testing
import _CryptoExtras

@testable import DKIM

/// RFC 8463 Appendix A, reproduced byte for byte: the example message with
/// the RFC's own keys gives the RFC's `bh=` and, since both Ed25519 and
/// RSA PKCS#1 v1.5 signatures are deterministic, exactly the RFC's `b=`.
/// The values are in Fixtures/ (taken from the RFC, cross-checked against
/// other implementations' copies).
@Suite("DKIM: RFC 8463's example signatures, byte for byte")
struct RFC8463ExampleTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures"

    /// `label: value` lines of rfc8463-signatures.txt; repeated labels in order.
    static func values(_ label: String) throws -> [String] {
        let text = try String(contentsOfFile: fixtures + "/rfc8463-signatures.txt", encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            line.hasPrefix(label + ": ") ? String(line.dropFirst(label.count + 2)) : nil
        }
    }

    static func message() throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: fixtures + "/rfc8463-message.eml")))
    }

    /// The RFC's field with `b=` emptied, as a verifier (and the signer) hashes it.
    static func unsigned(_ label: String) throws -> (field: [UInt8], b: String) {
        let field = try #require(try values(label).first)
        let range = try #require(field.range(of: "; b="))
        return (Array((field[..<range.upperBound] + "\r\n").utf8), String(field[range.upperBound...]))
    }

    static let names = ["from", "to", "subject", "date", "message-id", "from", "subject", "date"]

    @Test("ed25519-sha256 with selector brisbane: bh= and b= as printed")
    func ed25519() throws {
        let secret = try #require(try Self.values("ed25519_secret").first)
        let seed = try #require(Data(base64Encoded: secret))
        let key = DKIMKey.ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: seed))
        #expect(key.publicKeyBase64 == (try Self.values("ed25519_public").first))
        let signer = DKIMSigner(domain: "football.example.com", selector: "brisbane", key: key)
        let message = try Self.message()
        let block = HeaderBlock(scanning: message)
        #expect(signer.bodyHash(message, block) == "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=")
        let (field, b) = try Self.unsigned("ed25519_signature")
        #expect(try signer.sign(message, block, names: Self.names, unsignedField: field) == b)
    }

    @Test("rsa-sha256 with selector test: b= as printed, with the RFC's 1024-bit key")
    func rsa() throws {
        // The RFC's example key is 1024 bits: readable only through the unsafe initializer, for this test.
        let pem = try Self.values("rsa_private_pem").joined(separator: "\n")
        let key = DKIMKey.rsa(try _RSA.Signing.PrivateKey(unsafePEMRepresentation: pem))
        let signer = DKIMSigner(domain: "football.example.com", selector: "test", key: key)
        let message = try Self.message()
        let (field, b) = try Self.unsigned("rsa_signature")
        #expect(try signer.sign(message, HeaderBlock(scanning: message), names: Self.names, unsignedField: field) == b)
        #expect("v=DKIM1; k=rsa; p=\(key.publicKeyBase64)" == (try Self.values("dns_rsa_txt").first))
    }
}
