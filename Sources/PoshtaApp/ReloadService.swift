import Logging
import ServiceLifecycle
import SMTPServer
import Templates
import UnixSignals

/// Reloads what can change under a running daemon, as `postfix reload`
/// does: on SIGHUP the TLS certificate (sessions already in TLS keep
/// theirs) and the templates; the templates also every two seconds when
/// their files changed, so that an edit takes effect without a signal. The
/// users file needs neither: it is re-read when it changes.
struct ReloadService: Service {
    let tls: TLSCertificateStore?
    let templates: TemplateSet?
    let logger: Logger

    /// How often the template files are looked at.
    static let templateInterval = Duration.seconds(2)

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in signals {
                        reloadCertificate()
                        await reloadTemplates()
                    }
                }
                if templates != nil {
                    group.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: Self.templateInterval)
                            await reloadTemplates()
                        }
                    }
                }
            }
        }
    }

    private func reloadCertificate() {
        guard let tls else {
            logger.notice("SIGHUP: no TLS certificate to reload (no listener uses TLS)")
            return
        }
        do {
            try tls.reload()
            logger.notice("SIGHUP: reloaded the TLS certificate from \(tls.certificatePath)")
        } catch {
            logger.error("SIGHUP: kept the old TLS certificate: \(error)")
        }
    }

    private func reloadTemplates() async {
        guard let templates else { return }
        switch await templates.reloadIfChanged() {
        case .unchanged:
            break
        case .reloaded(let files):
            logger.notice("templates reloaded from \(templates.directory) (\(files) files)")
        case .failed(let reason):
            logger.error("templates in \(templates.directory) do not load; the old ones stay in use: \(reason)")
        }
    }
}
