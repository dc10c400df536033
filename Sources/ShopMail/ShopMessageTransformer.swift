public import Automations
import Foundation
public import Intake
public import Logging
import MIME
import SMTPProtocol
public import ShopStore
public import Templates

/// Turns the shop's template messages into finished mails on the intake
/// path: `X-Shop-Template: KEY` with its data as JSON (the whole body, or one
/// `application/json` part) becomes a localized multipart/alternative mail
/// with the blocks and coupon the key calls for. Plain messages pass.
///
/// Bad input is refused with a 554 5.6.0 that names what is wrong, and
/// nothing is spooled; a notification the owner switched off is accepted
/// and dropped with a log line.
public struct ShopMessageTransformer: MessageTransformer {
    let templates: TemplateSet
    let store: (any ShopStore)?
    let settings: ShopMailSettings
    let logger: Logger
    /// Where an unsubscribe by mail goes: the store's list, and in the daemon the queue too.
    let suppression: SuppressionList?
    /// The owner's notification switches in force, changed while running.
    public let switches: ShopSwitches

    /// The templates as they are now (they reload when their files change).
    var renderer: TemplateRenderer { templates.current }

    /// The daemon's templates, which the console edits.
    public var templateSet: TemplateSet { templates }

    /// The coupon each template key carries now (`[coupons.KEY]`, with the owner's changes).
    public var couponPolicies: [String: CouponPolicy] { switches.coupons }

    /// The coupons as `[coupons.KEY]` configures them, under the owner's changes.
    public var configuredCoupons: [String: CouponPolicy] { settings.coupons }

    /// The shop's currency (`[shop] currency`), for an amount that names none.
    public var shopCurrency: String { renderer.shop.currency }

    /// The shop's store, when it has one (the console reads coupons and the catalog from it).
    public var shopStore: (any ShopStore)? { store }

    public init(
        templates: TemplateSet, store: (any ShopStore)?, settings: ShopMailSettings, logger: Logger,
        suppression: SuppressionList? = nil, switches: ShopSwitches? = nil
    ) {
        self.switches = switches ?? ShopSwitches(settings.notifications, automations: settings.automations, coupons: settings.coupons)
        self.templates = templates
        self.store = store
        self.suppression = suppression ?? store.map { SuppressionList(store: $0) }
        self.settings = settings
        self.logger = logger
    }

    public func transform(_ message: IncomingMessage) async throws(IntakeError) -> Transformation {
        if let tokens = unsubscribeTokens(in: message) { return try await unsubscribe(tokens) }
        // Most mail is plain: look at the header block before parsing MIME.
        let block = HeaderBlock(scanning: message.content)
        if block.contains("X-Shop-Event") { return try await recordEvent(message) }
        if block.contains("X-Shop-Template") { return try await render(message) }
        if block.contains("X-Shop-Blocks") || block.contains("X-Shop-Layout") { return try await enrich(message) }
        if block.fields.contains(where: { $0.name.lowercased().hasPrefix("x-shop-") }) {
            // A stray X-Shop-Order or X-Shop-Locale on a plain message: still never leaves.
            return .replace(content: Self.withoutShopFields(message.content), tags: [:], note: "")
        }
        return .keep
    }

