import Automations
import Foundation
import ShopStore

/// What a template message tells the store: an order confirmation is the
/// order (for `X-Shop-Order` and the automations), a shipping or status
/// mail moves it on, and the customer's name and chosen locale are kept so
/// that later mail finds them. Written with the mail's coupon in one
/// transaction (`ShopStore.record(_:)`), before the mail is rendered.
extension ShopMessageTransformer {
    /// Keys whose data is a newly placed order.
    static let orderConfirmations: Set<String> = ["order_paid", "order_bank_transfer", "order_cash_on_delivery"]
    /// Keys that change an order's status, and the status when the data gives none.
    static let statusChanges: [String: String] = ["order_shipped": "shipped", "order_status_changed": "changed"]

    /// What a template message tells the store: the order it confirms or
    /// moves on, the customer's name and chosen locale.
    func facts(_ key: String, data: [String: Any], recipient: String, locale: String?) -> MailFacts {
        var facts = MailFacts(now: Date.now.timeIntervalSince1970)
        guard !recipient.isEmpty else { return facts }
        let customer = data["customer"] as? [String: Any]
        let email = (customer?["email"] as? String) ?? recipient
        let chosen = locale?.trimmingCharacters(in: .whitespaces).lowercased()
        if customer?["name"] != nil || chosen?.isEmpty == false {
            facts.customer = Customer(
                email: email, name: customer?["name"] as? String, locale: chosen.flatMap { $0.isEmpty ? nil : $0 })
        }
        guard let order = data["order"] as? [String: Any], let number = order["number"].map({ "\($0)" }) else { return facts }
        if Self.orderConfirmations.contains(key) {
            let items = (order["items"] as? [[String: Any]] ?? []).filter { $0["sku"] != nil }.map(ShopEventInput.line)
            let placed = (order["date"] as? String).flatMap { try? Date($0, strategy: .iso8601) } ?? Date.now
            let kept = Order(
                number: number, email: email, items: items, total: ShopEventInput.number(order["total"]),
                currency: order["currency"] as? String, status: order["status"] as? String ?? "placed",
                placed: placed.timeIntervalSince1970)
            facts.order = kept
            // An order confirmation is an order.placed for the automations.
            facts.jobs = planner.orderPlaced(kept, at: kept.placed)
        } else if let fallback = Self.statusChanges[key] {
            let status = order["status"] as? String ?? fallback
            facts.orderStatus = (number, status)
            // The shop's own words may be anything; the key says shipped.
            let meaning = key == "order_shipped" ? "shipped" : status
            facts.jobs = planner.statusChanged(number: number, status: meaning, customer: email, at: facts.now)
        }
        return facts
    }

    var planner: AutomationPlanner { AutomationPlanner(settings: switches.automations) }

    /// What an event writes: what it says of the customer, order, cart and
    /// favorites, and the jobs it schedules or cancels.
    func facts(of event: ShopEventInput, store: any ShopStore) async throws -> MailFacts {
        var event = event
        if event.kind == .orderStatusChanged, event.email == nil, let number = event.orderStatus?.number {
            event.email = try await store.order(number)?.email
        }
        var facts = MailFacts(
            order: event.order, orderStatus: event.orderStatus, customer: event.customer, now: Date.now.timeIntervalSince1970)
        facts.cart = event.cart
        if event.kind == .cartCleared { facts.clearedCart = event.cartID }
        if let email = event.email, !event.favorites.isEmpty {
            if event.kind == .favoritesAdded { facts.favoritesAdded = (email, event.favorites) }
            if event.kind == .favoritesRemoved { facts.favoritesRemoved = (email, event.favorites) }
        }
        facts.jobs = planner.changes(for: event, now: facts.now)
        return facts
    }
}
