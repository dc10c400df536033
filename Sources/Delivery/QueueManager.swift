import Foundation
public import Logging
public import ServiceLifecycle
public import Spool

/// Like Postfix's qmgr(8): claims due recipients from the spool, hands them
/// to the route, and records what happened, until the daemon stops.
public final class QueueManager: Service, Sendable {
    public let configuration: DeliveryConfiguration
    private let spool: Spool
    private let logger: Logger
    private let capture: CaptureRoute

    public init(configuration: DeliveryConfiguration, spool: Spool, logger: Logger) {
        self.configuration = configuration
        self.spool = spool
        self.logger = logger
        self.capture = CaptureRoute(spool: spool)
    }

    public func run() async throws {
        if configuration.suspended {
            logger.notice("delivery is suspended ([delivery] suspended = true): mail is accepted and kept on the spool")
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            await self.loop()
        }
    }

    private func loop() async {
        var roundsSinceCleanup = 0
        while !Task.isCancelled {
            do {
                let delivered = try await deliverDueMail()
                roundsSinceCleanup += 1
                if delivered == 0 || roundsSinceCleanup >= 64 {
                    try await spool.collectGarbage()
                    roundsSinceCleanup = 0
                }
                if delivered == 0 {
                    let now = Date().timeIntervalSince1970
                    let next = try await spool.nextDueTime()
                    let wait = next.map { max(0.01, min(60, $0 - now)) } ?? 60
                    await spool.doorbell.wait(timeout: .milliseconds(Int64(wait * 1000)))
                }
            } catch {
                logger.error("queue manager: \(error); retrying in 5 s")
                try? await Task.sleep(for: .seconds(5))
            }
        }
    }

    /// One round: claim, deliver, record. Returns the recipients handled.
    private func deliverDueMail() async throws -> Int {
        let now = Date().timeIntervalSince1970
        let messages = try await spool.claimDue(now: now, limit: configuration.batchSize)
        var outcomes: [RecipientOutcome] = []
        for message in messages {
            let started = Date().timeIntervalSince1970
            do {
                let path = try await capture.deliver(message)
                for recipient in message.recipients {
                    outcomes.append(
                        RecipientOutcome(
                            queueID: message.envelope.queueID, position: recipient.position, state: .delivered,
                            reply: "captured as \(path)"))
                    log(message, recipient, relay: "capture", started: started, dsn: "2.0.0", status: "sent (captured as \(path))")
                }
            } catch {
                let retry = Date().timeIntervalSince1970 + Double(configuration.minBackoff)
                for recipient in message.recipients {
                    outcomes.append(
                        RecipientOutcome(
                            queueID: message.envelope.queueID, position: recipient.position, state: .deferred,
                            notBefore: retry, reply: "capture failed: \(error)"))
                    log(message, recipient, relay: "capture", started: started, dsn: "4.3.0", status: "deferred (capture failed: \(error))")
                }
            }
        }
        try await spool.record(outcomes, now: Date().timeIntervalSince1970)
        return outcomes.count
    }

    /// One line per recipient and attempt, Postfix's shape (`log_adhoc.c`).
    private func log(
        _ message: SpooledMessage, _ recipient: SpooledRecipient, relay: String, started: Double, dsn: String,
        status: String
    ) {
        let now = Date().timeIntervalSince1970
        let delay = String(format: "%.2f", now - message.envelope.arrival)
        let queued = String(format: "%.2f", started - message.envelope.arrival)
        let transfer = String(format: "%.2f", now - started)
        logger.info(
            "\(message.envelope.queueID): to=<\(recipient.address)>, relay=\(relay), delay=\(delay), delays=\(queued)/0/0/\(transfer), dsn=\(dsn), status=\(status)"
        )
    }
}
