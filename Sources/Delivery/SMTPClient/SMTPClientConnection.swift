import Foundation
public import Logging
public import NIOCore
import NIOPosix
import NIOSSL
public import SMTPProtocol
import Synchronization

/// One SMTP client connection to one server: greeting, EHLO (HELO as a
/// fallback), STARTTLS, AUTH, then any number of transactions, then QUIT.
///
/// Used by one delivery at a time (the connection cache hands it over);
/// the small mutable state sits behind a mutex only so the type is Sendable.
///
/// - SeeAlso: RFC 5321 §3, §4.5.3.2; RFC 3207; RFC 4954; RFC 2920
public final class SMTPClientConnection: Sendable {
    public let hop: NextHop
    /// `host[ip]:port` as connected.
    public let remote: String
    /// The address actually connected to.
    public let remoteAddress: String
    /// When the connection was made (seconds since 1970), for the cache's age limit.
    public let openedAt: Double
    private let channel: any Channel
    private let reader: NIOLoopBound<ReplyReader>
    let timeouts: SMTPClientTimeouts
    private let state: Mutex<State>

    struct State {
        var extensions: ServerExtensions = .none
        var tlsVersion: String?
        /// A failed transaction leaves the server mid-way; RSET first.
        var needsReset = false
        var transactions = 0
        var broken = false
    }

    /// The negotiated TLS version ("TLSv1.3"), nil in plain text.
    public var tlsVersion: String? { state.withLock { $0.tlsVersion } }
    /// What the server offered after the last EHLO.
    public var extensions: ServerExtensions { state.withLock { $0.extensions } }
    /// Transactions finished on this connection.
    public var transactions: Int { state.withLock { $0.transactions } }
    /// False once the connection failed or was closed; never reuse it then.
    public var isUsable: Bool { channel.isActive && !state.withLock { $0.broken } }

    private init(hop: NextHop, channel: any Channel, reader: NIOLoopBound<ReplyReader>, timeouts: SMTPClientTimeouts) {
        self.hop = hop
        self.channel = channel
        self.reader = reader
        self.timeouts = timeouts
        let address = channel.remoteAddress?.ipAddress ?? hop.address ?? "?"
        self.remoteAddress = address
        self.remote = hop.described(address: address)
        self.openedAt = Date.now.timeIntervalSince1970
        self.state = Mutex(State())
    }

