import NIOCore
import NIOSSL
import NIOTLS

/// What a sink connection reads: bytes, or the end of a TLS handshake, in
/// the order they happened.
enum SinkInput: Sendable {
    case bytes(ByteBuffer)
    /// The handshake finished; the text names the version (`TLSv1.3`).
    case tlsEstablished(String)
}

/// Tags a sink connection's bytes and TLS events as `SinkInput`.
final class SinkInputHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = SinkInput

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(wrapInboundOut(.bytes(unwrapInboundIn(data))))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            let version = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).tlsVersion
            context.fireChannelRead(wrapInboundOut(.tlsEstablished(version.map(Self.name) ?? "TLS")))
            // NIOAsyncChannel hands reads on only at readComplete.
            context.fireChannelReadComplete()
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// `TLSv1.3`, as OpenSSL and Postfix write it.
    static func name(_ version: TLSVersion) -> String {
        switch version {
        case .tlsv1: "TLSv1"
        case .tlsv11: "TLSv1.1"
        case .tlsv12: "TLSv1.2"
        case .tlsv13: "TLSv1.3"
        }
    }
}
