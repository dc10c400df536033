import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The logic of `poshta tls …`.
public enum TLSCommands {
    /// `poshta tls selfsigned --hostname H`: writes a new key (mode 0600) and
    /// certificate to the `[tls]` paths. Refuses to replace existing files
    /// unless `force`.
    public static func selfSigned(configurationPath: String, hostname: String?, days: Int, force: Bool) -> Int32 {
        guard let configuration = Commands.loadConfiguration(configurationPath) else { return Commands.exConfig }
        let name = hostname ?? configuration.server.hostname
        let certificatePath = configuration.tls.certificate
        let keyPath = configuration.tls.key
        let files = FileManager.default
        if !force, let existing = [certificatePath, keyPath].first(where: { files.fileExists(atPath: $0) }) {
            Commands.printError("poshta: \(existing) exists already; use --force to replace the certificate and key")
            return 1
        }
        do {
            let made = try SelfSignedCertificate.make(hostname: name, days: days)
            for path in [certificatePath, keyPath] {
                try files.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            }
            try write(made.key, to: keyPath, permissions: 0o600)
            try write(made.certificate, to: certificatePath, permissions: 0o644)
            print("wrote \(keyPath) (private key, mode 0600) and \(certificatePath) (self-signed for \(name), \(days) days)")
            print("a running daemon picks it up on SIGHUP: kill -HUP <pid>")
            return 0
        } catch {
            Commands.printError("poshta: cannot write the certificate: \(error)")
            return 1
        }
    }

    /// Writes through a temporary file created with the final permissions,
    /// so that the key is never readable by others, not even for a moment.
    private static func write(_ text: String, to path: String, permissions: Int) throws {
        let temporary = path + ".tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        guard FileManager.default.createFile(
            atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: permissions])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary]) }
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
