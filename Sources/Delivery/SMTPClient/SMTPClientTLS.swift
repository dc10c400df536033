import NIOCore
import NIOSSL

/// The client's TLS contexts, made once and shared by every connection:
/// one that checks nothing (opportunistic TLS to MX hosts, RFC 7435 §4) and
/// one that verifies the chain against the system CAs and `ca_file`, and
/// the host name (relays).
public final class SMTPClientTLS: Sendable {
    let unverified: NIOSSLContext
    let verified: NIOSSLContext

    /// - Parameter caFile: a PEM bundle trusted besides the system's CAs.
    public init(caFile: String?) throws {
        var opportunistic = TLSConfiguration.makeClientConfiguration()
        opportunistic.minimumTLSVersion = .tlsv1
        opportunistic.certificateVerification = .none
        unverified = try NIOSSLContext(configuration: opportunistic)

        var strict = TLSConfiguration.makeClientConfiguration()
        strict.minimumTLSVersion = .tlsv12
        strict.certificateVerification = .fullVerification
        if let caFile {
            strict.trustRoots = .default
            strict.additionalTrustRoots = [.file(caFile)]
        }
        verified = try NIOSSLContext(configuration: strict)
    }

    /// The handler for one connection to `host`: SNI and the name check use
    /// it when it is a name; for an IP address NIOSSL matches the address.
    func handler(for hop: NextHop) throws -> NIOSSLClientHandler {
        let isAddress = IPAddressCheck.isIPAddress(hop.host)
        return try NIOSSLClientHandler(
            context: hop.verifiesCertificate ? verified : unverified,
            serverHostname: isAddress ? nil : hop.host)
    }
}

/// Tells IP address literals from host names.
enum IPAddressCheck {
    static func isIPAddress(_ text: String) -> Bool {
        (try? SocketAddress(ipAddress: text, port: 0)) != nil
    }
}