    /// A template message: rendered, with its blocks and coupon, in the
    /// customer's locale; an order confirmation is also kept as the order.
    func render(_ message: IncomingMessage) async throws(IntakeError) -> Transformation {
        let parsed = try Self.parse(message.content)
        let key = (parsed.header("X-Shop-Template") ?? "").trimmingCharacters(in: .whitespaces)
        guard let schema = renderer.schema(key) else {
            throw Self.reject("unknown template \"\(key)\"; the keys are listed in docs/templates.md")
        }
        if let reason = switchedOff(key, kind: schema.kind) { return .suppress(reason: reason) }
        var data = try Self.data(of: parsed)
        let adminRecipients = try administrators(for: message, key: key, kind: schema.kind)
        let recipient = adminRecipients?.first?.description ?? message.transaction.recipients.first?.description ?? ""
        var unsubscribe: (link: String, fields: [HeaderField])?
        if schema.kind == .marketing {
            guard message.transaction.recipients.count == 1 else {
                throw Self.reject("marketing template \(key) goes to one recipient at a time: its unsubscribe link is theirs")
            }
            do {
                if let reason = try await marketingRefusal(for: recipient, customer: try await store?.customer(recipient)) {
                    return .suppress(reason: "template \(key): \(reason)")
                }
            } catch {
                logger.error("template \(key): the shop store failed: \(error)")
                throw .spoolFailed("shop store: \(error)")
            }
            unsubscribe = unsubscribeFields(for: recipient)
        }
        let customerEmail = (data["customer"] as? [String: Any])?["email"] as? String
        let locale = await chooseLocale(parsed, customers: [customerEmail ?? "", recipient], for: "template \(key)")
        // Nothing is written for data that will be refused.
        let missing = schema.missingFields(in: data)
        guard missing.isEmpty else { throw Self.reject(TemplateError.missingFields(key: key, fields: missing).description) }
        var facts = self.facts(key, data: data, recipient: recipient, locale: parsed.header("X-Shop-Locale"))
        if data["coupon"] == nil { facts.coupon = couponRequest(key, recipient: recipient) }
        do {
            try await addBlocks(to: &data, schema: schema, locale: locale)
            try await record(facts, into: &data, for: "template \(key)", locale: locale)
        } catch {
            logger.error("template \(key): the shop store failed: \(error)")
            throw .spoolFailed("shop store: \(error)")
        }
        let mail: TemplateRenderer.Rendered
        do {
            mail = try renderer.render(key, locale: locale, data: data, unsubscribeURL: unsubscribe?.link)
        } catch {
            throw Self.reject(error.description)
        }
        var envelope = message
        if let adminRecipients { envelope.transaction.recipients = adminRecipients }
        let content = try build(mail, message: envelope, headers: parsed, data: data, extraFields: unsubscribe?.fields ?? [])
        var tags = ["template": key]
        // What an unsubscribe looks for to take the customer's waiting marketing mail off the queue.
        if schema.kind == .marketing { tags["automation"] = key }
        if let order = (data["order"] as? [String: Any])?["number"] { tags["order"] = "\(order)" }
        if !recipient.isEmpty { tags["customer"] = recipient.lowercased() }
        return .replace(
            content: content, tags: tags, note: "template=\(key), locale=\(mail.locale)", recipients: adminRecipients)
    }

    /// For an administrator notification addressed to the events address
    /// (the shop naming no one), the shop's admin addresses; nil when the
    /// envelope's recipients stand. A customer mail to the events address
    /// is a mistake and refused.
    func administrators(for message: IncomingMessage, key: String, kind: TemplateSchema.Kind) throws(IntakeError) -> [Mailbox]? {
        let events = settings.eventsAddress.lowercased()
        let toEvents = message.transaction.recipients.filter { $0.description.lowercased() == events }
        guard !toEvents.isEmpty else { return nil }
        guard kind == .admin, toEvents.count == message.transaction.recipients.count else {
            throw Self.reject("template \(key) is addressed to the events address <\(settings.eventsAddress)>; only an administrator notification may be, alone, and it then goes to [shop] admin_emails")
        }
        let admins = settings.adminEmails.compactMap(Mailbox.init(address:))
        guard !admins.isEmpty else {
            throw Self.reject("template \(key) names no recipient and [shop] admin_emails is empty")
        }
        return admins
    }

    /// The locale to write in: `X-Shop-Locale`, else the customer's (the
    /// first of `customers` the store knows a locale for: the data's
    /// `customer.email`, the recipient), else the default; a locale without
    /// templates falls back, with a log line.
    func chooseLocale(_ parsed: MIMEMessage, customers: [String], for what: String) async -> String {
        var requested = parsed.header("X-Shop-Locale")?.trimmingCharacters(in: .whitespaces).lowercased()
        if let store {
            for customer in customers where requested == nil && !customer.isEmpty {
                requested = (try? await store.customer(customer))?.locale
            }
        }
        let locale = renderer.locale(for: requested)
        if let requested, requested != locale {
            logger.notice("\(what): no templates for locale \(requested); rendered in \(locale)")
        }
        return locale
    }

    /// An event for the automations: addressed to the events address alone,
    /// a name like `cart.updated`, its data as JSON; recorded, not delivered.
    func recordEvent(_ message: IncomingMessage) async throws(IntakeError) -> Transformation {
        let recipients = message.transaction.recipients.map(\.description)
        guard recipients.allSatisfy({ $0.lowercased() == settings.eventsAddress.lowercased() }) else {
            throw Self.reject("an event (X-Shop-Event) goes to <\(settings.eventsAddress)> alone")
        }
        let parsed = try Self.parse(message.content)
        let name = (parsed.header("X-Shop-Event") ?? "").trimmingCharacters(in: .whitespaces)
        let recorded = try await record(event: name, data: try Self.data(of: parsed))
        return .handled(recorded.text, spawned: recorded.spawned)
    }

