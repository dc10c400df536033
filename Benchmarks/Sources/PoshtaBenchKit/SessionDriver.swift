import NIOCore
import NIOPosix

/// One client session: claims messages, opens a connection per message (or one for all with
/// `--reuse`), and keeps the session's figures. Lives on one event loop; everything it does
/// happens there.
final class SessionDriver {
    let run: IntakeRun
    let eventLoop: any EventLoop
    private(set) var stats = SessionStats()

    private let done: EventLoopPromise<SessionStats>
    /// Claimed for the next connection, not yet begun.
    private var pending: Int?
    /// Begun: commands for it are on the wire.
    private var inFlight: Int?
    /// A wait for the next message's slot (`--rate`).
    private var timer: Scheduled<Void>?
    private var deadlineTask: Scheduled<Void>?
    private var stallCheck: Scheduled<Void>?
    /// The handler of the current connection (from its registration on), to check it for
    /// stalls and to close it at the time limit.
    private var handler: SMTPClientHandler?
    private var finished = false
    /// Made on first use, dropped at the end (its initializer refers back to the driver).
    private var bootstrap: ClientBootstrap?

    init(run: IntakeRun, eventLoop: any EventLoop) {
        self.run = run
        self.eventLoop = eventLoop
        self.done = eventLoop.makePromise(of: SessionStats.self)
    }

    /// Starts the session; the future gives its figures when it has no more messages or time.
    func start() -> EventLoopFuture<SessionStats> {
        deadlineTask = eventLoop.assumeIsolated().scheduleTask(deadline: run.deadline) { [self] in
            abort()
        }
        scheduleStallCheck()
        nextConnection()
        return done.futureResult
    }

    // MARK: Calls from the connection's handler

    /// The handler of a new connection introduces itself.
    func attach(_ handler: SMTPClientHandler) {
        self.handler = handler
    }

    /// Hands the handler the next message for its connection (after its slot, with `--rate`),
    /// or nil when it should say QUIT.
    func nextMessage(_ then: @escaping (Int?) -> Void) {
        if let index = pending {
            pending = nil
            inFlight = index
            then(index)
            return
        }
        guard run.options.reuse, !finished, let index = run.claim() else {
            then(nil)
            return
        }
        afterSlot(of: index) { [self] in
            inFlight = index
            then(index)
        }
    }

    /// The message in flight got its `250` after `nanoseconds` of DATA→250.
    func accepted(latency nanoseconds: UInt64) {
        let now = NIODeadline.now().uptimeNanoseconds
        if run.recordsAcceptTimes, let index = inFlight {
            stats.acceptTimes.append(AcceptTime(index: index, at: now))
        }
        inFlight = nil
        stats.accepted += 1
        stats.latencies.append(nanoseconds)
        stats.lastEvent = now
        run.acceptedSoFar.add(1, ordering: .relaxed)
    }

    /// A TLS handshake (after STARTTLS) completed in `nanoseconds`, negotiating `version`.
    func handshakeCompleted(latency nanoseconds: UInt64, version: String) {
        stats.handshakes += 1
        stats.handshakeLatencies.append(nanoseconds)
        stats.tlsVersions[version, default: 0] += 1
    }

    /// STARTTLS was not offered or refused, or the handshake failed (not counted once the
    /// run is stopping: connections closed at the time limit are no failures).
    func tlsFailed() {
        guard !finished, !run.isStopping else { return }
        stats.tlsFailures += 1
    }

    /// The message in flight (or the one waiting for this connection) failed.
    func failed(_ reason: String) {
        guard inFlight != nil || pending != nil else { return }
        inFlight = nil
        pending = nil
        stats.recordFailure(reason)
        stats.lastEvent = NIODeadline.now().uptimeNanoseconds
    }

    /// The connection is gone; `reason` says why if it was not the end of a QUIT.
    func connectionClosed(reason: String?) {
        handler = nil
        guard !finished else { return }
        if inFlight != nil || pending != nil {
            if run.isStopping {
                stats.unfinished += inFlight == nil ? 0 : 1
                inFlight = nil
                pending = nil
            } else {
                failed(reason ?? "connection closed")
            }
        }
        nextConnection()
    }

    // MARK: Connections

    private func nextConnection() {
        guard !finished else { return }
        guard let index = run.claim() else {
            finish()
            return
        }
        pending = index
        afterSlot(of: index) { [self] in connect() }
    }

    private func makeBootstrap() -> ClientBootstrap {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        return ClientBootstrap(group: eventLoop)  // TCP_NODELAY is on by default
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    try sync.addHandler(SMTPClientHandler(driver: bound.value))
                }
            }
    }

    private func connect() {
        stats.connections += 1
        let bootstrap = self.bootstrap ?? makeBootstrap()
        self.bootstrap = bootstrap
        bootstrap
            .connect(to: run.address)
            .assumeIsolated()
            .whenComplete { [self] result in
                switch result {
                case .success(let channel):
                    if finished {
                        // Closing from inside the connect callback, before the channel is
                        // fully active, can lose its channelInactive: close on the next tick.
                        eventLoop.execute { channel.close(promise: nil) }
                    }
                case .failure(let error):
                    guard !finished else { return }
                    handler = nil
                    failed("connect: \(error)")
                    nextConnection()
                }
            }
    }

    /// Once a second: gives up on a connection whose server has owed a reply for longer than
    /// `--reply-timeout` (one timer per session rather than one per connection).
    private func scheduleStallCheck() {
        let timeout = TimeAmount.nanoseconds(Int64(run.options.replyTimeout * 1e9))
        let period = min(TimeAmount.seconds(1), timeout)
        stallCheck = eventLoop.assumeIsolated().scheduleTask(in: period) { [self] in
            guard !finished else { return }
            handler?.checkStall(now: .now(), timeout: timeout)
            scheduleStallCheck()
        }
    }

    /// Runs `body` now, or at message `index`'s slot when a rate is set.
    private func afterSlot(of index: Int, _ body: @escaping () -> Void) {
        guard let due = run.due(index), due > .now() else {
            body()
            return
        }
        timer = eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
            timer = nil
            body()
        }
    }

    /// Time is up: stop claiming, report now (what was under way counts as unfinished) and
    /// close the connection; whatever its handler reports afterwards is ignored.
    private func abort() {
        run.stop()
        guard !finished else { return }
        timer?.cancel()
        timer = nil
        if inFlight != nil { stats.unfinished += 1 }
        inFlight = nil
        pending = nil
        let handler = self.handler
        finish()
        handler?.closeConnection()
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        deadlineTask?.cancel()
        stallCheck?.cancel()
        bootstrap = nil
        done.succeed(stats)
    }
}

@available(*, unavailable)
extension SessionDriver: Sendable {}
