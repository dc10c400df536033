import DKIM
import Foundation
import Logging
import Spool

/// Like Postfix's bounce(8): turns recipients that failed for good into one
/// delivery status notification to the envelope sender, put on the spool
/// like any other message (null sender, so it can never bounce in turn).
struct Bouncer: Sendable {
    let spool: Spool
    let hostname: String
    let logger: Logger
    /// The DKIM keys: a report is signed like any mail Poshta writes.
    var dkim: DKIMKeyring?

    /// A recipient to report: the attempt's result, and whether it expired
    /// rather than being refused.
    struct Failure: Sendable {
        var result: RecipientResult
        var expired: Bool
        /// Still being retried: a delay warning (RFC 3464 `Action: delayed`)
        /// that says until when.
        var retryUntil: Double? = nil
    }

    /// Spools the DSN and returns its queue id. Throws when it could not be
    /// made durable: then the failures must not be recorded as final.
    func bounce(_ message: SpooledMessage, failures: [Failure], original: [UInt8]) async throws -> QueueID {
        let now = Date.now
        let envelope = message.envelope
        let reports = failures.map { failure in
            let result = failure.result
            return DeliveryStatusNotification.RecipientReport(
                finalRecipient: result.recipient.address, action: failure.retryUntil == nil ? .failed : .delayed,
                status: failure.expired ? "4.4.7" : result.status.description,
                remoteMTA: result.remoteMTA,
                diagnostic: result.reply.map { .smtp($0.description) }
                    ?? .local(failure.expired ? "delivery time expired; last error: \(result.text)" : result.text),
                lastAttemptDate: now,
                willRetryUntil: failure.retryUntil.map { Date(timeIntervalSince1970: $0) })
        }
        let id = spool.makeQueueID()
        let report = DeliveryStatusNotification(
            reportingMTA: hostname, originalQueueID: envelope.queueID.description, originalSender: envelope.sender,
            arrivalDate: Date(timeIntervalSince1970: envelope.arrival), recipients: reports, originalMessage: original,
            date: now,
            messageID: DeliveryStatusNotification.makeMessageID(queueID: id.description, hostname: hostname, date: now))
        var bytes = report.encoded()
        if let dkim {
            let signed = dkim.sign(bytes, envelopeSender: "", time: Int(now.timeIntervalSince1970))
            bytes = signed.message
            for failure in signed.failures { logger.error("\(id): DKIM: \(failure); the report goes unsigned by it") }
        }
        let dsnEnvelope = SpoolEnvelope(
            queueID: id, sender: "", recipients: [envelope.sender], arrival: now.timeIntervalSince1970,
            smtpUTF8: report.requiresSMTPUTF8, client: "bounce", tags: ["dsn": envelope.queueID.description])
        try await spool.accept(dsnEnvelope, message: bytes)
        let kind = report.isDelayWarning ? "delay notification" : "non-delivery notification"
        logger.info("\(envelope.queueID): sender \(kind): \(id)")
        logger.info("\(id): from=<>, size=\(bytes.count), nrcpt=1 (queue active)")
        return id
    }
}
