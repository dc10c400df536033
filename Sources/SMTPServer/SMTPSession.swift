import Intake
import Logging
import NIOCore
import SMTPProtocol

/// One client connection: greeting, then commands and messages until QUIT,
/// an error budget, idle time or shutdown ends it.
///
/// The loop reads like RFC 5321: bytes go into the framer, frames into the
/// state machine, and its actions come out as replies (buffered while the
/// client pipelines, flushed when its input is used up — RFC 2920 §3.2),
/// a switch to DATA, a message for Intake, or the end.
struct SMTPSession {
    let connection: NIOAsyncChannel<SessionInput, ByteBuffer>
    let configuration: SMTPServerConfiguration
    let listener: SMTPServerConfiguration.Listener
    let intake: Intake
    let logger: Logger

    func run(registry: ConnectionRegistry) async {
        let channel = connection.channel
        let peer = channel.remoteAddress
        let peerText = peer.map(Self.describe) ?? "unknown"
        let machineConfiguration = SMTPServerStateMachine.Configuration(
            hostname: configuration.hostname, maxMessageSize: configuration.maxMessageSize,
            maxRecipients: configuration.maxRecipients, maxErrors: configuration.maxErrors)
        let mayRelay =
            listener.mode == .relay && peer.map { address in listener.trustedNetworks.contains { $0.contains(address) } } == true
        var machine = SMTPServerStateMachine(configuration: machineConfiguration, clientMayRelay: mayRelay)
        let admission = registry.admit(channel)
        defer { if admission == .admitted { registry.remove(channel) } }

        do {
            try await connection.executeThenClose { inbound, outbound in
                var replies = ReplyBuffer(allocator: channel.allocator)
                switch admission {
                case .admitted:
                    logger.debug("connect from \(peerText)")
                case .overLimit:
                    logger.warning("\(peerText): refused: \(configuration.maxConnections) connections are open (max_connections)")
                    replies.append(machine.tooManyConnectionsReply)
                    try await replies.flush(to: outbound)
                    return
                case .shuttingDown:
                    replies.append(machine.shutdownReply)
                    try await replies.flush(to: outbound)
                    return
                }
                replies.append(machine.greeting)
                try await replies.flush(to: outbound)

                var framer = SMTPServerFramer()
                var stopRequested = false
                for try await input in inbound {
                    switch input {
                    case .bytes(let bytes):
                        framer.append(bytes)
                    case .idleTimeout:
                        logger.info("\(peerText): timeout after \(configuration.idleTimeout) s without input")
                        replies.append(machine.idleTimeoutReply)
                        try await replies.flush(to: outbound)
                        return
                    case .shutdown:
                        stopRequested = true
                    }
                    while let frame = framer.next() {
                        var action = machine.receive(frame)
                        if case .spool(let transaction, let content) = action {
                            let reply = await spool(transaction, content, machine: machine, peer: peer)
                            action = machine.spoolFinished(reply)
                        }
                        switch action {
                        case .reply(let reply):
                            note(reply, peer: peerText, machine: machine)
                            replies.append(reply)
                        case .replyAndReadMessage(let reply):
                            replies.append(reply)
                            try await replies.flush(to: outbound)
                            framer.beginData(maxMessageSize: configuration.maxMessageSize)
                        case .replyAndClose(let closing):
                            for reply in closing {
                                note(reply, peer: peerText, machine: machine)
                                replies.append(reply)
                            }
                            try await replies.flush(to: outbound)
                            return
                        case .replyAndStartTLS(let reply):
                            // No listener offers STARTTLS yet, so the state machine never asks.
                            replies.append(reply)
                        case .spool:
                            break
                        }
                    }
                    if stopRequested && !framer.isReadingMessage {
                        replies.append(machine.shutdownReply)
                        try await replies.flush(to: outbound)
                        return
                    }
                    try await replies.flush(to: outbound)
                }
                if framer.isReadingMessage {
                    logger.info("\(peerText): lost connection in DATA; nothing was queued")
                }
            }
        } catch {
            logger.debug("\(peerText): connection ended: \(error)")
        }
        logger.debug("disconnect from \(peerText)")
    }

    /// Hands the message to Intake and turns the outcome into the reply.
    private func spool(
        _ transaction: MailTransaction, _ content: [UInt8], machine: SMTPServerStateMachine, peer: SocketAddress?
    ) async -> SMTPReply {
        let client = ClientDescription(
            address: peer?.ipAddress ?? "unknown", port: peer?.port, heloName: machine.heloName,
            extended: machine.isExtended)
        do {
            let id = try await intake.accept(IncomingMessage(transaction: transaction, content: content, client: client))
            return SMTPReply(250, "2.0.0", "Ok: queued as \(id)")
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
        return ip.contains(":") ? "[\(ip)]\(port)" : "[\(ip)]\(port)"
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

    mutating func flush(to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        guard buffer.readableBytes > 0 else { return }
        let out = buffer
        buffer.clear()
        try await outbound.write(out)
    }
}
