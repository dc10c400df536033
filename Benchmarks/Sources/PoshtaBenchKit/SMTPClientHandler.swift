import NIOCore
import NIOSSL
import NIOTLS

/// Conducts the SMTP dialogue on one connection for a ``SessionDriver``: greeting, EHLO
/// (with `--starttls`: STARTTLS, the TLS handshake, EHLO again, and with `--auth` AUTH PLAIN),
/// then for each message the driver hands it MAIL, RCPT, DATA (pipelined if offered; RSET
/// first when the connection is reused), the message, and at the end QUIT.
///
/// DATA→250 runs from the moment the last byte of the message (its `CRLF.CRLF`) has been
/// written to the socket until the server's reply to it is decoded. A handshake runs from
/// the moment the TLS handler is added (it writes the ClientHello at once) until it reports
/// the handshake completed.
final class SMTPClientHandler: ChannelInboundHandler {
    typealias InboundIn = SMTPReply
    typealias OutboundOut = ByteBuffer

    private let driver: SessionDriver
    private let run: IntakeRun
    private var context: ChannelHandlerContext?

    /// Replies the server owes, oldest first.
    private var expected: [SMTPStep] = [.greeting]
    /// Commands not yet sent because the server does not pipeline.
    private var queued: [SMTPStep] = []
    private var pipelining = false
    private var sizeOffered = false
    private var transactions = 0
    /// The number of the message in the current transaction (for its Message-ID).
    private var nextMessageNumber = 0
    /// The first thing that went wrong in the current transaction.
    private var problem: String?
    private var dataStartedAt: NIODeadline?
    private var dataWrittenAt: NIODeadline?
    private var quitting = false
    private var lastError: String?
    /// When the server last sent or was sent something, for the stall check.
    private var lastActivity = NIODeadline.now()
    private var tlsPhase = TLSPhase.plain
    private var handshakeStartedAt: NIODeadline?
    private var authenticated = false

    private enum TLSPhase {
        /// No STARTTLS yet (or none wanted).
        case plain
        /// STARTTLS sent, its 220 awaited.
        case requested
        /// The TLS handler is in the pipeline and the handshake under way.
        case handshaking
        case active
    }

