import NIOCore
import NIOSSL
import NIOTLS
import SMTPProtocol
import Synchronization

/// Collects what the server sends to a test client; replies are parsed from
/// it on demand. Polling keeps it simple and bounded.
final class Inbox: Sendable {
    private struct State {
        var parser = SMTPReplyParser()
        var closed = false
        var tlsVersion: String?
    }

    private let state = Mutex(State())

    func receive(_ bytes: ByteBuffer) {
        state.withLock { $0.parser.append(bytes.readableBytesView) }
    }

    func markClosed() {
        state.withLock { $0.closed = true }
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    func markTLS(_ version: String) {
        state.withLock { $0.tlsVersion = version }
    }

    /// Waits for the TLS handshake; returns the version (`TLSv1.3`).
    func waitForTLS(timeout: Duration) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (version, closed) = state.withLock { ($0.tlsVersion, $0.closed) }
            if let version { return version }
            if closed { throw TestSMTPClient.Failure(description: "the connection closed during the TLS handshake") }
            guard ContinuousClock.now < deadline else {
                throw TestSMTPClient.Failure(description: "no TLS handshake within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    func next(timeout: Duration) async throws -> SMTPReply {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (reply, closed) = try state.withLock { state throws -> (SMTPReply?, Bool) in
                (try state.parser.next(), state.closed)
            }
            if let reply { return reply }
            if closed { throw TestSMTPClient.Failure(description: "the server closed the connection") }
            guard ContinuousClock.now < deadline else {
                throw TestSMTPClient.Failure(description: "no reply within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    func waitForClose(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !isClosed {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}

/// Feeds a test client's inbox from its channel.
final class InboxHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let inbox: Inbox

    init(inbox: Inbox) {
        self.inbox = inbox
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inbox.receive(unwrapInboundIn(data))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            let version = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).tlsVersion
            inbox.markTLS(version.map { "\($0)" } ?? "TLS")
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbox.markClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        inbox.markClosed()
        context.close(promise: nil)
    }
}
