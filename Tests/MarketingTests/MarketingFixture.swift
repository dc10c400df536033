import Automations
import Foundation
import Intake
import Logging
import MIME
import PoshtaTestSupport
import ShopMail
import ShopStore
import Spool
import Templates
import Testing

/// A shop with real parts and a clock in the test's hand: the shipped
/// templates, an SQLite store, a spool on disk, Intake, the shop's
/// transformer (events go in through it, as over SMTP or the API) and the
/// automation sender, fired at the times the test chooses.
final class MarketingFixture: Sendable {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    /// Monday 2 November 2026, 10:00 UTC: the tests' "now" starts here.
    static let start: Double = 1_793_613_600
    static let hour: Double = 3_600
    static let day: Double = 86_400

    let folder: TemporaryDirectory
    let store: SQLiteShopStore
    let spool: Spool
    let intake: Intake
    let mail: ShopMessageTransformer
    let sender: AutomationSender
    let tokens = UnsubscribeTokens(secret: Array("a secret for the tests, 32 bytes".utf8))

    init(_ settings: AutomationSettings = AutomationSettings(enabled: true, frequencyCap: FrequencyCap(maxPerDay: 0), timeZone: .gmt))
        async throws
    {
        folder = try TemporaryDirectory(prefix: "poshta-marketing")
        let logger = Logger(label: "marketing-test")
        store = try SQLiteShopStore(path: folder.path + "/store.sqlite")
        spool = try Spool(directory: folder.path + "/spool", logger: logger)
        let shop = ShopIdentity(name: "Ромашка", url: "https://romashka.example", email: "hello@romashka.example", currency: "BGN")
        let templates = try await TemplateSet(directory: Self.repository + "/conf/templates", shop: shop, defaultLocale: "en")
        mail = ShopMessageTransformer(
            templates: templates, store: store,
            settings: ShopMailSettings(
                fromAddress: "shop@romashka.example", fromName: "Ромашка", hostname: "mail.romashka.example",
                automations: settings, unsubscribeMailbox: "unsubscribe@mail.romashka.example", unsubscribeTokens: tokens,
                unsubscribeURL: "https://romashka.example/unsubscribe"),
            logger: logger)
        intake = Intake(configuration: .init(hostname: "mail.romashka.example"), spool: spool, logger: logger)
        sender = AutomationSender(mail: mail, intake: intake)
    }

    deinit {
        spool.close()
    }

    /// The shop's event, as it would come over SMTP or the API, happening at `time`.
    func event(_ type: String, at time: Double, _ fields: [String: Any]) async throws {
        var data = fields
        data["time"] = Date(timeIntervalSince1970: time).formatted(.iso8601)
        _ = try await mail.record(event: type, data: data)
    }

    func cart(_ id: String, of email: String, at time: Double, skus: [String]) async throws {
        try await event(
            "cart.updated", at: time,
            [
                "email": email, "cart_id": id, "checkout_url": "https://romashka.example/checkout/\(id)",
                "items": skus.map { ["sku": $0, "quantity": 1, "price": "12.50"] },
            ])
    }

    func order(_ number: String, by email: String, at time: Double, skus: [String]) async throws {
        try await event(
            "order.placed", at: time,
            [
                "number": number, "email": email, "items": skus.map { ["sku": $0, "quantity": 2, "price": "9.90"] },
                "total": "\(19.8 * Double(skus.count))", "currency": "BGN",
            ])
    }

    /// A small catalog: tea with hand-assigned related products, cups, and a storefront.
    func catalog() async throws {
        func product(_ sku: String, _ en: String, _ bg: String, _ price: Double, categories: [String], related: [String] = [])
            -> Product
        {
            Product(
                sku: sku, names: ["en": en, "bg": bg], price: price, currency: "BGN",
                url: "https://romashka.example/p/\(sku.lowercased())", categories: categories, related: related)
        }
        try await store.upsert([
            product("TEA-1", "Sencha", "Сенча", 18.9, categories: ["Tea"], related: ["CUP-1", "CUP-2"]),
            product("TEA-2", "Oolong", "Улун", 16.5, categories: ["Tea"]),
            product("CUP-1", "Tenmoku cup", "Купичка Тенмоку", 24, categories: ["Cups", "Storefront"]),
            product("CUP-2", "Rose cups", "Чаши Роза", 42.5, categories: ["Cups", "Storefront"]),
            product("POT-1", "Blue clay teapot", "Чайник Синя глина", 64, categories: ["Storefront"]),
        ])
    }

    /// Fires what is due at `time`; the outcomes by automation, e.g. `["abandoned_cart": sent]`.
    @discardableResult
    func fire(at time: Double) async throws -> [(automation: String, outcome: AutomationSender.Outcome)] {
        try await sender.fireDueJobs(now: time).map { ($0.job.automation, $0.outcome) }
    }

    /// Every message on the spool, oldest first, with its tags and bytes.
    func spooled() async throws -> [(entry: QueueEntry, text: String)] {
        var result: [(QueueEntry, String)] = []
        for entry in try await spool.inspector.list(QueueFilter(), now: .greatestFiniteMagnitude).messages {
            let bytes = try #require(try await spool.inspector.messageBytes(entry.id))
            result.append((entry, String(decoding: bytes, as: UTF8.self)))
        }
        return result
    }

    func jobs(of email: String) async throws -> [AutomationJob] {
        try await store.automationJobs(customer: email, limit: 100)
    }

    /// What Python's `email` package (policy default) reads in a message:
    /// its headers, defects, and the text of its plain part.
    static func python(_ message: String) throws -> [String: Any] {
        let script = """
            import email, email.policy, json, sys
            message = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
            text = message.get_body(preferencelist=("plain",))
            print(json.dumps({
                "subject": str(message["subject"]), "to": str(message["to"]), "message_id": str(message["message-id"]),
                "list_unsubscribe": message.get_all("list-unsubscribe"), "list_unsubscribe_post": message.get_all("list-unsubscribe-post"),
                "defects": [type(d).__name__ for d in message.defects], "text": text.get_content() if text else None,
                "auto_submitted": message.get("auto-submitted")}))
            """
        let result = try ExternalProcess.runBlocking("python3", ["-c", script], input: Array(message.utf8))
        guard result.status == 0 else { throw ParseFailure(text: result.error) }
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output)) as? [String: Any])
    }

    struct ParseFailure: Error {
        var text: String
    }
}

extension AutomationSender.Outcome {
    var isSent: Bool {
        if case .sent = self { return true }
        return false
    }
}
