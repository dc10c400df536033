import Foundation
public import Logging
public import NIOCore
import NIOPosix
import SMTPProtocol
public import ServiceLifecycle
public import Spool

/// Like Postfix's qmgr(8): claims due recipients from the spool, splits them
/// into jobs per destination, lets the scheduler start them within each
/// destination's limits, and records what happened, until the daemon stops.
public final class QueueManager: Service, Sendable {
    public let configuration: DeliveryConfiguration
    private let spool: Spool
    private let logger: Logger
    private let capture: CaptureRoute
    private let planner: RoutePlanner
    private let agent: SMTPDeliveryAgent?
    private let cache: ConnectionCache
    private let recorder: OutcomeRecorder
    private let bouncer: Bouncer
    private let onHardBounce: HardBounceObserver?

    /// Told of each recipient refused for good by the receiving server (a
    /// 5xx, not an expiry): the daemon suppresses marketing to it.
    public typealias HardBounceObserver = @Sendable (_ recipient: String, _ envelope: SpoolEnvelope, _ reply: String) async -> Void

    /// - Throws: when the TLS contexts or the resolver cannot be set up
    ///   (a bad `ca_file`, an unreadable resolv.conf).
    public init(
        configuration: DeliveryConfiguration, spool: Spool, eventLoopGroup: any EventLoopGroup, logger: Logger,
        onHardBounce: HardBounceObserver? = nil
    ) throws {
        self.onHardBounce = onHardBounce
        self.configuration = configuration
        self.spool = spool
        self.logger = logger
        self.capture = CaptureRoute(spool: spool)
        self.cache = ConnectionCache(idleTime: configuration.connectionCacheTime)
        self.recorder = OutcomeRecorder(spool: spool)
        self.bouncer = Bouncer(spool: spool, hostname: configuration.hostname, logger: logger, dkim: configuration.dkim)
        var resolver: DNSResolver?
        if configuration.route == .mx {
            resolver = DNSResolver(
                configuration: try .configured(nameserver: configuration.nameserver), eventLoopGroup: eventLoopGroup, logger: logger)
        }
        self.planner = RoutePlanner(configuration: configuration, resolver: resolver)
        if configuration.route == .capture {
            agent = nil
        } else {
            agent = SMTPDeliveryAgent(
                configuration: configuration, tls: try SMTPClientTLS(caFile: configuration.caFile), cache: cache,
                group: eventLoopGroup, logger: logger)
        }
    }

    /// For the capture route, which needs no network.
    public convenience init(configuration: DeliveryConfiguration, spool: Spool, logger: Logger) throws {
        try self.init(
            configuration: configuration, spool: spool, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: logger)
    }

