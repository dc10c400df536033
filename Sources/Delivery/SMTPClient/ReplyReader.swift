import NIOCore
import SMTPProtocol

/// The client's inbound end: parses server replies and hands them, in
/// order, to whoever waits for them; fails the waiters when the connection
/// breaks or the server is silent too long.
///
/// Lives on the channel's event loop; the connection talks to it only there.
final class ReplyReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    enum Failure: Error {
        case timedOut
        case closed
        case malformed(String)
        case channel(any Error)
    }

    private var parser = SMTPReplyParser()
    private var replies: CircularBuffer<SMTPReply> = []
    private var waiters: CircularBuffer<(promise: EventLoopPromise<SMTPReply>, timeout: TimeAmount)> = []
    private var failure: Failure?
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// A future for the next reply; waits at most `timeout`, after which the
    /// connection is closed (a peer that missed a timeout is not trusted to
    /// be in step any more).
    func nextReply(timeout: TimeAmount, on eventLoop: any EventLoop) -> EventLoopFuture<SMTPReply> {
        if let reply = replies.popFirst() { return eventLoop.makeSucceededFuture(reply) }
        if let failure { return eventLoop.makeFailedFuture(failure) }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        waiters.append((promise, timeout))
        if waiters.count == 1 { armTimer(timeout, on: eventLoop) }
        return promise.futureResult
    }

    /// One timer runs, for the oldest waiter: pipelined replies come in
    /// order, so each gets its own full timeout once the one before arrived.
    private func armTimer(_ timeout: TimeAmount, on eventLoop: any EventLoop) {
        timer?.cancel()
        timer = eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            guard let self else { return }
            self.fail(.timedOut)
            self.context?.close(promise: nil)
        }
    }

    /// Sets the timeout for the oldest waiter again, e.g. while a long DATA
    /// body is still being written.
    func extendTimeout(_ timeout: TimeAmount, on eventLoop: any EventLoop) {
        guard !waiters.isEmpty else { return }
        waiters[waiters.startIndex].timeout = timeout
        armTimer(timeout, on: eventLoop)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if let bytes = buffer.readBytes(length: buffer.readableBytes) { parser.append(bytes) }
        do {
            while let reply = try parser.next() {
                if let waiter = waiters.popFirst() {
                    timer?.cancel()
                    timer = nil
                    if let next = waiters.first { armTimer(next.timeout, on: context.eventLoop) }
                    waiter.promise.succeed(reply)
                } else {
                    replies.append(reply)
                }
            }
        } catch {
            fail(.malformed(error.line))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(.channel(error))
        context.close(promise: nil)
    }

    private func fail(_ failure: Failure) {
        if self.failure == nil { self.failure = failure }
        timer?.cancel()
        timer = nil
        while let waiter = waiters.popFirst() { waiter.promise.fail(self.failure ?? failure) }
    }
}