    /// Checks the event's name and keeps it in the store; the text says
    /// under which number. Used by SMTP and by `POST /v1/events`. A
    /// `stock.changed` event also sets the stock, and what its crossings
    /// call for comes back as messages to spool.
    public func record(event name: String, data: [String: Any]) async throws(IntakeError) -> (text: String, spawned: [SpawnedMessage]) {
        let event: ShopEventInput
        do {
            event = try ShopEventInput(name: name, data)
        } catch {
            throw Self.reject(error.description)
        }
        guard let store else { throw .spoolFailed("no shop store for events") }
        do {
            let facts = try await facts(of: event, store: store)
            var object = data
            object["type"] = name
            let json = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            let recorded = try await store.recordEvent(name, id: event.id, data: json, customer: event.email, facts: facts)
            guard recorded.isNew else {
                return ("event \(name) \(event.id ?? "") was recorded before as #\(recorded.sequence); nothing changed", [])
            }
            let spawned = event.kind == .stockChanged ? try await stockAlerts(event.stock, store: store) : []
            return ("event \(name) recorded as #\(recorded.sequence)", spawned)
        } catch {
            logger.error("event \(name): the shop store failed: \(error)")
            throw .spoolFailed("shop store: \(error)")
        }
    }

    /// `[marketing]` as configured, before the owner's changes.
    public var configuredAutomations: AutomationSettings { settings.automations }

    /// The template keys of the notifications the owner switches (customer
    /// and administrator ones; marketing has its own switches).
    public var notificationKeys: [String] {
        renderer.keys.filter { renderer.schema($0).map { $0.kind != .marketing } ?? false }
    }

    /// Why the owner's switches drop this key, or nil.
    func switchedOff(_ key: String, kind: TemplateSchema.Kind) -> String? {
        let switches = self.switches.current
        if switches.disabled.contains(key) { return "notification \(key) is switched off" }
        switch kind {
        case .customer where !switches.customer:
            return "customer notifications are switched off"
        case .admin where !switches.admin:
            return "administrator notifications are switched off"
        default:
            break
        }
        if key == "order_unfinished" && !switches.unfinishedOrderReminders {
            return "unfinished-order reminders are off"
        }
        return nil
    }

    /// The JSON object of the message: its whole body, or its first
    /// `application/json` part.
    static func data(of parsed: MIMEMessage) throws(IntakeError) -> [String: Any] {
        let part = parsed.root.contentType.mediaType == "application/json"
            ? parsed.root : parsed.firstPart(withMediaType: "application/json")
        guard let part else {
            throw reject("a template message carries its data as JSON: the whole body (Content-Type: application/json) or one application/json part")
        }
        let bytes: [UInt8]
        do {
            bytes = try part.decodedBody()
        } catch {
            throw reject("the JSON part cannot be decoded: \(error)")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw reject("the JSON does not parse: \(Self.describe(error))")
        }
        guard let data = object as? [String: Any] else { throw reject("the JSON is not an object ({…})") }
        return data
    }

    /// Related and showcase products from the catalog, when the key calls for
    /// them and the shop did not send them itself. An order confirmation
    /// goes without them when `[marketing.order_related] mode = "separate"`
    /// gives them a mail of their own.
    func addBlocks(to data: inout [String: Any], schema: TemplateSchema, locale: String) async throws {
        guard let store else { return }
        let blocks = schema.blocks ?? []
        let relatedGoSeparately = schema.kind != .marketing && switches.automations.isOn(.orderRelated)
        if blocks.contains("related_products"), data["related_products"] == nil, !relatedGoSeparately,
            let items = (data["order"] as? [String: Any])?["items"] as? [[String: Any]]
        {
            let skus = items.compactMap { $0["sku"].map { "\($0)" } }
            data["related_products"] = try await store.relatedProducts(forOrder: skus).map { Self.card($0, locale: locale) }
        }
        if blocks.contains("showcase_products"), data["showcase_products"] == nil {
            data["showcase_products"] = try await store.showcaseProducts().map { Self.card($0, locale: locale) }
        }
    }

    /// A product card as docs/templates.md describes it.
    static func card(_ product: Product, locale: String) -> [String: Any] {
        var card: [String: Any] = [
            "sku": product.sku, "name": product.name(in: locale), "price": product.price, "currency": product.currency,
        ]
        if let url = product.url { card["url"] = url }
        if let image = product.imageURL { card["image_url"] = image }
        if let old = product.oldPrice { card["old_price"] = old }
        return card
    }

