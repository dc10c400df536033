import Logging
import ServiceLifecycle
import UnixSignals
import SMTPServer

/// Reloads what can change under a running daemon when it gets SIGHUP, as
/// `postfix reload` does: today the TLS certificate (sessions already in
/// TLS keep theirs). The users file needs no signal: it is re-read when it
/// changes.
struct ReloadService: Service {
    let tls: TLSCertificateStore?
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                reload()
            }
        }
    }

    private func reload() {
        guard let tls else {
            logger.notice("SIGHUP: nothing to reload (no listener uses TLS)")
            return
        }
        do {
            try tls.reload()
            logger.notice("SIGHUP: reloaded the TLS certificate from \(tls.certificatePath)")
        } catch {
            logger.error("SIGHUP: kept the old TLS certificate: \(error)")
        }
    }
}
