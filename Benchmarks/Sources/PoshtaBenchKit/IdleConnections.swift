import NIOCore
import NIOPosix

/// Opens many connections, at most `parallel` at a time, each brought to the point where the
/// server has answered EHLO, and keeps them open. Lives on one event loop.
final class IdleConnections {
    let options: IdleOptions
    let eventLoop: any EventLoop
    let address: SocketAddress
    private let deadline: NIODeadline
    private let ehlo: ByteBuffer

    private(set) var ready: [any Channel] = []
    private(set) var failures: [String: Int] = [:]
    private(set) var failed = 0
    /// Connections that were ready and then closed by the server.
    private(set) var closedEarly = 0
    private var started = 0
    private var settling = 0
    private let allSettled: EventLoopPromise<Void>
    private var settled = false
    private var closing = false
    /// Became ready after opening was cut off (and were closed at once).
    private var lateArrivals = 0

    init(options: IdleOptions, eventLoop: any EventLoop, address: SocketAddress, deadline: NIODeadline) {
        self.options = options
        self.eventLoop = eventLoop
        self.address = address
        self.deadline = deadline
        self.ehlo = ByteBuffer(string: "EHLO \(options.helo)\r\n")
        self.allSettled = eventLoop.makePromise(of: Void.self)
    }

    /// Opens them all; the future completes when each is ready or has failed, or at the deadline.
    func open() -> EventLoopFuture<Void> {
        eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            settle()
        }
        for _ in 0..<min(options.parallel, options.connections) { openOne() }
        if options.connections == 0 { settle() }
        return allSettled.futureResult
    }

    /// How many of the ready connections are still open.
    var stillOpen: Int { ready.filter(\.isActive).count }

    /// Connections begun that neither became ready nor failed (still waiting for the greeting
    /// or the EHLO reply when opening was cut off).
    var unanswered: Int { started - ready.count - failed - lateArrivals }

    /// Connections never begun because opening was cut off.
    var notStarted: Int { options.connections - started }

    /// Closes every connection; the future completes when all are closed.
    func closeAll() -> EventLoopFuture<Void> {
        closing = true
        let closing = ready.map { channel in
            channel.close().recover { _ in }
        }
        ready.removeAll()
        return EventLoopFuture.andAllComplete(closing, on: eventLoop)
    }

    // MARK: Calls from the handlers

    func becameReady(_ channel: any Channel) {
        guard !settled else {
            lateArrivals += 1
            channel.close(promise: nil)
            return
        }
        ready.append(channel)
        oneSettled()
    }

    func failedToOpen(_ reason: String) {
        guard !settled else { return }  // too late to matter: counted as unanswered
        failed += 1
        if failures[reason] != nil || failures.count < 20 { failures[reason, default: 0] += 1 }
        oneSettled()
    }

    func closedAfterReady() {
        if !closing { closedEarly += 1 }
    }

    // MARK: Internals

    private func openOne() {
        guard started < options.connections, !settled else { return }
        started += 1
        settling += 1
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let ehlo = self.ehlo
        ClientBootstrap(group: eventLoop)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    try sync.addHandler(IdleClientHandler(owner: bound.value, ehlo: ehlo))
                }
            }
            .connect(to: address)
            .assumeIsolated()
            .whenFailure { [self] error in
                failedToOpen("connect: \(error)")
            }
    }

    private func oneSettled() {
        settling -= 1
        if started < options.connections, !settled {
            openOne()
        } else if settling == 0 {
            settle()
        }
    }

    private func settle() {
        guard !settled else { return }
        settled = true
        allSettled.succeed(())
    }
}

@available(*, unavailable)
extension IdleConnections: Sendable {}

/// Reads the greeting, sends EHLO, waits for its reply, then sits still.
final class IdleClientHandler: ChannelInboundHandler {
    typealias InboundIn = SMTPReply
    typealias OutboundOut = ByteBuffer

    private enum State { case greeting, ehlo, ready, failed }

    private let owner: IdleConnections
    private let ehlo: ByteBuffer
    private var state = State.greeting

    init(owner: IdleConnections, ehlo: ByteBuffer) {
        self.owner = owner
        self.ehlo = ehlo
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = Self.unwrapInboundIn(data)
        switch state {
        case .greeting:
            guard reply.code == 220 else { return fail(context, "greeting: \(reply.summary)") }
            state = .ehlo
            context.writeAndFlush(Self.wrapOutboundOut(ehlo), promise: nil)
        case .ehlo:
            guard reply.code == 250 else { return fail(context, "EHLO: \(reply.summary)") }
            state = .ready
            owner.becameReady(context.channel)
        case .ready, .failed:
            break  // a server's unsolicited reply (e.g. a 421 before closing) changes nothing here
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if state == .greeting || state == .ehlo {
            fail(context, "connection error: \(error)")
        } else {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .greeting, .ehlo: fail(context, "closed by the server before the EHLO reply")
        case .ready: owner.closedAfterReady()
        case .failed: break
        }
        context.fireChannelInactive()
    }

    private func fail(_ context: ChannelHandlerContext, _ reason: String) {
        guard state != .failed else { return }
        state = .failed
        owner.failedToOpen(reason)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension IdleClientHandler: Sendable {}
