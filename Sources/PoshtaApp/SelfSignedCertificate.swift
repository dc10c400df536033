import Crypto
public import Foundation
import X509

/// A self-signed ECDSA P-256 certificate for `[server] hostname`, so that a
/// fresh install can offer STARTTLS at once. Mail clients will warn about
/// it; replace it with one from a CA (Let's Encrypt) for real use.
///
/// No KeyUsage extension: BoringSSL refuses a trusted self-signed
/// certificate whose KeyUsage lacks keyCertSign (DEPENDENCIES.md).
public enum SelfSignedCertificate {
    /// PEM texts of a new key and certificate valid for `days` days.
    public static func make(hostname: String, days: Int, now: Date = Date()) throws -> (certificate: String, key: String) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(hostname) }
        let names: [GeneralName] = [.dnsName(hostname)]
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now - 300,
            notValidAfter: now + Double(days) * 86_400,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames(names)
                try ExtendedKeyUsage([.serverAuth])
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
    }
}
