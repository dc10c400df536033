import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

@testable import PoshtaBenchKit

/// A tiny SMTP server for the tests: accepts everything, keeps each message it receives
/// (dot-unstuffed), and can be told not to offer PIPELINING or to refuse some messages.
/// With `starttls` it offers STARTTLS (a fixed self-signed certificate), and with
/// `credentials` AUTH PLAIN over TLS.
final class FakeSMTPServer: Sendable {
    struct Behaviour: Sendable {
        var pipelining = true
        /// Every `rejectEvery`-th message (counting from 1) gets `451` at end of data; 0 never.
        var rejectEvery = 0
        /// Offer STARTTLS; MAIL is then refused (`530`) until TLS is active.
        var starttls = false
        /// Answer STARTTLS with `220`, then close the connection instead of a handshake.
        var closeAfterSTARTTLS = false
        /// AUTH PLAIN with this user and password offered over TLS and required before MAIL.
        var credentials: (user: String, password: String)?
    }

    let behaviour: Behaviour
    let group: MultiThreadedEventLoopGroup
    let channel: any Channel
    private let received = Mutex<[String]>([])
    private let commands = Mutex<[String]>([])
    private let counter = Atomic<Int>(0)
    private let handshakeCounter = Atomic<Int>(0)
    fileprivate let tls: NIOSSLContext?

    var port: Int { channel.localAddress?.port ?? 0 }
    var messages: [String] { received.withLock { $0 } }
    var commandLog: [String] { commands.withLock { $0 } }
    /// TLS handshakes completed on the server's side.
    var handshakes: Int { handshakeCounter.load(ordering: .relaxed) }

    init(_ behaviour: Behaviour = Behaviour()) throws {
        self.behaviour = behaviour
        if behaviour.starttls {
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(Self.certificatePEM.utf8)).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(Self.keyPEM.utf8), format: .pem))
            )
            tls = try NIOSSLContext(configuration: configuration)
        } else {
            tls = nil
        }
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

    fileprivate func handshakeCompleted() {
        handshakeCounter.wrappingAdd(1, ordering: .relaxed)
    }

    /// A self-signed ECDSA P-256 certificate for fake.poshta.test, valid until 2126, and its
    /// key: for these tests only (the client checks no certificate).
    static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBjTCCATOgAwIBAgIUNPZ3q8vhPBT4AE8qx/cG1lR0eb4wCgYIKoZIzj0EAwIw
        GzEZMBcGA1UEAwwQZmFrZS5wb3NodGEudGVzdDAgFw0yNjExMjMwODI1MTFaGA8y
        MTI2MTAzMDA4MjUxMVowGzEZMBcGA1UEAwwQZmFrZS5wb3NodGEudGVzdDBZMBMG
        ByqGSM49AgEGCCqGSM49AwEHA0IABDLY/VqyBIVtc1VmlplOkWqaHchZXL+R8Y7V
        +UQgLyGf/t2kUUlYat+cSKFXQuMl79WFOtAOO2BRjynKWjrUq8OjUzBRMB0GA1Ud
        DgQWBBSTzZIdIBMxb1IOAO/yZ9QDyRryrTAfBgNVHSMEGDAWgBSTzZIdIBMxb1IO
        AO/yZ9QDyRryrTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIG8/
        UEeQQ+6AFvlqdTwo9bceVVMmXfex5JgjrN98MofwAiEAuNDsTKlTURHKQIL0hdTq
        HEYwU1/hZKLr0DYGIvNKi3Y=
        -----END CERTIFICATE-----
        """
    static let keyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgpToi5vk5jgPQUt6y
        YGCWcQpbvQlmRB8E0uuJk2yoiLKhRANCAAQy2P1asgSFbXNVZpaZTpFqmh3IWVy/
        kfGO1flEIC8hn/7dpFFJWGrfnEihV0LjJe/VhTrQDjtgUY8pylo61KvD
        -----END PRIVATE KEY-----
        """

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
    private var tlsActive = false
    private var authenticated = false
    /// STARTTLS was answered: whatever else the client sent in clear is dropped.
    private var upgrading = false

    init(server: FakeSMTPServer) { self.server = server }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            tlsActive = true
            server.handshakeCompleted()
        }
        context.fireUserInboundEventTriggered(event)
    }

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
            if upgrading {
                upgrading = false
                pending.clear()
                break
            }
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
        let words = line.split(separator: " ")
        let verb = words.first.map { $0.uppercased() } ?? ""
        server.log(tlsActive ? verb + "/TLS" : verb)
        let behaviour = server.behaviour
        switch verb {
        case "EHLO":
            var lines = ["fake"]
            if behaviour.pipelining { lines.append("PIPELINING") }
            if server.tls != nil, !tlsActive { lines.append("STARTTLS") }
            if behaviour.credentials != nil, tlsActive { lines.append("AUTH PLAIN") }
            lines.append("SIZE 10000000")
            reply(context, lines.enumerated().map { "250\($0.offset == lines.count - 1 ? " " : "-")\($0.element)\r\n" }.joined())
        case "STARTTLS":
            guard let tls = server.tls, !tlsActive else { return reply(context, "502 5.5.1 no\r\n") }
            reply(context, "220 2.0.0 go ahead\r\n")
            upgrading = true
            if behaviour.closeAfterSTARTTLS {
                context.close(promise: nil)
                return
            }
            // The 220 has gone through the pipeline already: it leaves in clear.
            try? context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
        case "AUTH":
            guard let credentials = behaviour.credentials, tlsActive, words.count == 3, words[1].uppercased() == "PLAIN" else {
                return reply(context, "504 5.5.4 no\r\n")
            }
            let expected = base64(Array([0] + Array(credentials.user.utf8) + [0] + Array(credentials.password.utf8)))
            authenticated = String(words[2]) == expected
            reply(context, authenticated ? "235 2.7.0 Authentication successful\r\n" : "535 5.7.8 Authentication credentials invalid\r\n")
        case "MAIL":
            if server.tls != nil, !tlsActive { return reply(context, "530 5.7.0 Must issue a STARTTLS command first\r\n") }
            if behaviour.credentials != nil, !authenticated { return reply(context, "530 5.7.0 Authentication required\r\n") }
            reply(context, "250 2.1.0 Ok\r\n")
        case "RSET": reply(context, "250 2.1.0 Ok\r\n")
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
