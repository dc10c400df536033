import NIOCore
import NIOSSL
import NIOTLS

/// What a session reads from its channel: bytes, or an event that the
/// pipeline turned into input so that the session loop sees it in order.
enum SessionInput: Sendable {
    case bytes(ByteBuffer)
    /// No input for `idle_timeout` seconds.
    case idleTimeout
    /// The daemon is stopping.
    case shutdown
    /// The TLS handshake finished; the text names the version (`TLSv1.3`).
    /// Bytes read before this on a STARTTLS session were plaintext.
    case tlsEstablished(String)
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
        // NIOAsyncChannel hands reads to the session only on readComplete,
        // so an event must be followed by one or it waits for the next bytes.
        switch event {
        case let idle as IdleStateHandler.IdleStateEvent where idle == .read:
            deliver(.idleTimeout, context: context)
        case is SessionShutdownEvent:
            deliver(.shutdown, context: context)
        case let tls as TLSUserEvent:
            if case .handshakeCompleted = tls {
                let version = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).tlsVersion
                deliver(.tlsEstablished(version?.name ?? "TLS"), context: context)
            }
            context.fireUserInboundEventTriggered(event)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Counted here, in the pipeline, rather than where the session ends:
    /// a handshake can fail and close the channel before the session's
    /// task even starts, and then the session only sees a closed channel.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .handshakeFailed = error as? NIOSSLError { ServerMetrics.tlsHandshakeFailed() }
        context.fireErrorCaught(error)
    }

    private func deliver(_ input: SessionInput, context: ChannelHandlerContext) {
        context.fireChannelRead(wrapInboundOut(input))
        context.fireChannelReadComplete()
    }
}
