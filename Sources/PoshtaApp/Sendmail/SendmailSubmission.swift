import Delivery
import Logging
import NIOPosix
import SMTPProtocol

/// The SMTP half of `poshta sendmail`: one plain-text connection to the
/// daemon on loopback, one all-or-nothing transaction, and any failure
/// turned into one line and an exit status.
enum SendmailSubmission {
    static let notSent = "the message was NOT sent"

    /// The daemon is local: a connection or a reply that takes long means
    /// it is stuck, not that the Internet is slow. The reply to the message
    /// keeps RFC 5321's 10 minutes, since it waits for the spool's fsync.
    static var timeouts: SMTPClientTimeouts {
        var timeouts = SMTPClientTimeouts()
        timeouts.connect = .seconds(10)
        timeouts.greeting = .seconds(60)
        timeouts.command = .seconds(60)
        timeouts.dataInitiation = .seconds(60)
        return timeouts
    }

    /// Submits the message; returns the final reply (`250 … queued as …`).
    static func send(
        _ message: SendmailMessage, to target: SubmissionTarget, heloName: String
    ) async throws(SendmailError) -> SMTPReply {
        let hop = NextHop(host: target.host, address: target.host, port: target.port, tls: .none)
        let tls: SMTPClientTLS
        do {
            tls = try SMTPClientTLS(caFile: nil)  // required by `open`; never used with TLS policy none
        } catch {
            throw SendmailError(.temporaryFailure, "cannot set up the SMTP client: \(error); \(notSent)")
        }
        // Standard output belongs to the calling program; the client logs nothing anyway without TLS.
        let logger = Logger(label: "poshta.sendmail", factory: { _ in SwiftLogNoOpLogHandler() })
        let connection: SMTPClientConnection
        do {
            connection = try await SMTPClientConnection.open(
                to: hop, heloName: heloName, tls: tls, timeouts: timeouts,
                group: MultiThreadedEventLoopGroup.singleton, logger: logger)
        } catch {
            throw failure(error, hop: hop, target: target)
        }
        let envelope = OutboundEnvelope(
            sender: message.sender, recipients: message.recipients, size: message.content.count,
            eightBitMIME: message.eightBitMIME)
        let outcome: SubmissionOutcome
        do {
            outcome = try await connection.submit(envelope, message: message.content)
        } catch {
            await connection.close()
            throw failure(error, hop: hop, target: target)
        }
        await connection.quit()
        return try verdict(outcome, sender: message.sender, target: target)
    }

    /// A session that ended before the transaction: nothing was sent.
    static func failure(_ error: SMTPClientError, hop: NextHop, target: SubmissionTarget) -> SendmailError {
        switch error.kind {
        case .connect:
            // "connect to 127.0.0.1[127.0.0.1]:2525: Connection refused" → "connection refused".
            var reason = Substring(error.message)
            if reason.hasPrefix("connect to \(hop): ") { reason = reason.dropFirst("connect to \(hop): ".count) }
            let text = reason.prefix(1).lowercased() + reason.dropFirst()
            return SendmailError(
                .temporaryFailure,
                "cannot connect to the mail server at \(target.described) (\(text); is poshta serve running?); \(notSent)")
        case .refused:
            let status = error.reply.map(status(for:)) ?? .temporaryFailure
            return SendmailError(status, "\(error.message); \(notSent)" + hint(target))
        case .timeout, .lostConnection, .tls, .protocolError:
            return SendmailError(.temporaryFailure, "\(error.message); \(notSent)")
        }
    }

    /// The exit status a transaction's outcome earns, or the final reply when it succeeded.
    static func verdict(_ outcome: SubmissionOutcome, sender: String, target: SubmissionTarget) throws(SendmailError) -> SMTPReply {
        let server = "the mail server at \(target.described)"
        switch outcome {
        case .accepted(let reply):
            return reply
        case .notSendable(let reply):
            throw SendmailError(status(for: reply), "\(server) cannot take this message: \(reply); \(notSent)")
        case .senderRefused(let reply):
            throw SendmailError(
                status(for: reply), "sender <\(sender)> refused: \(reply); \(notSent)" + hint(target))
        case .recipientsRefused(let refusals):
            // A permanent refusal decides: trying again later would not help.
            let permanent = refusals.first { $0.reply.isPermanentFailure }
            let list = refusals.map { "\($0.recipient) refused: \($0.reply)" }.joined(separator: "; ")
            throw SendmailError(
                status(for: (permanent ?? refusals.first)?.reply), "\(list); \(notSent)" + hint(target))
        case .dataRefused(let reply):
            throw SendmailError(status(for: reply), "\(server) refused DATA: \(reply); \(notSent)" + hint(target))
        case .messageRefused(let reply):
            throw SendmailError(status(for: reply), "\(server) refused the message: \(reply); \(notSent)")
        case .uncertain(let failure):
            throw SendmailError(
                .temporaryFailure,
                "\(failure); the message may or may not have been queued: check the daemon's log before sending it again")
        }
    }

    /// 4xx: try again later (75). 5xx: a bad address (5.1.x, 67) or a refusal (69).
    static func status(for reply: SMTPReply?) -> SendmailError.Status {
        guard let reply, !reply.isTransientFailure else { return .temporaryFailure }
        if reply.isPermanentFailure, reply.enhancedCode?.subject == 1 { return .noUser }
        return .unavailable
    }

    private static func hint(_ target: SubmissionTarget) -> String {
        target.hint.map { " (\($0))" } ?? ""
    }
}