    public func run() async throws {
        if configuration.suspended {
            logger.notice("delivery is suspended ([delivery] suspended = true): mail is accepted and kept on the spool")
            try? await gracefulShutdown()
            return
        }
        let (starts, continuation) = AsyncStream.makeStream(of: DeliveryScheduler.Start.self)
        let scheduler = DeliveryScheduler(configuration: configuration, starts: continuation)
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.claimLoop(scheduler) }
                group.addTask { await self.sweepLoop() }
                for await start in starts {
                    group.addTask { await self.execute(start, scheduler: scheduler) }
                }
            }
        }
        continuation.finish()
        await cache.closeAll()
    }

    /// Claims due recipients while there is room in the active queue, and
    /// sleeps until the spool rings, the next retry is due, or room frees.
    private func claimLoop(_ scheduler: DeliveryScheduler) async {
        var roundsSinceCleanup = 0
        while !Task.isCancelled {
            do {
                let room = configuration.maxActiveRecipients - (await scheduler.activeRecipients)
                var claimed = 0
                if room > 0 {
                    let now = Date.now.timeIntervalSince1970
                    let messages = try await spool.claimDue(now: now, limit: min(configuration.batchSize, room))
                    claimed = messages.reduce(0) { $0 + $1.recipients.count }
                    await scheduler.enqueue(DeliveryJob.split(messages, route: configuration.route, now: now))
                }
                roundsSinceCleanup += 1
                if claimed == 0 || roundsSinceCleanup >= 64 {
                    try await spool.collectGarbage()
                    roundsSinceCleanup = 0
                }
                if claimed == 0 || room <= claimed {
                    let now = Date.now.timeIntervalSince1970
                    let next = room > claimed ? try await spool.nextDueTime() : nil
                    // With the active queue full, look again soon: finished jobs make room.
                    let wait = room <= claimed ? 0.05 : next.map { max(0.01, min(60, $0 - now)) } ?? 60
                    await spool.doorbell.wait(timeout: .milliseconds(Int64(wait * 1000)))
                }
            } catch {
                logger.error("queue manager: \(error); retrying in 5 s")
                try? await Task.sleep(for: .seconds(5))
            }
        }
    }

    private func sweepLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            cache.sweep()
        }
    }

    /// Runs one job to its results, then records them.
    private func execute(_ start: DeliveryScheduler.Start, scheduler: DeliveryScheduler) async {
        guard let job = await withoutWithdrawn(start.job) else {
            await scheduler.finished(start.job, reachable: nil, reason: "")
            return
        }
        let begun = Date.now.timeIntervalSince1970
        var reachable: Bool?
        var reason = ""
        var original: [UInt8]?
        var results: [RecipientResult]
        if let suspended = start.suspendedBecause {
            results = Self.all(job, .deferred, .init(4, 4, 1), "delivery temporarily suspended: \(suspended)")
        } else if configuration.route == .capture {
            do {
                let path = try await capture.deliver(job.message)
                results = Self.all(job, .sent, .init(2, 0, 0), "captured as \(path)", relay: "capture")
            } catch {
                results = Self.all(job, .deferred, .init(4, 3, 0), "capture failed: \(error)", relay: "capture")
            }
        } else {
            switch await planner.plan(for: job.destination) {
            case .fail(let failure):
                results = Self.all(job, failure.isPermanent ? .bounced : .deferred, failure.status, failure.text)
            case .hops(let hops, let primaryFailure):
                do {
                    let message = try await spool.loadMessage(at: job.message.location)
                    original = message
                    let attempt = await agent!.deliver(job, message: message, hops: hops, primaryFailure: primaryFailure)
                    results = attempt.results
                    switch attempt.health {
                    case .reachable: reachable = true
                    case .unreachable(let why):
                        reachable = false
                        reason = why
                    }
                } catch {
                    results = Self.all(job, .deferred, .init(4, 3, 0), "cannot read the message from the spool: \(error)")
                }
            }
        }
        await finish(job, results: results, original: original, begun: begun)
        await scheduler.finished(start.job, reachable: reachable, reason: reason)
    }

    /// The job without the recipients an administrator held or deleted
    /// since they were claimed; nil when none is left. When the spool
    /// cannot say, the job goes ahead as claimed (`record` still keeps
    /// the administrator's state for a deferral).
    private func withoutWithdrawn(_ job: DeliveryJob) async -> DeliveryJob? {
        let positions = job.message.recipients.map(\.position)
        guard let active = try? await spool.stillActive(job.message.envelope.queueID, positions: positions) else {
            return job
        }
        if active.count == positions.count { return job }
        var remaining = job
        remaining.message.recipients.removeAll { !active.contains($0.position) }
        return remaining.message.recipients.isEmpty ? nil : remaining
    }

    private static func all(
        _ job: DeliveryJob, _ verdict: RecipientResult.Verdict, _ status: EnhancedStatusCode, _ text: String,
        relay: String = "none"
    ) -> [RecipientResult] {
        job.message.recipients.map {
            RecipientResult(recipient: $0, verdict: verdict, status: status, relay: relay, text: text)
        }
    }

    /// Applies the retry schedule, logs one line per recipient, bounces what
    /// failed for good, and records the outcomes.
    private func finish(_ job: DeliveryJob, results: [RecipientResult], original: [UInt8]?, begun: Double) async {
        let now = Date.now.timeIntervalSince1970
        let envelope = job.message.envelope
        let schedule = configuration.retrySchedule
        var outcomes: [RecipientOutcome] = []
        var failures: [Bouncer.Failure] = []
        var delayed: [Bouncer.Failure] = []
        var lines: [(RecipientResult, String)] = []
        for result in results {
            func outcome(_ state: RecipientState, notBefore: Double? = nil) -> RecipientOutcome {
                RecipientOutcome(
                    queueID: envelope.queueID, position: result.recipient.position, state: state, notBefore: notBefore,
                    reply: result.text, relay: result.relay, status: result.status.description)
            }
            switch result.verdict {
            case .sent:
                outcomes.append(outcome(.delivered))
                lines.append((result, "sent (\(result.text))"))
            case .bounced:
                outcomes.append(outcome(.bounced))
                failures.append(Bouncer.Failure(result: result, expired: false))
                lines.append((result, "bounced (\(result.text))"))
            case .deferred:
                switch schedule.afterTemporaryFailure(attempts: result.recipient.attempts, arrival: envelope.arrival, now: now) {
                case .retry(let at):
                    var deferred = outcome(.deferred, notBefore: at)
                    if let warnAfter = configuration.delayWarning, !result.recipient.warned,
                        now - envelope.arrival >= warnAfter, !envelope.sender.isEmpty
                    {
                        deferred.warned = true
                        delayed.append(
                            Bouncer.Failure(
                                result: result, expired: false,
                                retryUntil: envelope.arrival + Double(configuration.maxLifetime)))
                    }
                    outcomes.append(deferred)
                    lines.append((result, "deferred (\(result.text))"))
                case .expire:
                    outcomes.append(outcome(.expired))
                    failures.append(Bouncer.Failure(result: result, expired: true))
                    lines.append((result, "expired, returned to sender (\(result.text))"))
                }
            }
        }
        for (result, status) in lines {
            log(job, result, begun: begun, now: now, status: status)
        }
        if let onHardBounce {
            for failure in failures where !failure.expired {
                await onHardBounce(failure.result.recipient.address, envelope, failure.result.text)
            }
        }
        if !failures.isEmpty {
            if envelope.sender.isEmpty {
                logger.info("\(envelope.queueID): undeliverable bounce (null sender) discarded for \(failures.count) recipient(s)")
            } else {
                // Not final without a bounce: the sender is never left uninformed.
                let retry = now + Double(configuration.minBackoff)
                await sendReport(job, about: failures, original: original, outcomes: &outcomes) { outcome in
                    outcome.state = .deferred
                    outcome.notBefore = retry
                }
            }
        }
        if !delayed.isEmpty {
            // Not marked warned: the warning goes with the next failed attempt.
            await sendReport(job, about: delayed, original: original, outcomes: &outcomes) { $0.warned = false }
        }
        do {
            try await recorder.record(outcomes)
            for outcome in outcomes { DeliveryMetrics.recorded(outcome.state, delay: now - envelope.arrival) }
            // The claim loop sleeps until the next due time it knew of; a
            // new deferral may be due sooner.
            if outcomes.contains(where: { $0.state == .deferred }) { spool.doorbell.ring() }
        } catch {
            logger.error("\(envelope.queueID): cannot record delivery outcomes: \(error); they are retried after restart")
        }
    }

    /// Spools one report (a bounce or a delay warning) to the sender. When
    /// that fails, `undo` is applied to the outcomes of the recipients it
    /// concerns, so that they are reported at a later attempt instead.
    private func sendReport(
        _ job: DeliveryJob, about recipients: [Bouncer.Failure], original: [UInt8]?,
        outcomes: inout [RecipientOutcome], undo: (inout RecipientOutcome) -> Void
    ) async {
        do {
            _ = try await bouncer.bounce(
                job.message, failures: recipients, original: try await loadOriginal(job, original))
        } catch {
            logger.error("\(job.message.envelope.queueID): cannot queue the report to the sender: \(error); will try again")
            let concerned = Set(recipients.map(\.result.recipient.position))
            for index in outcomes.indices where concerned.contains(outcomes[index].position) {
                undo(&outcomes[index])
            }
        }
    }

    /// The message's bytes: those already read for the attempt, or from the spool.
    private func loadOriginal(_ job: DeliveryJob, _ known: [UInt8]?) async throws -> [UInt8] {
        if let known { return known }
        return try await spool.loadMessage(at: job.message.location)
    }

    /// One line per recipient and attempt, Postfix's shape (`log_adhoc.c`):
    /// delays= is time before the queue manager / in it / connecting / sending.
    private func log(_ job: DeliveryJob, _ result: RecipientResult, begun: Double, now: Double, status: String) {
        let arrival = job.message.envelope.arrival
        func format(_ value: Double) -> String { String(format: "%.2g", max(0, value)) }
        let delays = [job.claimed - arrival, begun - job.claimed, result.connectTime, result.transferTime]
            .map(format).joined(separator: "/")
        logger.info(
            "\(job.message.envelope.queueID): to=<\(result.recipient.address)>, relay=\(result.relay), delay=\(String(format: "%.2f", now - arrival)), delays=\(delays), dsn=\(result.status), status=\(status)"
        )
    }
}
