import DNS
import Logging
import NIOCore
import NIOPosix

/// Sends one query to one nameserver and waits for its answer: over UDP
/// from a fresh socket, then over TCP when the UDP answer is truncated.
///
/// Every wait is bounded by the timeout and ends early if the task is
/// cancelled; nothing blocks a thread.
///
/// - SeeAlso: RFC 1035 §4.2.1 (UDP, 512 octets), §4.2.2 (TCP); RFC 7766 §5 (TC means retry over TCP)
struct DNSTransport: Sendable {
    let group: any EventLoopGroup
    let logger: Logger

    /// We send no EDNS0 (RFC 6891), so a conforming answer fits in 512
    /// octets; room for more lets a sloppy server's answer still be read
    /// rather than cut and dropped.
    static let receiveBufferSize = 4096

    /// The answer to `query` from `nameserver`, each of UDP and TCP waited
    /// for at most `timeout`.
    func exchange(_ query: DNSMessage, with nameserver: SocketAddress, timeout: TimeAmount) async throws -> DNSMessage {
        let answer = try await overUDP(query, to: nameserver, timeout: timeout)
        guard answer.isTruncated else { return answer }
        // A truncated answer may hold a partial RRset (RFC 2181 §9): never use it.
        logger.debug(
            "DNS answer truncated, asking again over TCP",
            metadata: ["nameserver": "\(nameserver)", "question": "\(query.questions.first.map { "\($0.name) \($0.type)" } ?? "")"])
        return try await overTCP(query, to: nameserver, timeout: timeout)
    }

    /// One datagram out, the matching datagram back.
    ///
    /// A fresh socket per query bound to port 0 gets a port the kernel picks
    /// at random, which with the random ID makes a forged answer a guess of
    /// about 32 bits rather than 16.
    ///
    /// - SeeAlso: RFC 5452 §9.2 (source port randomization)
    func overUDP(_ query: DNSMessage, to nameserver: SocketAddress, timeout: TimeAmount) async throws -> DNSMessage {
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: DNSMessage.self)
        let expected = ExpectedResponse(query: query, nameserver: nameserver)
        let logger = self.logger
        let bound = DatagramBootstrap(group: eventLoop)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.receiveBufferSize))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        UDPResponseHandler(expected: expected, promise: promise, logger: logger))
                }
            }
            .bind(host: nameserver.protocol == .inet6 ? "::" : "0.0.0.0", port: 0)
        bound.whenComplete { result in
            switch result {
            case .success(let channel):
                let datagram = AddressedEnvelope(
                    remoteAddress: nameserver, data: channel.allocator.buffer(bytes: query.encoded()))
                channel.writeAndFlush(datagram).whenFailure { promise.fail($0) }
            case .failure(let error):
                promise.fail(error)
            }
        }
        defer { bound.whenSuccess { $0.close(promise: nil) } }
        return try await Self.wait(for: promise, timeout: timeout)
    }

    /// The query with its length prefix over a new connection, the matching answer back.
    ///
    /// - SeeAlso: RFC 1035 §4.2.2; RFC 7766 §6.2.1 (connection handling)
    func overTCP(_ query: DNSMessage, to nameserver: SocketAddress, timeout: TimeAmount) async throws -> DNSMessage {
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: DNSMessage.self)
        let expected = ExpectedResponse(query: query, nameserver: nameserver)
        let logger = self.logger
        let connected = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(
                        TCPResponseHandler(expected: expected, promise: promise, logger: logger))
                }
            }
            .connect(to: nameserver)
        connected.whenComplete { result in
            switch result {
            case .success(let channel):
                channel.writeAndFlush(channel.allocator.buffer(bytes: query.tcpEncoded())).whenFailure { promise.fail($0) }
            case .failure(let error):
                promise.fail(error)
            }
        }
        defer { connected.whenSuccess { $0.close(promise: nil) } }
        return try await Self.wait(for: promise, timeout: timeout)
    }

    /// The promise's result, or ``DNSTransportError/timedOut`` after `timeout`,
    /// or `CancellationError` as soon as the task is cancelled.
    private static func wait(for promise: EventLoopPromise<DNSMessage>, timeout: TimeAmount) async throws -> DNSMessage {
        let timer = promise.futureResult.eventLoop.scheduleTask(in: timeout) {
            promise.fail(DNSTransportError.timedOut)
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            promise.fail(CancellationError())
        }
    }
}

extension ExpectedResponse {
    init(query: DNSMessage, nameserver: SocketAddress) {
        self.init(id: query.id, question: query.questions[0], nameserver: nameserver)
    }
}
