public import Crypto
public import _CryptoExtras
import Foundation

/// A DKIM signing key: RSA (`rsa-sha256`, RFC 6376) or Ed25519
/// (`ed25519-sha256`, RFC 8463). Kept in a PEM file: RSA as PKCS#1 or
/// PKCS#8, Ed25519 as PKCS#8 (RFC 8410), what `openssl genpkey` writes too.
public enum DKIMKey: Sendable {
    case rsa(_RSA.Signing.PrivateKey)
    case ed25519(Curve25519.Signing.PrivateKey)

    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case rsaSHA256 = "rsa-sha256"
        case ed25519SHA256 = "ed25519-sha256"

        /// The DNS record's `k=`.
        public var keyType: String { self == .rsaSHA256 ? "rsa" : "ed25519" }
    }

    public var algorithm: Algorithm {
        switch self {
        case .rsa: .rsaSHA256
        case .ed25519: .ed25519SHA256
        }
    }

    /// A new key: RSA of `bits` (2048, 3072 or 4096), or Ed25519.
    public static func generate(_ algorithm: Algorithm, bits: Int = 2048) throws -> DKIMKey {
        switch algorithm {
        case .rsaSHA256:
            let size: _RSA.Signing.KeySize
            switch bits {
            case 2048: size = .bits2048
            case 3072: size = .bits3072
            case 4096: size = .bits4096
            default: throw DKIMKeyError("an RSA key has 2048, 3072 or 4096 bits, not \(bits) (receivers ignore shorter ones)")
            }
            return .rsa(try _RSA.Signing.PrivateKey(keySize: size))
        case .ed25519SHA256:
            return .ed25519(Curve25519.Signing.PrivateKey())
        }
    }

    /// Reads a PEM file's text.
    public init(pem: String) throws {
        let text = pem.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("-----BEGIN PRIVATE KEY-----"), let der = Self.der(text),
            der.count == 48, der.prefix(16).elementsEqual(Self.ed25519PKCS8Prefix)
        {
            self = .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32)))
            return
        }
        do {
            self = .rsa(try _RSA.Signing.PrivateKey(pemRepresentation: text))
        } catch {
            throw DKIMKeyError("not an RSA or Ed25519 private key in PEM (\(error))")
        }
    }

    /// The key as a PEM file's text.
    public var pem: String {
        switch self {
        case .rsa(let key):
            return key.pemRepresentation
        case .ed25519(let key):
            let der = Self.ed25519PKCS8Prefix + Array(key.rawRepresentation)
            let base64 = Data(der).base64EncodedString()
            return "-----BEGIN PRIVATE KEY-----\n\(base64)\n-----END PRIVATE KEY-----\n"
        }
    }

    /// The public key as the DNS record's `p=` wants it: RSA as a
    /// SubjectPublicKeyInfo (RFC 6376 §3.6.1), Ed25519 as the 32 raw bytes (RFC 8463 §4).
    public var publicKeyBase64: String {
        switch self {
        case .rsa(let key): key.publicKey.derRepresentation.base64EncodedString()
        case .ed25519(let key): key.publicKey.rawRepresentation.base64EncodedString()
        }
    }

    /// Signs the SHA-256 hash of the signed data (for Ed25519, PureEdDSA over that hash: RFC 8463 §3).
    func sign(_ digest: SHA256.Digest) throws -> [UInt8] {
        switch self {
        case .rsa(let key):
            return Array(try key.signature(for: digest, padding: .insecurePKCS1v1_5).rawRepresentation)
        case .ed25519(let key):
            return Array(try key.signature(for: Array(digest)))
        }
    }

    /// RFC 8410's PKCS#8 wrapping of an Ed25519 private key: this, then the 32-byte seed.
    static let ed25519PKCS8Prefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]

    static func der(_ pem: String) -> [UInt8]? {
        let body = pem.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        return Data(base64Encoded: body).map(Array.init)
    }
}

/// A key that cannot be read or made; the text says why.
public struct DKIMKeyError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
