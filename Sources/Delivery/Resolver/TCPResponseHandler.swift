import DNS
import Logging
import NIOCore

/// Reads DNS messages from a TCP connection to the nameserver and completes
/// the promise with the one that answers our query; the connection closing
/// first is a failure.
///
/// Runs on the channel's event loop only, after ``DNSTCPFrameDecoder``.
///
/// - SeeAlso: RFC 7766 §7 (responses matched by ID and question); RFC 5452 §3
final class TCPResponseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let expected: ExpectedResponse
    private let promise: EventLoopPromise<DNSMessage>
    private let logger: Logger

    init(expected: ExpectedResponse, promise: EventLoopPromise<DNSMessage>, logger: Logger) {
        self.expected = expected
        self.promise = promise
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = Array(Self.unwrapInboundIn(data).readableBytesView)
        guard let response = try? DNSMessage(decoding: bytes),
            expected.accepts(response, from: context.channel.remoteAddress)
        else {
            logger.debug("ignoring a DNS message over TCP that does not answer our query", metadata: ["octets": "\(bytes.count)"])
            return
        }
        promise.succeed(response)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(DNSTransportError.closed)
        context.fireChannelInactive()
    }
}
