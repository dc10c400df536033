public import Automations
import Foundation
import HTTPListener
import HTTPTypes
import Hummingbird
public import Logging
public import NIOCore
public import ServiceLifecycle
import ShopStore

/// The public one-click unsubscribe page of the marketing mails (RFC 8058):
/// `POST /u/TOKEN` — what Gmail and Yahoo send for `List-Unsubscribe-Post:
/// List-Unsubscribe=One-Click`, and what the page's button sends —
/// suppresses the address at once (its scheduled automation jobs are
/// cancelled in the same transaction, its queued marketing mail removed); `GET /u/TOKEN` shows the page with
/// that button, and changes nothing, since link checkers follow links.
///
/// It listens on `[marketing] unsubscribe_address`; the shop's web server
/// forwards its public URL (`[marketing] unsubscribe_url`) here.
public struct UnsubscribeServer: Service {
    private let listener: HTTPListener

    public init(
        host: String, port: Int, tokens: UnsubscribeTokens, suppression: SuppressionList, shopName: String, logger: Logger,
        onListening: @escaping @Sendable (SocketAddress) -> Void
    ) {
        let store = suppression.store
        let router = Router(context: PoshtaRequestContext.self)
        router.get("/u/{token}") { _, context in
            let token = context.parameters.get("token") ?? ""
            guard let email = tokens.email(in: token) else { return Self.page(.unknown, shop: shopName, locale: nil) }
            let customer = try await store.customer(email)
            if try await store.isSuppressed(email) { return Self.page(.done, shop: shopName, locale: customer?.locale) }
            return Self.page(.confirm(email: email), shop: shopName, locale: customer?.locale)
        }
        router.post("/u/{token}") { _, context in
            let token = context.parameters.get("token") ?? ""
            guard let email = tokens.email(in: token) else { return Self.page(.unknown, shop: shopName, locale: nil) }
            try await suppression.suppress(email, reason: "one-click unsubscribe", now: Date.now.timeIntervalSince1970)
            logger.notice("unsubscribed <\(email)> (one-click): no more marketing mail, scheduled jobs cancelled")
            return Self.page(.done, shop: shopName, locale: try await store.customer(email)?.locale)
        }
        listener = HTTPListener(
            router: router, host: host, port: port, serving: "the unsubscribe page",
            configurationKey: "[marketing] unsubscribe_address", logger: logger, onListening: onListening)
    }

    public func run() async throws {
        try await listener.run()
    }

    static func page(_ page: UnsubscribePage, shop: String, locale: String?) -> Response {
        Response(
            status: page.status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: page.html(shop: shop, locale: locale))))
    }
}
