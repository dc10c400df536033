public import NIOSSL
import Synchronization

/// The server's certificate and key as a TLS context, reloadable without a
/// restart: new sessions get the reloaded context, sessions already in TLS
/// keep theirs until they end.
///
/// TLS 1.2 and 1.3 only (RFC 8996 retired 1.0 and 1.1; RFC 8314 asks for
/// current TLS on submission).
public final class TLSCertificateStore: Sendable {
    public let certificatePath: String
    public let keyPath: String
    private let current: Mutex<NIOSSLContext>

    /// Loads the certificate chain (PEM) and private key (PEM); throws a
    /// `TLSSetupError` naming the file when either cannot be used.
    public init(certificatePath: String, keyPath: String) throws {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        current = Mutex(try Self.makeContext(certificatePath: certificatePath, keyPath: keyPath))
    }

    /// The context for a new session.
    public var context: NIOSSLContext { current.withLock { $0 } }

    /// Reads the files again; on failure the old context stays in use.
    public func reload() throws {
        let context = try Self.makeContext(certificatePath: certificatePath, keyPath: keyPath)
        current.withLock { $0 = context }
    }

    static func makeContext(certificatePath: String, keyPath: String) throws -> NIOSSLContext {
        let configuration = try serverConfiguration(certificatePath: certificatePath, keyPath: keyPath)
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSetupError(file: certificatePath, reason: "the certificate and key do not make a TLS context (do they belong together?): \(error)")
        }
    }

    /// A server's TLS 1.2–1.3 configuration with the certificate chain and
    /// key of these PEM files (the SMTP listeners' and the console's).
    public static func serverConfiguration(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw TLSSetupError(file: certificatePath, reason: "cannot read the certificate (PEM): \(error)")
        }
        guard !chain.isEmpty else { throw TLSSetupError(file: certificatePath, reason: "no certificate in the file") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw TLSSetupError(file: keyPath, reason: "cannot read the private key (PEM): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.maximumTLSVersion = .tlsv13
        return configuration
    }
}

/// A certificate or key that cannot be used; the text names the file.
public struct TLSSetupError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var reason: String

    public var description: String { "\(file): \(reason)" }
}

extension TLSVersion {
    /// `TLSv1.3`, as Postfix and OpenSSL write it.
    var name: String {
        switch self {
        case .tlsv1: "TLSv1"
        case .tlsv11: "TLSv1.1"
        case .tlsv12: "TLSv1.2"
        case .tlsv13: "TLSv1.3"
        }
    }
}
