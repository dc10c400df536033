import Foundation
import Intake
import MIME
import SMTPProtocol
import ShopStore
import Templates

/// `stock.changed` events: the stock is set in the catalog, and a crossing
/// of a threshold (`StockChange.alerts`) becomes `admin_out_of_stock` or
/// `admin_low_stock` to `[shop] admin_emails`, written by Poshta itself.
///
/// The event (`ShopEventInput`) is `{"type": "stock.changed", "sku": "…",
/// "stock": 3}`, or several at once as `"items": [{"sku", "stock"}, …]`;
/// each may give the product's `admin_url`. A sku the catalog does not know
/// is logged and skipped: the event is still recorded.
extension ShopMessageTransformer {
    func stockAlerts(_ levels: [ShopEventInput.StockLevel], store: any ShopStore) async throws -> [SpawnedMessage] {
        var spawned: [SpawnedMessage] = []
        for level in levels {
            guard let change = try await store.setStock(level.sku, to: level.stock) else {
                logger.notice("stock.changed: \(level.sku) is not in the catalog; stock not kept")
                continue
            }
            for alert in change.alerts {
                if let message = stockAlert(alert, change: change, adminURL: level.adminURL) { spawned.append(message) }
            }
        }
        return spawned
    }

    /// The notification for one crossing, or nil (switched off, no admin
    /// addresses, or it cannot be rendered: each logged).
    func stockAlert(_ alert: StockChange.Alert, change: StockChange, adminURL: String?) -> SpawnedMessage? {
        let key = alert.templateKey
        let product = change.product
        if let reason = switchedOff(key, kind: .admin) {
            logger.info("\(key) for \(product.sku) not sent: \(reason)")
            return nil
        }
        let admins = settings.adminEmails.compactMap(Mailbox.init(address:))
        guard !admins.isEmpty, let sender = Mailbox(address: settings.fromAddress) else {
            logger.notice("\(key) for \(product.sku) not sent: [shop] admin_emails is empty")
            return nil
        }
        let locale = renderer.locale(for: nil)
        let pageURL = product.url ?? renderer.shop.url
        var data: [String: Any] = [
            "product": [
                "sku": product.sku, "name": product.name(in: locale), "url": pageURL,
                "admin_url": adminURL ?? settings.adminProductURL.map { $0.replacingOccurrences(of: "{sku}", with: product.sku) }
                    ?? pageURL,
            ],
            "stock": product.stock ?? 0,
        ]
        if case .lowStock(let minimum) = alert { data["min_quantity"] = minimum }
        do {
            let mail = try renderer.render(key, locale: locale, data: data)
            let content = try ShopMailComposer(hostname: settings.hostname).compose(
                mail, from: MIMEBuilder.Mailbox(settings.fromAddress, displayName: settings.fromName),
                to: admins.map { MIMEBuilder.Mailbox($0.description) })
            return SpawnedMessage(
                sender: .mailbox(sender), recipients: admins, content: content, tags: ["template": key],
                note: "template=\(key), sku=\(product.sku), stock=\(product.stock ?? 0)")
        } catch {
            logger.error("\(key) for \(product.sku) cannot be written: \(error)")
            return nil
        }
    }
}
