import NIOCore

/// What a session reads from its channel: bytes, or an event that the
/// pipeline turned into input so that the session loop sees it in order.
enum SessionInput: Sendable {
    case bytes(ByteBuffer)
    /// No input for `idle_timeout` seconds.
    case idleTimeout
    /// The daemon is stopping.
    case shutdown
}

/// Sent down a session's pipeline when the daemon stops.
struct SessionShutdownEvent: Sendable {}

/// Tags the bytes and events of a connection as `SessionInput`.
final class SessionInputHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = SessionInput

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(wrapInboundOut(.bytes(unwrapInboundIn(data))))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        // NIOAsyncChannel hands reads to the session only on readComplete,
        // so an event must be followed by one or it waits for the next bytes.
        case let idle as IdleStateHandler.IdleStateEvent where idle == .read:
            context.fireChannelRead(wrapInboundOut(.idleTimeout))
            context.fireChannelReadComplete()
        case is SessionShutdownEvent:
            context.fireChannelRead(wrapInboundOut(.shutdown))
            context.fireChannelReadComplete()
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }
}