    /// Connects, reads the greeting, says EHLO, starts TLS and authenticates
    /// as `hop` asks. Throws when the server cannot be used.
    public static func open(
        to hop: NextHop, heloName: String, tls: SMTPClientTLS, timeouts: SMTPClientTimeouts,
        group: any EventLoopGroup, logger: Logger
    ) async throws(SMTPClientError) -> SMTPClientConnection {
        let channel: any Channel
        do {
            let bootstrap = ClientBootstrap(group: group)
                .connectTimeout(.init(timeouts.connect))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if hop.tls == .implicit {
                            try channel.pipeline.syncOperations.addHandler(try tls.handler(for: hop))
                        }
                        try channel.pipeline.syncOperations.addHandler(ReplyReader())
                    }
                }
            if let address = hop.address {
                channel = try await bootstrap.connect(to: try SocketAddress(ipAddress: address, port: hop.port)).get()
            } else {
                channel = try await bootstrap.connect(host: hop.host, port: hop.port).get()
            }
        } catch {
            throw SMTPClientError(
                kind: .connect, message: "connect to \(hop): \(ConnectFailure.describe(error))",
                status: EnhancedStatusCode(4, 4, 1))
        }
        DeliveryMetrics.connectionOpened()
        channel.closeFuture.whenComplete { _ in DeliveryMetrics.connectionClosed() }
        let reader: NIOLoopBound<ReplyReader>
        do {
            reader = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ReplyReader.self), eventLoop: channel.eventLoop)
            }.get()
        } catch {
            channel.close(promise: nil)
            throw SMTPClientError(kind: .lostConnection, message: "lost connection with \(hop)", status: .init(4, 4, 2))
        }
        let connection = SMTPClientConnection(hop: hop, channel: channel, reader: reader, timeouts: timeouts)
        do {
            try await connection.start(heloName: heloName, tls: tls, logger: logger)
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    private func start(heloName: String, tls: SMTPClientTLS, logger: Logger) async throws(SMTPClientError) {
        let greeting = try await exchange(nil, [timeouts.greeting], step: "receiving the initial server greeting")[0]
        guard greeting.code == 220 else {
            throw refused(greeting, "initial greeting")
        }
        if hop.tls == .implicit { try await noteTLS(logger: logger) }
        try await hello(heloName)
        let extensions = self.extensions
        switch hop.tls {
        case .none, .implicit:
            break
        case .opportunistic where !extensions.startTLS:
            break
        case .opportunistic, .required:
            guard extensions.startTLS else {
                throw SMTPClientError(
                    kind: .tls, message: "TLS is required, but was not offered by host \(remote)",
                    status: EnhancedStatusCode(4, 7, 4))
            }
            let reply = try await exchange(Self.line("STARTTLS"), [timeouts.command], step: "sending STARTTLS")[0]
            guard reply.code == 220 else {
                if hop.tls == .opportunistic, reply.code >= 400 {
                    // Offered but refused: carry on in plain text, as RFC 3207 §4.1 allows.
                    break
                }
                throw refused(reply, "STARTTLS")
            }
            do {
                let hop = self.hop
                try await channel.eventLoop.submit {
                    try self.channel.pipeline.syncOperations.addHandler(try tls.handler(for: hop), position: .first)
                }.get()
            } catch {
                throw SMTPClientError(
                    kind: .tls, message: "cannot start TLS with \(remote): \(error)", status: .init(4, 7, 5))
            }
            // RFC 3207 §4.2: forget what the server said before TLS; ask again.
            try await hello(heloName)
            try await noteTLS(logger: logger)
        }
        if let credentials = hop.credentials {
            try await authenticate(credentials)
        }
    }

    /// EHLO, and HELO when the server does not know EHLO (RFC 5321 §3.2).
    private func hello(_ heloName: String) async throws(SMTPClientError) {
        let ehlo = try await exchange(Self.line("EHLO \(heloName)"), [timeouts.command], step: "sending EHLO")[0]
        if ehlo.code == 250 {
            state.withLock { $0.extensions = ServerExtensions(ehloReply: ehlo) }
            return
        }
        guard ehlo.isPermanentFailure else { throw refused(ehlo, "EHLO") }
        let helo = try await exchange(Self.line("HELO \(heloName)"), [timeouts.command], step: "sending HELO")[0]
        guard helo.code == 250 else { throw refused(helo, "HELO") }
        state.withLock { $0.extensions = .none }
    }

    private func noteTLS(logger: Logger) async throws(SMTPClientError) {
        let version: TLSVersion?
        do {
            version = try await channel.nioSSL_tlsVersion().get()
        } catch {
            throw SMTPClientError(
                kind: .tls, message: "TLS handshake with \(remote) failed: \(TLSFailure.describe(error))",
                status: .init(4, 7, 5))
        }
        let name = version.map(TLSFailure.name) ?? "TLS"
        state.withLock { $0.tlsVersion = name }
        logger.info(
            "\(hop.verifiesCertificate ? "Verified" : "Anonymous") TLS connection established to \(remote): \(name)")
    }

    /// AUTH PLAIN with an initial response, or AUTH LOGIN; never without TLS.
    private func authenticate(_ credentials: NextHop.Credentials) async throws(SMTPClientError) {
        guard tlsVersion != nil else {
            throw SMTPClientError(
                kind: .tls, message: "refusing to send credentials to \(remote) without TLS", status: .init(4, 7, 4))
        }
        let mechanisms = extensions.authMechanisms
        let reply: SMTPReply
        if mechanisms.contains("PLAIN") {
            let response = SASLBase64.encode("\0\(credentials.username)\0\(credentials.password)")
            reply = try await exchange(Self.line("AUTH PLAIN \(response)"), [timeouts.command], step: "sending AUTH")[0]
        } else if mechanisms.contains("LOGIN") {
            let first = try await exchange(Self.line("AUTH LOGIN"), [timeouts.command], step: "sending AUTH")[0]
            guard first.code == 334 else { throw authFailed(first) }
            let second = try await exchange(
                Self.line(SASLBase64.encode(credentials.username)), [timeouts.command], step: "sending AUTH")[0]
            guard second.code == 334 else { throw authFailed(second) }
            reply = try await exchange(
                Self.line(SASLBase64.encode(credentials.password)), [timeouts.command], step: "sending AUTH")[0]
        } else {
            throw SMTPClientError(
                kind: .refused,
                message: "host \(remote) offers no AUTH mechanism Poshta can use (PLAIN, LOGIN); it offers: \(mechanisms.sorted().joined(separator: " "))",
                status: .init(4, 7, 0))
        }
        guard reply.code == 235 else { throw authFailed(reply) }
    }

    private func authFailed(_ reply: SMTPReply) -> SMTPClientError {
        SMTPClientError(
            kind: .refused,
            message: "SASL authentication failed; server \(remote) said: \(reply)",
            reply: reply, status: reply.enhancedCode.map { EnhancedStatusCode(4, $0.subject, $0.detail) } ?? .init(4, 7, 0))
    }

    /// Sends one message to the recipients in one transaction. Returns, per
    /// recipient and in order, the server's verdict. Throws when the
    /// connection failed, in which case no recipient may count as delivered.
    public func send(_ envelope: OutboundEnvelope, message: [UInt8]) async throws(SMTPClientError) -> [TransactionReply] {
        if state.withLock({ $0.needsReset }) {
            let reply = try await exchange(Self.line("RSET"), [timeouts.command], step: "sending RSET")[0]
            guard reply.code == 250 else { throw refused(reply, "RSET") }
            state.withLock { $0.needsReset = false }
        }
        let mail: String
        do {
            mail = try envelope.mailCommand(for: extensions, serverName: remote)
        } catch {
            return envelope.recipients.map { _ in TransactionReply(reply: error.reply, step: .local) }
        }
        state.withLock { $0.needsReset = true }
        let replies = extensions.pipelining
            ? try await sendPipelined(envelope, mail: mail, message: message)
            : try await sendStepByStep(envelope, mail: mail, message: message)
        state.withLock {
            $0.transactions += 1
            $0.needsReset = !replies.allSatisfy { $0.step == .endOfData && $0.reply.isPositive }
        }
        return replies
    }

    /// RFC 2920: MAIL, every RCPT and DATA in one write, replies read in order.
    private func sendPipelined(
        _ envelope: OutboundEnvelope, mail: String, message: [UInt8]
    ) async throws(SMTPClientError) -> [TransactionReply] {
        var buffer = channel.allocator.buffer(capacity: 64 * (envelope.recipients.count + 2))
        buffer.writeString(mail + "\r\n")
        for line in envelope.recipientCommands { buffer.writeString(line + "\r\n") }
        buffer.writeString("DATA\r\n")
        let waits = [timeouts.command] + envelope.recipients.map { _ in timeouts.command } + [timeouts.dataInitiation]
        let replies = try await exchange(buffer, waits, step: "sending MAIL FROM")
        let mailReply = replies[0]
        let rcptReplies = Array(replies[1...envelope.recipients.count])
        let dataReply = replies[replies.count - 1]
        guard mailReply.isPositive else {
            if dataReply.code == 354 { _ = try await finishData(nil) }
            return rcptReplies.map { _ in TransactionReply(reply: mailReply, step: .mailFrom) }
        }
        return try await finishTransaction(rcptReplies: rcptReplies, dataReply: dataReply, message: message)
    }

    private func sendStepByStep(
        _ envelope: OutboundEnvelope, mail: String, message: [UInt8]
    ) async throws(SMTPClientError) -> [TransactionReply] {
        let mailReply = try await exchange(Self.line(mail), [timeouts.command], step: "sending MAIL FROM")[0]
        guard mailReply.isPositive else {
            return envelope.recipients.map { _ in TransactionReply(reply: mailReply, step: .mailFrom) }
        }
        var rcptReplies: [SMTPReply] = []
        for line in envelope.recipientCommands {
            rcptReplies.append(try await exchange(Self.line(line), [timeouts.command], step: "sending RCPT TO")[0])
        }
        guard rcptReplies.contains(where: \.isPositive) else {
            return rcptReplies.map { TransactionReply(reply: $0, step: .rcptTo) }
        }
        let dataReply = try await exchange(Self.line("DATA"), [timeouts.dataInitiation], step: "sending DATA")[0]
        return try await finishTransaction(rcptReplies: rcptReplies, dataReply: dataReply, message: message)
    }

    /// After the replies to RCPT and DATA: the body when the server waits
    /// for it, and the verdict per recipient.
    private func finishTransaction(
        rcptReplies: [SMTPReply], dataReply: SMTPReply, message: [UInt8]
    ) async throws(SMTPClientError) -> [TransactionReply] {
        let anyAccepted = rcptReplies.contains(where: \.isPositive)
        guard dataReply.code == 354 else {
            return rcptReplies.map {
                $0.isPositive || !anyAccepted
                    ? TransactionReply(reply: $0.isPositive ? dataReply : $0, step: $0.isPositive ? .data : .rcptTo)
                    : TransactionReply(reply: $0, step: .rcptTo)
            }
        }
        guard anyAccepted else {
            // A server that says 354 with no recipient (RFC 2920 §3.1 says it
            // must not): end the data at once, deliver nothing.
            _ = try await finishData(nil)
            return rcptReplies.map { TransactionReply(reply: $0, step: .rcptTo) }
        }
        let final = try await finishData(message)
        return rcptReplies.map {
            $0.isPositive ? TransactionReply(reply: final, step: .endOfData) : TransactionReply(reply: $0, step: .rcptTo)
        }
    }

    /// Sends the dot-stuffed body (or only the final dot) and reads the reply.
    private func finishData(_ message: [UInt8]?) async throws(SMTPClientError) -> SMTPReply {
        var buffer = channel.allocator.buffer(capacity: (message?.count ?? 0) + 64)
        MessageDataEncoder.write(message ?? [], to: &buffer)
        return try await exchange(
            buffer, [timeouts.dataTermination], step: "sending end of data -- message may be sent more than once")[0]
    }

    /// Says QUIT (not waiting long for the answer) and closes.
    public func quit() async {
        if isUsable {
            _ = try? await exchange(Self.line("QUIT"), [.seconds(5)], step: "sending QUIT")
        }
        await close()
    }

    public func close() async {
        state.withLock { $0.broken = true }
        try? await channel.close()
    }

    // MARK: - Replies

    private static func line(_ text: String) -> ByteBuffer {
        ByteBuffer(string: text + "\r\n")
    }

    /// Writes `bytes` (if any) and waits for one reply per timeout, in order.
    func exchange(
        _ bytes: ByteBuffer?, _ waits: [Duration], step: String
    ) async throws(SMTPClientError) -> [SMTPReply] {
        let reader = self.reader
        let channel = self.channel
        do {
            // A daemon that stops cancels its deliveries: closing the channel
            // fails the waits at once, instead of after a timeout of minutes.
            return try await withTaskCancellationHandler {
                let futures = try await channel.eventLoop.submit {
                    let futures = waits.map { reader.value.nextReply(timeout: .init($0), on: channel.eventLoop) }
                    if let bytes { channel.writeAndFlush(bytes, promise: nil) }
                    return futures
                }.get()
                var replies: [SMTPReply] = []
                replies.reserveCapacity(futures.count)
                for future in futures { replies.append(try await future.get()) }
                return replies
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            state.withLock { $0.broken = true }
            channel.close(promise: nil)
            throw describe(error, while: step)
        }
    }

    private func describe(_ error: any Error, while step: String) -> SMTPClientError {
        switch error as? ReplyReader.Failure {
        case .timedOut:
            return SMTPClientError(
                kind: .timeout, message: "conversation with \(remote) timed out while \(step)", status: .init(4, 4, 2))
        case .malformed(let line):
            return SMTPClientError(
                kind: .protocolError,
                message: "host \(remote) answered with something that is not an SMTP reply while \(step): \(line.prefix(100))",
                status: .init(4, 5, 0))
        case .channel(let underlying) where TLSFailure.isTLS(underlying):
            DeliveryMetrics.tlsHandshakeFailed()
            return SMTPClientError(
                kind: .tls, message: "TLS with \(remote) failed: \(TLSFailure.describe(underlying))",
                status: .init(4, 7, 5))
        case .channel, .closed, nil:
            return SMTPClientError(
                kind: .lostConnection, message: "lost connection with \(remote) while \(step)", status: .init(4, 4, 2))
        }
    }

    private func refused(_ reply: SMTPReply, _ command: String) -> SMTPClientError {
        SMTPClientError(
            kind: .refused, message: "host \(remote) refused to talk to me: \(reply) (in reply to \(command))",
            reply: reply,
            status: reply.enhancedCode.map { EnhancedStatusCode(4, $0.subject, $0.detail) } ?? .init(4, 0, 0))
    }
}

/// The server's verdict on one recipient, and the step it came at.
public struct TransactionReply: Sendable, Hashable {
    public enum Step: String, Sendable, Hashable {
        /// The client refused to send (SMTPUTF8, 8BITMIME, SIZE).
        case local = "local check"
        case mailFrom = "MAIL FROM"
        case rcptTo = "RCPT TO"
        case data = "DATA"
        case endOfData = "end of DATA"
    }

    public var reply: SMTPReply
    public var step: Step

    public init(reply: SMTPReply, step: Step) {
        self.reply = reply
        self.step = step
    }
}
