import Foundation
public import Intake
import MIME
public import SMTPProtocol

/// The shop's HTTP door (`POST /v1/messages`, `POST /v1/events`): the same
/// three kinds of message the SMTP door takes, as JSON, through the same
/// intake path — so that a message sent either way is rendered, checked,
/// spooled and logged alike.
public struct ShopSubmission: Sendable {
    /// What became of a submission, for the HTTP answer.
    public enum Answer: Sendable, Equatable {
        case queued(QueueIDText)
        case suppressed(String)
        case handled(String)
        /// The shop's input is wrong: the reply says what (as over SMTP).
        case refused(SMTPReply)
        /// Poshta could not take it now; try again.
        case unavailable(String)
    }

    let intake: Intake
    let transformer: ShopMessageTransformer

    /// The shop's mail as the daemon makes it (its templates and switches).
    public var mail: ShopMessageTransformer { transformer }

    public init(intake: Intake, transformer: ShopMessageTransformer) {
        self.intake = intake
        self.transformer = transformer
    }

    var settings: ShopMailSettings { transformer.settings }

    /// A message as JSON: `{"template": KEY, "data": {…}, "locale", "to",
    /// "from", "reply_to"}` for a template, or `{"raw": "<RFC 5322 message>",
    /// "to"}` for the shop's own message (which may carry X-Shop-Blocks).
    /// `to` is an address or a list; an administrator template without one
    /// goes to `[shop] admin_emails`. `sender` sets the envelope sender
    /// (default `[shop] from`).
    public func message(_ object: [String: Any]) async -> Answer {
        let content: [UInt8]
        var recipients: [String]
        do throws(ShopMailError) {
            recipients = try Self.addresses(object["to"], field: "to")
            if let raw = object["raw"] {
                guard object["template"] == nil, object["data"] == nil else {
                    throw ShopMailError("give either \"raw\" or \"template\" and \"data\", not both")
                }
                guard let text = raw as? String, !text.isEmpty else { throw ShopMailError("\"raw\" is not a message text") }
                guard !recipients.isEmpty else { throw ShopMailError("a raw message needs \"to\"") }
                content = MIMEBuilder.canonicalText(text)
            } else {
                guard let key = object["template"] as? String, !key.isEmpty else {
                    throw ShopMailError("give \"template\" (a key) and \"data\", or \"raw\"")
                }
                guard let data = object["data"] as? [String: Any] else {
                    throw ShopMailError("\"data\" is missing or not an object")
                }
                if recipients.isEmpty {
                    guard transformer.renderer.schema(key)?.kind == .admin else {
                        throw ShopMailError("\"to\" is missing; only an administrator notification goes without one")
                    }
                    recipients = [settings.eventsAddress]  // the transformer hands it to [shop] admin_emails
                }
                content = try Self.templateMessage(key: key, data: data, fields: object)
            }
        } catch {
            return .refused(SMTPReply(554, "5.6.0", error.description))
        }
        let senderText = object["sender"] as? String ?? settings.fromAddress
        guard let sender = Mailbox(address: senderText) else {
            return .refused(SMTPReply(553, "5.1.7", "\"sender\": \(senderText) is not an address"))
        }
        var mailboxes: [Mailbox] = []
        for text in recipients {
            guard let mailbox = Mailbox(address: text) else {
                return .refused(SMTPReply(553, "5.1.3", "\"to\": \(text) is not an address"))
            }
            mailboxes.append(mailbox)
        }
        let incoming = IncomingMessage(
            transaction: MailTransaction(
                sender: .mailbox(sender), parameters: MailParameters(body: .eightBitMIME), recipients: mailboxes),
            content: content,
            client: Self.client)
        do {
            switch try await intake.submit(incoming) {
            case .queued(let id): return .queued(id)
            case .suppressed(let reason): return .suppressed(reason)
            case .handled(let text): return .handled(text)
            }
        } catch {
            switch error {
            case .rejected(let reply): return .refused(reply)
            case .spoolFailed(let reason): return .unavailable(reason)
            }
        }
    }

    /// An event as JSON: `{"type": "cart.updated", "id": …, …}`, kept for the automations.
    public func event(_ object: [String: Any]) async -> Answer {
        guard let type = object["type"] as? String else {
            return .refused(SMTPReply(554, "5.6.0", "an event needs \"type\", e.g. \"cart.updated\""))
        }
        do {
            let recorded = try await transformer.record(event: type, data: object)
            try await intake.spool(
                recorded.spawned,
                client: Self.client)
            return .handled(recorded.text)
        } catch {
            switch error {
            case .rejected(let reply): return .refused(reply)
            case .spoolFailed(let reason): return .unavailable(reason)
            }
        }
    }

    /// The API as a client in Received and the logs.
    static let client = ClientDescription(address: "127.0.0.1", port: nil, heloName: "admin-api", extended: true)

    /// `to` as a list of addresses: absent, one string, or strings.
    static func addresses(_ value: Any?, field: String) throws(ShopMailError) -> [String] {
        switch value {
        case nil: return []
        case let one as String: return [one]
        case let list as [Any]:
            return try list.map { element throws(ShopMailError) in
                guard let text = element as? String else { throw ShopMailError("\"\(field)\" lists something not an address") }
                return text
            }
        default: throw ShopMailError("\"\(field)\" is neither an address nor a list of addresses")
        }
    }

    /// The template message the SMTP door would get: the X-Shop fields and the JSON as the body.
    static func templateMessage(key: String, data: [String: Any], fields: [String: Any]) throws(ShopMailError) -> [UInt8] {
        var header: [HeaderField] = [HeaderField("X-Shop-Template", key)]
        if let locale = fields["locale"] as? String { header.append(HeaderField("X-Shop-Locale", locale)) }
        for (name, field) in [("From", "from"), ("Reply-To", "reply_to")] {
            guard let value = fields[field] else { continue }
            guard let text = value as? String, !text.contains(where: \.isNewline) else {
                throw ShopMailError("\"\(field)\" is not one line of text")
            }
            header.append(HeaderField(name, text))
        }
        header.append(HeaderField("Content-Type", "application/json; charset=utf-8"))
        let json: Data
        do {
            json = try JSONSerialization.data(withJSONObject: data, options: [.sortedKeys])
        } catch {
            throw ShopMailError("\"data\" cannot be written as JSON: \(error)")
        }
        return header.flatMap(\.encoded) + [0x0D, 0x0A] + Array(json) + [0x0D, 0x0A]
    }
}
