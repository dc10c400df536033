import NIOCore
import NIOPosix
import Synchronization

/// A tiny SMTP server for the tests: accepts everything, keeps each message it receives
/// (dot-unstuffed), and can be told not to offer PIPELINING or to refuse some messages.
final class FakeSMTPServer: Sendable {
    struct Behaviour: Sendable {
        var pipelining = true
        /// Every `rejectEvery`-th message (counting from 1) gets `451` at end of data; 0 never.
        var rejectEvery = 0
    }

    let behaviour: Behaviour
    let group: MultiThreadedEventLoopGroup
    let channel: any Channel
    private let received = Mutex<[String]>([])
    private let commands = Mutex<[String]>([])
    private let counter = Atomic<Int>(0)

    var port: Int { channel.localAddress?.port ?? 0 }
    var messages: [String] { received.withLock { $0 } }
    var commandLog: [String] { commands.withLock { $0 } }

    init(_ behaviour: Behaviour = Behaviour()) throws {
        self.behaviour = behaviour
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        let box = ServerBox()
        channel = try ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    guard let server = box.server else { throw ChannelError.ioOnClosedChannel }
                    try child.pipeline.syncOperations.addHandler(FakeSessionHandler(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .wait()
        box.server = self
    }

    func shutdown() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    fileprivate func log(_ command: String) {
        commands.withLock { $0.append(command) }
    }

    /// Stores a message; returns whether to accept it.
    fileprivate func store(_ message: String) -> Bool {
        let number = counter.wrappingAdd(1, ordering: .relaxed).newValue
        if behaviour.rejectEvery > 0, number % behaviour.rejectEvery == 0 { return false }
        received.withLock { $0.append(message) }
        return true
    }
}

/// Lets the child initializer reach the server once it exists.
private final class ServerBox: @unchecked Sendable {
    // Written once before any connection can be accepted.
    var server: FakeSMTPServer?
}

/// One connection of the fake server.
private final class FakeSessionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let server: FakeSMTPServer
    private var pending = ByteBuffer()
    private var inData = false
    private var message = ""

    init(server: FakeSMTPServer) { self.server = server }

    func channelActive(context: ChannelHandlerContext) {
        reply(context, "220 fake ESMTP\r\n")
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        pending.writeBuffer(&bytes)
        while let crlf = pending.readableBytesView.firstRange(of: Array("\r\n".utf8)) {
            let length = pending.readableBytesView.distance(from: pending.readableBytesView.startIndex, to: crlf.lowerBound)
            let line = pending.readString(length: length) ?? ""
            pending.moveReaderIndex(forwardBy: 2)
            handle(line, context)
        }
    }

    private func handle(_ line: String, _ context: ChannelHandlerContext) {
        if inData {
            if line == "." {
                inData = false
                reply(context, server.store(message) ? "250 2.0.0 Ok: queued\r\n" : "451 4.3.0 try again later\r\n")
                message = ""
            } else {
                message += (line.hasPrefix(".") ? String(line.dropFirst()) : line) + "\r\n"
            }
            return
        }
        let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
        server.log(verb)
        switch verb {
        case "EHLO":
            reply(context, server.behaviour.pipelining
                ? "250-fake\r\n250-PIPELINING\r\n250 SIZE 10000000\r\n" : "250-fake\r\n250 SIZE 10000000\r\n")
        case "MAIL", "RSET": reply(context, "250 2.1.0 Ok\r\n")
        case "RCPT": reply(context, "250 2.1.5 Ok\r\n")
        case "DATA":
            inData = true
            reply(context, "354 go ahead\r\n")
        case "QUIT":
            context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: "221 bye\r\n"))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        default: reply(context, "502 5.5.2 what?\r\n")
        }
    }

    private func reply(_ context: ChannelHandlerContext, _ text: String) {
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
    }
}
