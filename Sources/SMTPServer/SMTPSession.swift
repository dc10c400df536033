import Intake
import Logging
import Accounts
import NIOCore
import NIOSSL
import SMTPProtocol

/// One client connection: greeting, then commands and messages until QUIT,
/// an error budget, idle time or shutdown ends it.
///
/// The loop reads like RFC 5321: bytes go into the framer, frames into the
/// state machine, and its actions come out as replies (buffered while the
/// client pipelines, flushed when its input is used up — RFC 2920 §3.2),
/// a switch to DATA, a message for Intake, TLS, an AUTH check, or the end.
struct SMTPSession {
    let connection: NIOAsyncChannel<SessionInput, ByteBuffer>
    let configuration: SMTPServerConfiguration
    let listener: SMTPServerConfiguration.Listener
    let intake: Intake
    let tls: TLSCertificateStore?
    let authentication: Authentication?
    let logger: Logger

    /// What the loop tracks besides the state machine.
    struct Progress {
        var framer = SMTPServerFramer()
        /// STARTTLS answered: everything read until the handshake is plaintext to drop.
        var awaitingTLS = false
        /// `TLSv1.3` once TLS is up.
        var tlsVersion: String?
        var stopRequested = false
    }

    func run(registry: ConnectionRegistry) async {
        let channel = connection.channel
        let peer = channel.remoteAddress
        let peerText = peer.map(Self.describe) ?? "unknown"
        var machine = makeStateMachine(peer: peer)
        let admission = registry.admit(channel)
        defer { if admission == .admitted { registry.remove(channel) } }

        do {
            try await connection.executeThenClose { inbound, outbound in
                var replies = ReplyBuffer(allocator: channel.allocator)
                if let refusal = refusal(admission, peer: peer, peerText: peerText, machine: machine) {
                    if listener.tls == .implicit {
                        // Closing mid-handshake would swallow the 421: let the
                        // handshake finish first (bounded), then answer in TLS.
                        let deadline = channel.eventLoop.scheduleTask(in: .seconds(10)) { channel.close(promise: nil) }
                        defer { deadline.cancel() }
                        for try await input in inbound {
                            if case .tlsEstablished = input { break }
                        }
                    }
                    // Wait until it is written, not merely queued, before closing.
                    try await channel.writeAndFlush(ByteBuffer(bytes: refusal.encoded))
                    return
                }
                logger.debug("connect from \(peerText)")
                ServerMetrics.connectionOpened()
                defer { ServerMetrics.connectionClosed() }
                replies.append(machine.greeting)
                try await replies.flush(to: outbound)

                var progress = Progress()
                for try await input in inbound {
                    switch input {
                    case .bytes(let bytes):
                        // After STARTTLS, what came in clear before the handshake is
                        // never read (CVE-2011-0411): the framer dropped its buffer
                        // and these bytes go the same way.
                        if progress.awaitingTLS { continue }
                        progress.framer.append(bytes)
                    case .tlsEstablished(let version):
                        progress.tlsVersion = version
                        if progress.awaitingTLS {
                            progress.awaitingTLS = false
                            machine.tlsStarted()
                        }
                        logger.debug("\(peerText): \(version) established")
                    case .idleTimeout:
                        logger.info("\(peerText): timeout after \(configuration.idleTimeout) s without input")
                        replies.append(machine.idleTimeoutReply)
                        try await replies.flush(to: outbound)
                        return
                    case .shutdown:
                        progress.stopRequested = true
                    }
                    while !progress.awaitingTLS {
                        progress.framer.longLineAllowed = machine.isAwaitingSASLResponse
                        guard let frame = progress.framer.next() else { break }
                        let action = await resolve(machine.receive(frame), &machine, progress: progress, peer: peer)
                        switch action {
                        case .reply(let reply):
                            note(reply, peer: peerText, machine: machine)
                            replies.append(reply)
                        case .replyAndReadMessage(let reply):
                            replies.append(reply)
                            try await replies.flush(to: outbound)
                            progress.framer.beginData(maxMessageSize: configuration.maxMessageSize)
                        case .replyAndClose(let closing):
                            for reply in closing {
                                note(reply, peer: peerText, machine: machine)
                                replies.append(reply)
                            }
                            try await replies.flush(to: outbound)
                            return
                        case .replyAndStartTLS(let reply):
                            replies.append(reply)
                            try await startTLS(after: &replies, channel: channel)
                            progress.framer.discardBuffered()
                            progress.awaitingTLS = true
                        case .spool, .authenticate:
                            break  // resolved above
                        }
                    }
                    if progress.stopRequested && !progress.framer.isReadingMessage {
                        replies.append(machine.shutdownReply)
                        try await replies.flush(to: outbound)
                        return
                    }
                    try await replies.flush(to: outbound)
                }
                if progress.framer.isReadingMessage {
                    logger.info("\(peerText): lost connection in DATA; nothing was queued")
                }
            }
        } catch let error as NIOSSLError {
            logger.info("\(peerText): TLS failed: \(error)")
        } catch {
            logger.debug("\(peerText): connection ended: \(error)")
        }
        logger.debug("disconnect from \(peerText)")
    }

