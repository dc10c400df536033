public import DKIM
import Foundation
public import Logging
import Metrics
import MIME
import SMTPProtocol
public import Spool

/// Finishes received messages and spools them; one instance serves all sessions.
public final class Intake: Sendable {
    /// What Intake needs to know of the server.
    public struct Configuration: Sendable {
        /// Our name in Received and in generated Message-IDs.
        public var hostname: String
        /// Signs every message before it is spooled (`[dkim]`); nil: no keys.
        public var dkim: DKIMKeyring?

        public init(hostname: String, dkim: DKIMKeyring? = nil) {
            self.hostname = hostname
            self.dkim = dkim
        }
    }

    public let configuration: Configuration
    let spool: Spool
    let logger: Logger

    let transformer: (any MessageTransformer)?

    public init(
        configuration: Configuration, spool: Spool, transformer: (any MessageTransformer)? = nil, logger: Logger
    ) {
        self.configuration = configuration
        self.spool = spool
        self.transformer = transformer
        self.logger = logger
    }

    /// Transforms (shop templates), finishes and spools the message; the
    /// outcome comes once it is durable, or the error carries the reply.
    public func submit(_ incoming: IncomingMessage) async throws(IntakeError) -> IntakeOutcome {
        var incoming = incoming
        var tags: [String: String] = [:]
        var note = ""
        switch try await transformer?.transform(incoming) ?? .keep {
        case .keep:
            break
        case .replace(let content, let newTags, let text, let recipients):
            incoming.content = content
            tags = newTags
            note = text
            if let recipients { incoming.transaction.recipients = recipients }
        case .suppress(let reason):
            logger.info("NOQUEUE: suppressed: client=\(incoming.client.addressLiteral), from=<\(incoming.transaction.sender.address)>: \(reason)")
            return .suppressed(reason: reason)
        case .handled(let text, let spawned):
            logger.info("NOQUEUE: client=\(incoming.client.addressLiteral), from=<\(incoming.transaction.sender.address)>: \(text)")
            try await spool(spawned, client: incoming.client)
            return .handled(text)
        }
        return .queued(try await accept(incoming, tags: tags, note: note).description)
    }

    /// Spools what a transformer made while handling a message from `client`.
    public func spool(_ spawned: [SpawnedMessage], client: ClientDescription) async throws(IntakeError) {
        for message in spawned {
            let incoming = IncomingMessage(
                transaction: MailTransaction(sender: message.sender, parameters: MailParameters(), recipients: message.recipients),
                content: message.content, client: client)
            _ = try await accept(incoming, tags: message.tags, note: message.note)
        }
    }

    /// Finishes the message and puts it on the spool. Returns its queue id
    /// once it is durable; throws an error carrying the reply otherwise.
    public func accept(_ incoming: IncomingMessage, tags: [String: String] = [:], note: String = "") async throws(IntakeError) -> QueueID {
        let id = spool.makeQueueID()
        let now = Date().timeIntervalSince1970
        let recipients = incoming.transaction.recipients.map(\.description)
        var finished = finish(incoming, id: id, recipients: recipients, now: now)
        var note = note
        if let dkim = configuration.dkim {
            // Signed once, here: what is on the spool is what leaves.
            let signed = dkim.sign(finished, envelopeSender: incoming.transaction.sender.address, time: Int(now))
            finished = signed.message
            for failure in signed.failures { logger.error("\(id): DKIM: \(failure); the message goes unsigned by it") }
            if !signed.signatures.isEmpty {
                note += (note.isEmpty ? "" : ", ") + "dkim=" + signed.signatures.map { "\($0.selector)._domainkey.\($0.domain)" }.joined(separator: "+")
            }
        }
        let envelope = SpoolEnvelope(
            queueID: id, sender: incoming.transaction.sender.address, recipients: recipients, arrival: now,
            bodyType: incoming.transaction.parameters.body?.rawValue,
            smtpUTF8: incoming.transaction.parameters.smtpUTF8,
            client: incoming.client.addressLiteral + (incoming.client.port.map { ":\($0)" } ?? ""),
            heloName: incoming.client.heloName, tags: tags)
        do {
            try await spool.accept(envelope, message: finished)
        } catch {
            logger.error("\(id): cannot spool the message: \(error)")
            throw .spoolFailed("\(error)")
        }
        Counter(label: "poshta_messages_received_total").increment()
        logger.info(
            "\(id): client=\(envelope.client ?? "unknown")\(incoming.client.authenticatedUser.map { ", sasl_username=\($0)" } ?? ""), helo=<\(incoming.client.heloName ?? "")>, from=<\(envelope.sender)>, size=\(finished.count), nrcpt=\(recipients.count)\(note.isEmpty ? "" : ", \(note)") (queue active)"
        )
        return id
    }

    /// The message as it will be spooled: Received on top; Message-ID and
    /// Date added at the end of the header section when missing (RFC 5322
    /// §3.6: both are required of an originator). The body is untouched.
    func finish(_ incoming: IncomingMessage, id: QueueID, recipients: [String], now: Double) -> [UInt8] {
        let content = incoming.content
        let headers = HeaderBlock(scanning: content)
        let seconds = Int(now)
        var added: [UInt8] = []
        if !headers.contains("Message-ID") {
            added += HeaderField("Message-ID", "<\(id).\(seconds)@\(configuration.hostname)>").encoded
        }
        if !headers.contains("Date") {
            added += HeaderField("Date", RFC5322Date.format(secondsSince1970: seconds)).encoded
        }
        // A header section that is not followed by an empty line and yet has
        // a body after it needs the empty line, or the body would read as headers.
        if !headers.hasSeparator && headers.end < content.count { added += [0x0D, 0x0A] }

        var message = ReceivedHeader.make(
            client: incoming.client, hostname: configuration.hostname, queueID: id.description,
            recipients: recipients, smtpUTF8: incoming.transaction.parameters.smtpUTF8, secondsSince1970: seconds)
        message.reserveCapacity(message.count + content.count + added.count)
        message += content[..<headers.end]
        message += added
        message += content[headers.end...]
        return message
    }
}
