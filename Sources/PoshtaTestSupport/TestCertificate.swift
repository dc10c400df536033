import PoshtaApp

/// A self-signed certificate and key written for a test, as
/// `poshta tls selfsigned` writes them.
public enum TestCertificate {
    /// Writes `tls/cert.pem` and `tls/key.pem` under the folder; returns their paths.
    @discardableResult
    public static func write(in directory: TemporaryDirectory, hostname: String = "mail.test", name: String = "tls")
        throws -> (certificate: String, key: String)
    {
        let made = try SelfSignedCertificate.make(hostname: hostname, days: 30)
        try FileManager.default.createDirectory(atPath: "\(directory.path)/\(name)", withIntermediateDirectories: true)
        let certificate = try directory.write(made.certificate, to: "\(name)/cert.pem")
        let key = try directory.write(made.key, to: "\(name)/key.pem")
        return (certificate, key)
    }
}

import Foundation