    private func makeStateMachine(peer: SocketAddress?) -> SMTPServerStateMachine {
        var configuration = SMTPServerStateMachine.Configuration(
            hostname: self.configuration.hostname, maxMessageSize: self.configuration.maxMessageSize,
            maxRecipients: self.configuration.maxRecipients, maxErrors: self.configuration.maxErrors,
            offersStartTLS: listener.tls == .starttls && tls != nil,
            authMechanisms: authentication?.mechanisms ?? [],
            authWithoutTLS: listener.authWithoutTLS,
            requiresAuthentication: listener.mode == .submission)
        configuration.inboundMailboxes = listener.mode == .relay ? self.configuration.inboundMailboxes : []
        let trusted = peer.map { address in listener.trustedNetworks.contains { $0.contains(address) } } == true
        var machine = SMTPServerStateMachine(
            configuration: configuration, clientMayRelay: listener.mode == .relay && trusted,
            isEncrypted: listener.tls == .implicit)
        if let authentication, authentication.restrictSenders {
            let users = authentication.users
            machine.senderAllowed = { sender, user in users.mayUse(sender: sender, user: user) }
        }
        return machine
    }

    /// The reply that ends a connection at once, if it must: over the
    /// connection limit, stopping, or a client in its AUTH cool-down.
    private func refusal(
        _ admission: ConnectionRegistry.Admission, peer: SocketAddress?, peerText: String,
        machine: SMTPServerStateMachine
    ) -> SMTPReply? {
        switch admission {
        case .overLimit:
            logger.warning("\(peerText): refused: \(configuration.maxConnections) connections are open (max_connections)")
            return machine.tooManyConnectionsReply
        case .shuttingDown:
            return machine.shutdownReply
        case .admitted:
            if authentication?.throttle.isBlocked(address: ThrottleKey.key(for: peer)) == true {
                logger.info("\(peerText): refused: in the cool-down after repeated AUTH failures")
                return SMTPReply(
                    421, "4.7.0", "\(configuration.hostname) Too many failed authentications from your address; try again later")
            }
            return nil
        }
    }

