import DNS
import NIOCore
import NIOPosix
import Synchronization

@testable import Delivery

/// A DNS server written for one test: it answers each query as the script
/// says, over UDP and TCP on the same port of 127.0.0.1 (or ::1), and counts
/// what it was asked. For what dnsmasq will not do on demand: SERVFAIL,
/// silence, truncation, wrong IDs, answers from another port.
final class ScriptedDNSServer: Sendable {
    enum Transport: Sendable, Hashable { case udp, tcp }

    /// What to send back for one query; several replies are sent in order.
    enum Reply: Sendable {
        case message(DNSMessage)
        /// The message, but sent from another socket (another source port).
        case fromOtherPort(DNSMessage)
    }

    typealias Script = @Sendable (_ query: DNSMessage, _ transport: Transport) -> [Reply]

    let host: String
    let port: Int
    private let udp: any Channel
    private let tcp: any Channel
    private let other: any Channel
    private let received: QueryLog

    /// `"127.0.0.1:<port>"` or `"[::1]:<port>"`.
    var nameserver: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    init(host: String = "127.0.0.1", script: @escaping Script) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let log = QueryLog()
        received = log
        let other = try await DatagramBootstrap(group: group).bind(host: host, port: 0).get()
        let record: @Sendable (Transport, DNSMessage) -> Void = { transport, query in
            if let question = query.questions.first { log.append(transport, question) }
        }
        // The TCP port must be the UDP one: the resolver retries on the same address.
        for _ in 0..<10 {
            let udp = try await DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            UDPScriptHandler(script: script, other: other, record: record))
                    }
                }
                .bind(host: host, port: 0).get()
            let port = udp.localAddress?.port ?? 0
            let tcpBootstrap = ServerBootstrap(group: group).childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(TCPScriptHandler(script: script, record: record))
                }
            }
            guard let tcp = try? await tcpBootstrap.bind(host: host, port: port).get() else {
                try? await udp.close()
                continue
            }
            self.host = host
            self.port = port
            self.udp = udp
            self.tcp = tcp
            self.other = other
            return
        }
        try? await other.close()
        throw ChannelError.inappropriateOperationForState
    }

    /// How many queries came over `transport`.
    func count(_ transport: Transport) -> Int {
        received.all.filter { $0.0 == transport }.count
    }

    /// The count once it reaches `expected`, waiting up to two seconds: a
    /// datagram the resolver sent just before it gave up may still be on
    /// its way through this server's event loop on a loaded machine.
    func count(_ transport: Transport, reaching expected: Int) async -> Int {
        let deadline = ContinuousClock.now + .seconds(2)
        while count(transport) < expected, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return count(transport)
    }

    /// The questions asked, in order of arrival.
    var questions: [DNSQuestion] { received.all.map(\.1) }

    func close() async {
        try? await udp.close()
        try? await tcp.close()
        try? await other.close()
    }

    /// A NOERROR response to `query` with these answers.
    static func response(
        to query: DNSMessage, answers: [DNSRecord] = [], code: DNSResponseCode = .noError, truncated: Bool = false
    ) -> DNSMessage {
        DNSMessage(
            id: query.id, isResponse: true, isTruncated: truncated, recursionDesired: query.recursionDesired,
            recursionAvailable: true, responseCode: code, questions: query.questions, answers: answers)
    }
}

/// The queries a scripted server received, shared with its handlers.
private final class QueryLog: Sendable {
    private let entries = Mutex<[(ScriptedDNSServer.Transport, DNSQuestion)]>([])

    var all: [(ScriptedDNSServer.Transport, DNSQuestion)] { entries.withLock { $0 } }

    func append(_ transport: ScriptedDNSServer.Transport, _ question: DNSQuestion) {
        entries.withLock { $0.append((transport, question)) }
    }
}

private final class UDPScriptHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let script: ScriptedDNSServer.Script
    private let other: any Channel
    private let record: @Sendable (ScriptedDNSServer.Transport, DNSMessage) -> Void

    init(
        script: @escaping ScriptedDNSServer.Script, other: any Channel,
        record: @escaping @Sendable (ScriptedDNSServer.Transport, DNSMessage) -> Void
    ) {
        self.script = script
        self.other = other
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let query = try? DNSMessage(decoding: Array(envelope.data.readableBytesView)) else { return }
        record(.udp, query)
        for reply in script(query, .udp) {
            switch reply {
            case .message(let message):
                let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: message.encoded()))
                context.writeAndFlush(Self.wrapOutboundOut(out), promise: nil)
            case .fromOtherPort(let message):
                let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: message.encoded()))
                other.writeAndFlush(out, promise: nil)
            }
        }
    }
}

private final class TCPScriptHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let script: ScriptedDNSServer.Script
    private let record: @Sendable (ScriptedDNSServer.Transport, DNSMessage) -> Void

    init(
        script: @escaping ScriptedDNSServer.Script,
        record: @escaping @Sendable (ScriptedDNSServer.Transport, DNSMessage) -> Void
    ) {
        self.script = script
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let query = try? DNSMessage(decoding: Array(Self.unwrapInboundIn(data).readableBytesView)) else { return }
        record(.tcp, query)
        for case .message(let message) in script(query, .tcp) {
            context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(bytes: message.tcpEncoded())), promise: nil)
        }
    }
}
