import Foundation
import Logging
import NIOCore
import SMTPProtocol
import Spool

/// Like Postfix's smtp(8): delivers one job over SMTP, trying its servers in
/// order until every recipient has a final answer or the servers run out.
///
/// A 2xx or 5xx answer for a recipient is final. A 4xx, or a server that
/// cannot be reached or breaks off, sends the recipients still open to the
/// next server (the next MX, then the fallback relays); what is still open
/// at the end is deferred with the last reason.
struct SMTPDeliveryAgent: Sendable {
    /// How the destination fared, for the scheduler's dead-destination rule.
    enum Health: Sendable {
        /// Some server finished a transaction.
        case reachable
        /// No server could be used (no connection, timeout, 421, TLS).
        case unreachable(String)
    }

    struct Attempt: Sendable {
        var results: [RecipientResult]
        var health: Health
    }

    let configuration: DeliveryConfiguration
    let tls: SMTPClientTLS
    let cache: ConnectionCache
    let group: any EventLoopGroup
    let logger: Logger

    func deliver(
        _ job: DeliveryJob, message: [UInt8], hops: [NextHop], primaryFailure: RoutePlanner.RecipientFailure?
    ) async -> Attempt {
        let envelope = job.message.envelope
        var open = job.message.recipients
        var results: [RecipientResult] = []
        var lastFailure: (status: EnhancedStatusCode, text: String, relay: String, reply: SMTPReply?) =
            primaryFailure.map { ($0.status, $0.text, "none", nil) }
            ?? (.init(4, 4, 1), "no server to deliver to", "none", nil)
        var reachedServer = false
        var remaining = hops
        var connectStarted = Date.now.timeIntervalSince1970

        while !open.isEmpty, !remaining.isEmpty, !Task.isCancelled {
            connectStarted = Date.now.timeIntervalSince1970
            let connection: SMTPClientConnection
            let hop: NextHop
            if let cached = cache.take(anyOf: remaining) {
                hop = remaining.remove(at: cached.index)
                connection = cached.connection
            } else {
                hop = remaining.removeFirst()
                do {
                    connection = try await connect(hop)
                } catch {
                    lastFailure = (error.status, error.message, hop.description, error.reply)
                    logger.debug("\(envelope.queueID): \(error.message)")
                    continue
                }
            }
            let sending = Date.now.timeIntervalSince1970
            let outbound = OutboundEnvelope(
                sender: envelope.sender, recipients: open.map(\.address), size: message.count,
                eightBitMIME: envelope.bodyType == "8BITMIME", smtpUTF8: envelope.smtpUTF8)
            let replies: [TransactionReply]
            do {
                replies = try await connection.send(outbound, message: message)
            } catch {
                lastFailure = (error.status, error.message, connection.remote, error.reply)
                await connection.close()
                continue
            }
            let done = Date.now.timeIntervalSince1970
            var stillOpen: [SpooledRecipient] = []
            var sawShutdown = false
            for (recipient, answer) in zip(open, replies) {
                let reply = answer.reply
                let text = answer.step == .local
                    ? reply.description
                    : answer.step == .endOfData && reply.isPositive
                        ? reply.description
                        : "host \(connection.remote) said: \(reply) (in reply to \(answer.step.rawValue) command)"
                let status = reply.enhancedCode ?? EnhancedStatusCode(reply.code / 100, 0, 0)
                var result = RecipientResult(
                    recipient: recipient, verdict: .sent, status: status, relay: connection.remote, text: text,
                    remoteMTA: answer.step == .local ? nil : connection.hop.host, reply: answer.step == .local ? nil : reply,
                    connectTime: sending - connectStarted, transferTime: done - sending)
                if reply.isPositive {
                    results.append(result)
                } else if reply.isPermanentFailure {
                    result.verdict = .bounced
                    results.append(result)
                } else {
                    if reply.code == 421 { sawShutdown = true }
                    lastFailure = (status, text, connection.remote, reply)
                    stillOpen.append(recipient)
                }
            }
            let delivered = replies.contains { $0.step == .endOfData && $0.reply.isPositive }
            if replies.contains(where: { $0.step == .endOfData || $0.reply.isPositive }) { reachedServer = true }
            // "452 4.5.3 Too many recipients" (RFC 5321 §4.5.3.1.10): the rest
            // go in the next transaction to the same server, not to the next one.
            if delivered, !stillOpen.isEmpty,
                zip(open, replies).allSatisfy({ $0.1.reply.isPositive || $0.1.reply.code == 452 })
            {
                remaining.insert(hop, at: 0)
            }
            open = stillOpen
            if sawShutdown {
                await connection.close()
            } else {
                cache.put(connection, for: hop)
            }
        }
        let now = Date.now.timeIntervalSince1970
        for recipient in open {
            results.append(
                RecipientResult(
                    recipient: recipient, verdict: .deferred, status: lastFailure.status, relay: lastFailure.relay,
                    text: lastFailure.text, remoteMTA: nil, reply: lastFailure.reply,
                    connectTime: now - connectStarted, transferTime: 0))
        }
        let health: Health = reachedServer || open.isEmpty ? .reachable : .unreachable(lastFailure.text)
        return Attempt(results: results, health: health)
    }

    /// Opens a connection; an MX host whose TLS fails is tried once more in
    /// plain text (opportunistic TLS must not make mail undeliverable,
    /// RFC 7435 §4; Postfix does the same at `smtp_tls_security_level = may`).
    private func connect(_ hop: NextHop) async throws(SMTPClientError) -> SMTPClientConnection {
        do {
            return try await SMTPClientConnection.open(
                to: hop, heloName: configuration.hostname, tls: tls, timeouts: configuration.timeouts, group: group,
                logger: logger)
        } catch where error.kind == .tls && hop.tls == .opportunistic {
            logger.notice("\(error.message); trying \(hop) again without TLS")
            var plain = hop
            plain.tls = .none
            return try await SMTPClientConnection.open(
                to: plain, heloName: configuration.hostname, tls: tls, timeouts: configuration.timeouts, group: group,
                logger: logger)
        }
    }
}