    /// The coupon the key carries for the recipient, if any.
    func couponRequest(_ key: String, recipient: String) -> MailFacts.CouponRequest? {
        guard let policy = switches.coupons[key], !recipient.isEmpty else { return nil }
        return MailFacts.CouponRequest(policy: policy, template: key, email: recipient)
    }

    /// Writes the mail's facts in one transaction and puts the coupon it
    /// was given into the data as the coupon box.
    func record(_ facts: MailFacts, into data: inout [String: Any], for what: String, locale: String) async throws {
        guard let store, !facts.isEmpty else { return }
        let coupon = try await store.record(facts)
        if let coupon {
            data["coupon"] = couponBox(coupon, locale: locale)
        } else if let request = facts.coupon {
            logger.notice("\(what): no coupon left in the pool of \(request.template) for \(request.email); sent without one")
        }
    }

    /// The coupon as the templates show it (docs/templates.md).
    func couponBox(_ coupon: Coupon, locale: String) -> [String: Any] {
        var box: [String: Any] = ["code": coupon.code]
        let formatting = renderer.formatting(for: locale)
        switch coupon.value {
        case .percent(let percent)?:
            box["value_text"] = "-\(percent.formatted(.number.locale(formatting.locale)))%"
        case .fixed(let amount, let currency)?:
            box["value_text"] = "-" + formatting.money(amount, currency: currency)
        case nil:
            break
        }
        if let expires = coupon.expires {
            box["expires"] = Date(timeIntervalSince1970: expires).formatted(.iso8601)
        }
        return box
    }

    /// The outgoing message: From and Reply-To from the shop's message, else
    /// From `[shop]`; To as the shop wrote it, else the envelope's
    /// recipients (named with the customer's name when there is one); the
    /// rendered parts; `extraFields` (a marketing mail's List-Unsubscribe);
    /// no X-Shop-* header is carried over.
    func build(
        _ mail: TemplateRenderer.Rendered, message: IncomingMessage, headers: MIMEMessage, data: [String: Any],
        extraFields: [HeaderField] = []
    ) throws(IntakeError) -> [UInt8] {
        var to: [MIMEBuilder.Mailbox]
        if let value = headers.header("To") {
            guard let list = try? AddressList.mailboxes(in: value), !list.isEmpty else {
                throw Self.reject("To: \"\(value.prefix(100))\" is not an address list")
            }
            to = list.map { MIMEBuilder.Mailbox($0.address, displayName: $0.displayName) }
        } else {
            to = message.transaction.recipients.map { MIMEBuilder.Mailbox($0.description) }
        }
        // One unnamed addressee: the customer, greeted by name.
        if to.count == 1, to[0].displayName == nil {
            to[0].displayName = (data["customer"] as? [String: Any])?["name"] as? String
        }
        var from = MIMEBuilder.Mailbox(settings.fromAddress, displayName: settings.fromName)
        if let value = headers.header("From") {
            guard let mailbox = AddressList.mailbox(in: value) else {
                throw Self.reject("From: \"\(value.prefix(100))\" is not one mailbox like Shop <shop@example.com>")
            }
            from = MIMEBuilder.Mailbox(mailbox.address, displayName: mailbox.displayName ?? settings.fromName)
        }
        var replyTo: [MIMEBuilder.Mailbox] = []
        if let value = headers.header("Reply-To") {
            guard let list = try? AddressList.mailboxes(in: value), !list.isEmpty else {
                throw Self.reject("Reply-To: \"\(value.prefix(100))\" is not an address list")
            }
            replyTo = list.map { MIMEBuilder.Mailbox($0.address, displayName: $0.displayName) }
        }
        do {
            return try ShopMailComposer(hostname: settings.hostname).compose(
                mail, from: from, to: to, replyTo: replyTo, extraFields: extraFields)
        } catch {
            throw Self.reject("the rendered mail cannot be built: \(error)")
        }
    }

    static func parse(_ content: [UInt8]) throws(IntakeError) -> MIMEMessage {
        do {
            return try MIMEMessage(parsing: content)
        } catch {
            throw reject("the message cannot be read as MIME: \(error)")
        }
    }

    static func reject(_ text: String) -> IntakeError {
        .rejected(SMTPReply(554, "5.6.0", text))
    }

    static func describe(_ error: any Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        return text
    }
}
