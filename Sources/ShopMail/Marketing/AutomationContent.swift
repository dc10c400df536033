import Automations
import Foundation
import ShopStore

/// What an automation's mail shows, from what the store held when the job
/// fired (`AutomationContext`) — the cart as it is now, the favorites not bought since, the
/// catalog's current names and prices — in the shape docs/templates.md
/// gives each key. Nothing to show (the cart emptied, the order unknown)
/// is a reason to skip the job, not an error.
extension ShopMessageTransformer {
    /// The data for the job's template, or why there is nothing to send.
    enum JobContent {
        case data([String: Any])
        case nothing(String)
    }

    func content(of job: AutomationJob, automation: Automation, context: AutomationContext, locale: String) -> JobContent {
        var person: [String: Any] = ["email": job.customer]
        if let name = context.customer?.name, !name.isEmpty { person["name"] = name }
        var data: [String: Any] = ["customer": person]
        switch automation {
        case .abandonedCart:
            guard let cart = context.cart, !cart.items.isEmpty else {
                return .nothing("cart \(job.subject) is empty or gone")
            }
            let lines = self.lines(cart.items, locale: locale, products: context.products)
            data["cart"] = [
                "items": lines, "total": Self.sum(lines), "currency": renderer.shop.currency,
                "checkout_url": cart.checkoutURL ?? renderer.shop.url,
            ]
        case .favoritesReminder:
            var cards: [[String: Any]] = []
            for sku in context.favorites {
                if let product = context.products[sku], product.active { cards.append(Self.card(product, locale: locale)) }
            }
            guard !cards.isEmpty else { return .nothing("no favorites left that the shop still sells") }
            data["favorite_products"] = cards
        case .orderRelated, .feedbackRequest, .purchaseAnniversary:
            guard let order = context.order else { return .nothing("order \(job.subject) is unknown") }
            data["order"] = orderData(order, locale: locale, products: context.products)
            if automation == .feedbackRequest { data["feedback_email"] = renderer.shop.email }
        case .loyaltyThanks:
            let count = context.customer?.orderCount ?? 0
            guard count >= 2 else { return .nothing("\(count) order(s): thanks come from the second on") }
            data["order_count"] = count
        case .inactiveReminder:
            guard let order = context.latestOrder else { return .nothing("no order to remind of") }
            data["last_order"] = orderData(order, locale: locale, products: context.products)
        }
        return .data(data)
    }

    /// An order as the templates take it (docs/templates.md, "order").
    func orderData(_ order: Order, locale: String, products: [String: Product]) -> [String: Any] {
        let lines = self.lines(order.items, locale: locale, products: products)
        let subtotal = Self.sum(lines)
        var data: [String: Any] = [
            "number": order.number, "date": Date(timeIntervalSince1970: order.placed).formatted(.iso8601),
            "items": lines, "subtotal": subtotal, "total": order.total ?? subtotal,
            "currency": order.currency ?? renderer.shop.currency,
        ]
        if let status = order.status { data["status"] = status }
        return data
    }

    /// Order or cart lines with the catalog's name, price, page and picture
    /// where the shop's line left them out.
    func lines(_ items: [Order.Item], locale: String, products: [String: Product]) -> [[String: Any]] {
        var lines: [[String: Any]] = []
        for item in items {
            let product = products[item.sku]
            let price = item.price ?? product?.price ?? 0
            var line: [String: Any] = [
                "sku": item.sku, "name": item.name ?? product?.name(in: locale) ?? item.sku, "quantity": item.quantity,
                "price": price, "total": price * Double(item.quantity),
            ]
            if let url = product?.url { line["url"] = url }
            if let image = product?.imageURL { line["image_url"] = image }
            lines.append(line)
        }
        return lines
    }

    static func sum(_ lines: [[String: Any]]) -> Double {
        // In cents, so that 0.1 + 0.2 adds up to 0.30 on the page.
        let cents = lines.reduce(0) { $0 + (($1["total"] as? Double ?? 0) * 100).rounded() }
        return cents / 100
    }
}