    /// Sends the 220 for STARTTLS and puts TLS first in the pipeline in one
    /// event-loop turn, so that nothing the client sends after it is read
    /// in clear.
    private func startTLS(after replies: inout ReplyBuffer, channel: any Channel) async throws {
        guard let context = tls?.context else { return }
        let bytes = replies.take()
        try await channel.eventLoop.submit {
            channel.writeAndFlush(bytes, promise: nil)
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context), position: .first)
        }.get()
    }

    /// Does the work an action asks for (spool a message, check a password)
    /// and returns the action that answers the client.
    private func resolve(
        _ action: SMTPServerAction, _ machine: inout SMTPServerStateMachine, progress: Progress, peer: SocketAddress?
    ) async -> SMTPServerAction {
        switch action {
        case .spool(let transaction, let content):
            let reply = await spool(transaction, content, machine: machine, peer: peer, tlsVersion: progress.tlsVersion)
            return machine.spoolFinished(reply)
        case .authenticate(let mechanism, let user, let password):
            return await authenticate(mechanism: mechanism, user: user, password: password, &machine, peer: peer)
        default:
            return action
        }
    }

    /// Checks credentials; a failure is answered after the throttle's delay,
    /// and the client is disconnected when it has failed too often.
    private func authenticate(
        mechanism: String, user: String, password: String, _ machine: inout SMTPServerStateMachine,
        peer: SocketAddress?
    ) async -> SMTPServerAction {
        let peerText = peer.map(Self.describe) ?? "unknown"
        let address = ThrottleKey.key(for: peer)
        guard let authentication else { return machine.authenticationFinished(user: user, succeeded: false) }
        if await authentication.users.verify(name: user, password: password) {
            authentication.throttle.recordSuccess(address: address)
            logger.info("\(peerText): sasl_method=\(mechanism), sasl_username=\(user)")
            return machine.authenticationFinished(user: user, succeeded: true)
        }
        logger.warning("\(peerText): SASL \(mechanism) authentication failed for user \(user)")
        ServerMetrics.authenticationFailed()
        switch authentication.throttle.recordFailure(address: address) {
        case .retry(let delay):
            try? await Task.sleep(for: delay)
            return machine.authenticationFinished(user: user, succeeded: false)
        case .disconnect:
            logger.warning("\(peerText): too many AUTH failures; disconnected and refused for a cool-down")
            return .replyAndClose([
                SMTPReply(535, "5.7.8", "Authentication credentials invalid"),
                SMTPReply(421, "4.7.0", "\(configuration.hostname) Too many failed authentications; closing connection"),
            ])
        }
    }

    /// Hands the message to Intake and turns the outcome into the reply.
    private func spool(
        _ transaction: MailTransaction, _ content: [UInt8], machine: SMTPServerStateMachine, peer: SocketAddress?,
        tlsVersion: String?
    ) async -> SMTPReply {
        let client = ClientDescription(
            address: peer?.ipAddress ?? "unknown", port: peer?.port, heloName: machine.heloName,
            extended: machine.isExtended, tls: tlsVersion, authenticatedUser: machine.authenticatedUser)
        do {
            switch try await intake.submit(IncomingMessage(transaction: transaction, content: content, client: client)) {
            case .queued(let id):
                return SMTPReply(250, "2.0.0", "Ok: queued as \(id)")
            case .suppressed(let reason):
                return SMTPReply(250, "2.0.0", "Ok: not sent: \(reason)")
            case .handled(let text):
                return SMTPReply(250, "2.0.0", "Ok: \(text)")
            }
        } catch {
            return error.reply
        }
    }

    /// Logs refusals the Postfix way: `NOQUEUE: reject: …`.
    private func note(_ reply: SMTPReply, peer: String, machine: SMTPServerStateMachine) {
        guard !reply.isPositive else { return }
        logger.info("NOQUEUE: reject: \(peer): \(reply); helo=<\(machine.heloName ?? "")>")
    }

    static func describe(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress else { return "\(address)" }
        let port = address.port.map { ":\($0)" } ?? ""
        return "[\(ip)]\(port)"
    }
}

/// Replies waiting to be written; pipelined replies go out in one write.
struct ReplyBuffer {
    private var buffer: ByteBuffer

    init(allocator: ByteBufferAllocator) {
        buffer = allocator.buffer(capacity: 512)
    }

    mutating func append(_ reply: SMTPReply) {
        buffer.writeBytes(reply.encoded)
    }

    /// The buffered bytes, leaving the buffer empty.
    mutating func take() -> ByteBuffer {
        let out = buffer
        buffer.clear()
        return out
    }

    mutating func flush(to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        guard buffer.readableBytes > 0 else { return }
        try await outbound.write(take())
    }
}
