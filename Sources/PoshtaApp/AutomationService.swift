import Foundation
import Logging
import ServiceLifecycle
import ShopMail

/// The automations' timer: every second, the jobs that have come due are
/// sent (a full batch is followed at once by the next), until the daemon
/// stops. A job being sent when the stop comes finishes first; one not yet
/// claimed waits for the next start.
struct AutomationService: Service {
    let sender: AutomationSender
    /// Nothing is sent while marketing is switched off; due jobs wait.
    let switches: ShopSwitches
    let logger: Logger

    static let interval = Duration.seconds(1)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                guard switches.automations.enabled else {
                    try? await Task.sleep(for: Self.interval)
                    continue
                }
                do {
                    let fired = try await sender.fireDueJobs(now: Date.now.timeIntervalSince1970)
                    if fired.count == sender.batchSize { continue }
                } catch {
                    logger.error("automations: cannot read the due jobs: \(error)")
                }
                try? await Task.sleep(for: Self.interval)
            }
        }
    }
}
