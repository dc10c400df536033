import DNS
import Logging
import NIOCore

/// Waits on a query's own datagram socket for the one response that matches,
/// and completes the promise with it; other datagrams are dropped.
///
/// Runs on the channel's event loop only.
///
/// - SeeAlso: RFC 5452 §3, §9.1
final class UDPResponseHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let expected: ExpectedResponse
    private let promise: EventLoopPromise<DNSMessage>
    private let logger: Logger

    init(expected: ExpectedResponse, promise: EventLoopPromise<DNSMessage>, logger: Logger) {
        self.expected = expected
        self.promise = promise
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        guard let response = try? DNSMessage(decoding: bytes),
            expected.accepts(response, from: envelope.remoteAddress)
        else {
            logger.debug(
                "ignoring a DNS datagram that does not answer our query",
                metadata: ["from": "\(envelope.remoteAddress)", "octets": "\(bytes.count)"])
            return
        }
        promise.succeed(response)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(DNSTransportError.closed)
        context.fireChannelInactive()
    }
}