    init(driver: SessionDriver) {
        self.driver = driver
        self.run = driver.run
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        driver.attach(self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = Self.unwrapInboundIn(data)
        lastActivity = .now()
        guard !expected.isEmpty else {
            abandon("unexpected reply \(reply.summary)")
            return
        }
        handle(reply, for: expected.removeFirst())
    }

    /// Closes the connection without further ado (the run is over).
    func closeConnection() {
        quitting = true
        context?.close(promise: nil)
    }

    /// Gives up if the server has owed a reply for longer than `timeout`.
    func checkStall(now: NIODeadline, timeout: TimeAmount) {
        guard now - lastActivity > timeout else { return }
        if tlsPhase == .handshaking {
            tlsAbandon("TLS handshake: not done within \(fixed(run.options.replyTimeout, 1)) s")
        } else if let step = expected.first {
            if step == .starttls { return tlsAbandon("timeout: no STARTTLS reply within \(fixed(run.options.replyTimeout, 1)) s") }
            abandon("timeout: no \(step) reply within \(fixed(run.options.replyTimeout, 1)) s")
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if lastError == nil { lastError = "\(error)" }
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event, tlsPhase == .handshaking {
            handshakeCompleted(context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let reason: String?
        if quitting {
            reason = nil
        } else if tlsPhase == .requested || tlsPhase == .handshaking {
            let what = tlsPhase == .requested ? "STARTTLS" : "TLS handshake"
            reason = "\(what): \(lastError ?? "connection closed by the server")"
            driver.tlsFailed()
        } else if let lastError {
            reason = "connection error: \(lastError)"
        } else {
            reason = "connection closed by the server while waiting for the \(expected.first?.description ?? "next") reply"
        }
        driver.connectionClosed(reason: reason)
        context.fireChannelInactive()
    }

    // MARK: Dialogue

    private func handle(_ reply: SMTPReply, for step: SMTPStep) {
        switch step {
        case .greeting:
            guard reply.code == 220 else { return abandon("greeting: \(reply.summary)") }
            send([.ehlo])
        case .ehlo:
            guard reply.code == 250 else { return abandon("EHLO: \(reply.summary)") }
            if run.tls != nil, tlsPhase == .plain {
                guard reply.announces("STARTTLS") else { return tlsAbandon("STARTTLS not offered") }
                tlsPhase = .requested
                send([.starttls])
                return
            }
            pipelining = run.options.pipelining && reply.announces("PIPELINING")
            sizeOffered = reply.announces("SIZE")
            if run.commands.auth != nil, !authenticated {
                send([.auth])
                return
            }
            askForMessage()
        case .starttls:
            guard reply.code == 220 else { return tlsAbandon("STARTTLS: \(reply.summary)") }
            startHandshake()
        case .auth:
            guard reply.code == 235 else { return abandon("AUTH: \(reply.summary)") }
            authenticated = true
            askForMessage()
        case .rset, .mail, .rcpt:
            let fine = step == .rcpt ? (reply.code == 250 || reply.code == 251) : reply.isPositive
            if !fine, problem == nil { problem = "\(step): \(reply.summary)" }
            if problem != nil, !pipelining {
                queued.removeAll()
                endTransaction(with: nil)
            } else {
                sendQueued()
            }
        case .data:
            if reply.code == 354 {
                if problem == nil {
                    writeMessage()
                } else {
                    write(run.commands.lonelyDot, flush: true)
                }
                expected.append(.dataEnd)
            } else {
                if problem == nil { problem = "DATA: \(reply.summary)" }
                endTransaction(with: nil)
            }
        case .dataEnd:
            endTransaction(with: reply)
        case .quit:
            context?.close(promise: nil)
        }
    }

    /// After the `220` to STARTTLS: puts the TLS client handler in front of the reply decoder;
    /// it writes the ClientHello at once. Nothing the server sent after the `220` in
    /// plaintext can reach the dialogue as if it came over TLS: it stays in the decoder and
    /// would be taken as an unexpected reply.
    private func startHandshake() {
        guard let context, let tls = run.tls else { return }
        // The session starts over (RFC 3207): nothing from the first EHLO counts any more.
        pipelining = false
        sizeOffered = false
        do {
            tlsPhase = .handshaking
            handshakeStartedAt = .now()
            lastActivity = handshakeStartedAt ?? lastActivity
            let handler = try NIOSSLClientHandler(context: tls, serverHostname: nil)
            try context.pipeline.syncOperations.addHandler(handler, position: .first)
        } catch {
            tlsAbandon("TLS: \(error)")
        }
    }

    private func handshakeCompleted(context: ChannelHandlerContext) {
        tlsPhase = .active
        let now = NIODeadline.now()
        lastActivity = now
        let nanoseconds = UInt64(max(0, (now - (handshakeStartedAt ?? now)).nanoseconds))
        let version = (try? context.pipeline.syncOperations.nioSSL_tlsVersion()).flatMap { $0 }
        driver.handshakeCompleted(latency: nanoseconds, version: version.map { Self.name(of: $0) } ?? "unknown")
        send([.ehlo])
    }

    static func name(of version: TLSVersion) -> String {
        switch version {
        case .tlsv1: "TLS 1.0"
        case .tlsv11: "TLS 1.1"
        case .tlsv12: "TLS 1.2"
        case .tlsv13: "TLS 1.3"
        }
    }

    /// Ends the transaction: accepted if `reply` is the 250 to a clean message, failed otherwise;
    /// then on to the next message or QUIT.
    private func endTransaction(with reply: SMTPReply?) {
        if let reply, reply.code == 250, problem == nil {
            let end = NIODeadline.now()
            let start = dataWrittenAt ?? dataStartedAt ?? end
            driver.accepted(latency: UInt64(max(0, (end - start).nanoseconds)))
        } else {
            driver.failed(problem ?? "end of data: \(reply?.summary ?? "no reply")")
        }
        problem = nil
        dataStartedAt = nil
        dataWrittenAt = nil
        askForMessage()
    }

    private func askForMessage() {
        driver.nextMessage { [self] index in
            guard context != nil, !quitting else { return }
            guard let index else {
                quitting = true
                send([.quit])
                return
            }
            nextMessageNumber = index
            let steps: [SMTPStep] = transactions == 0 ? [.mail, .rcpt, .data] : [.rset, .mail, .rcpt, .data]
            transactions += 1
            send(steps)
        }
    }

    /// Sends `steps`' commands: all at once when pipelining, else one per reply.
    private func send(_ steps: [SMTPStep]) {
        if steps.contains(.mail) { run.mailSent() }
        if pipelining {
            for step in steps {
                if let command = run.commands.command(for: step, withSize: sizeOffered) {
                    write(command, flush: false)
                }
            }
            expected.append(contentsOf: steps)
            context?.flush()
        } else {
            queued.append(contentsOf: steps)
            sendQueued()
        }
    }

    private func sendQueued() {
        guard expected.isEmpty, !queued.isEmpty else { return }
        let step = queued.removeFirst()
        if let command = run.commands.command(for: step, withSize: sizeOffered) {
            write(command, flush: true)
        }
        expected.append(step)
    }

    private func writeMessage() {
        guard let context else { return }
        var idLine = context.channel.allocator.buffer(capacity: 64)
        run.template.writeIDLine(nextMessageNumber, into: &idLine)
        context.write(Self.wrapOutboundOut(idLine), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenSuccess { [self] in
            dataWrittenAt = .now()
        }
        dataStartedAt = .now()
        lastActivity = dataStartedAt ?? lastActivity
        dataWrittenAt = nil
        context.writeAndFlush(Self.wrapOutboundOut(run.template.tail), promise: written)
    }

    private func write(_ buffer: ByteBuffer, flush: Bool) {
        guard let context else { return }
        lastActivity = .now()
        if flush {
            context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
        } else {
            context.write(Self.wrapOutboundOut(buffer), promise: nil)
        }
    }

    /// Gives up on the connection because STARTTLS or the handshake failed: counted as a TLS
    /// failure, and the message under way (if any) fails with `reason`.
    private func tlsAbandon(_ reason: String) {
        driver.tlsFailed()
        abandon(reason)
    }

    /// Gives up on the connection: the message under way (if any) fails with `reason`.
    private func abandon(_ reason: String) {
        driver.failed(reason)
        quitting = true
        context?.close(promise: nil)
    }
}

@available(*, unavailable)
extension SMTPClientHandler: Sendable {}
