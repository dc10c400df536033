import NIOCore

/// Cuts a TCP byte stream into DNS messages: each is preceded by its length
/// in two octets, so no message exceeds 65,535 octets.
///
/// - SeeAlso: RFC 1035 §4.2.2; RFC 7766 §8
struct DNSTCPFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            let message = buffer.getSlice(at: buffer.readerIndex + 2, length: Int(length))
        else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2 + Int(length))
        context.fireChannelRead(Self.wrapInboundOut(message))
        return .continue
    }
}
