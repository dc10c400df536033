import Crypto

/// How a log line names a customer who was forgotten (GDPR erasure): a
/// hash of the lower-cased address, so that the line still ties to the
/// request ("did you erase me?") without keeping the address.
public enum AddressHash {
    /// `sha256:` and the first 16 hex digits of SHA-256 of the lower-cased address.
    public static func of(_ email: String) -> String {
        let digest = SHA256.hash(data: Array(email.lowercased().utf8))
        return "sha256:" + digest.prefix(8).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
