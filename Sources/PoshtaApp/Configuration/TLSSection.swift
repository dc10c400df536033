/// `[tls]`: the certificate and key that listeners with `tls = "starttls"` or `"implicit"` use.
public struct TLSSection: Sendable, Equatable {
    /// PEM certificate chain, absolute. Default "tls/cert.pem" in the file's folder.
    public var certificate: String
    /// PEM private key, absolute. Default "tls/key.pem" in the file's folder.
    public var key: String
}

extension TLSSection {
    static let keys = ["certificate", "key"]

    init(reading reader: TOMLTableReader) throws(ConfigurationError) {
        try reader.checkKeys(Self.keys, in: "[tls]")
        certificate = try reader.path("certificate", default: "tls/cert.pem")
        key = try reader.path("key", default: "tls/key.pem")
    }
}
