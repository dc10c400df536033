import Foundation
import Testing

@testable import ShopStore

/// The shop's events, checked field by field: each type's good form, and
/// each mistake named.
@Suite("ShopEventInput: events checked before anything is stored")
struct ShopEventInputTests {
    func event(_ json: String) throws(ShopEventError) -> ShopEventInput {
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
        return try ShopEventInput(name: object["type"] as? String ?? "", object)
    }

    @Test("every type in its good form, with what the store learns")
    func goodForms() throws {
        let cart = try event(#"{"type": "cart.updated", "id": "e-1", "time": "2026-11-23T10:00:00+02:00", "email": "Maria@Example.BG", "cart_id": "c-7", "items": [{"sku": "S1", "quantity": 1, "price": "9.90"}], "checkout_url": "https://shop.example/c/7"}"#)
        #expect(cart.kind == .cartUpdated && cart.id == "e-1" && cart.email == "maria@example.bg")
        #expect(cart.time == 1_795_420_800)
        #expect(try event(#"{"type": "cart.cleared", "cart_id": "c-7"}"#).kind == .cartCleared)
        #expect(try event(#"{"type": "favorites.added", "email": "a@example.com", "items": [{"sku": "S1"}]}"#).kind == .favoritesAdded)
        let order = try event(#"{"type": "order.placed", "number": 1042, "email": "a@example.com", "items": [{"sku": "S1", "quantity": 2, "price": 9.5}], "total": 19, "currency": "BGN", "time": "2026-11-20T08:00:00Z"}"#)
        #expect(order.order == Order(number: "1042", email: "a@example.com", items: [.init(sku: "S1", quantity: 2, price: 9.5)], total: 19, currency: "BGN", status: "placed", placed: 1_795_161_600))
        let status = try event(#"{"type": "order.status_changed", "number": "1042", "status": "shipped"}"#)
        #expect(status.orderStatus?.number == "1042" && status.orderStatus?.status == "shipped")
        let registered = try event(#"{"type": "customer.registered", "email": "a@example.com", "name": "Ана", "locale": "MK", "marketing": true}"#)
        #expect(registered.customer == Customer(email: "a@example.com", name: "Ана", locale: "mk", marketingConsent: true))
        #expect(try event(#"{"type": "customer.consent", "email": "a@example.com", "marketing": false}"#).customer?.marketingConsent == false)
        let stock = try event(#"{"type": "stock.changed", "items": [{"sku": "S1", "stock": 0}, {"sku": "S2", "stock": 4, "admin_url": "https://x/2"}]}"#)
        #expect(stock.stock == [.init(sku: "S1", stock: 0, adminURL: nil), .init(sku: "S2", stock: 4, adminURL: "https://x/2")])
        #expect(try event(#"{"type": "stock.changed", "sku": "S1", "stock": 3}"#).stock.map(\.stock) == [3])
    }

    @Test("each mistake is named", arguments: [
        (#"{"type": "cart.exploded"}"#, "unknown event type \"cart.exploded\"; the types are cart.updated, cart.cleared"),
        (#"{"type": "cart.updated", "cart_id": "c", "items": [{"sku": "S"}]}"#, "cart.updated needs \"email\""),
        (#"{"type": "cart.updated", "email": "nobody", "cart_id": "c", "items": [{"sku": "S"}]}"#, "\"email\" \"nobody\" is not an address"),
        (#"{"type": "cart.updated", "email": "a@example.com", "items": [{"sku": "S"}]}"#, "cart.updated needs \"cart_id\""),
        (#"{"type": "cart.updated", "email": "a@example.com", "cart_id": "c", "items": [{"sku": "S"}, {"quantity": 1}]}"#, "\"items\"[1].sku is missing"),
        (#"{"type": "favorites.added", "email": "a@example.com", "items": []}"#, "favorites.added needs \"items\""),
        (#"{"type": "order.placed", "email": "a@example.com", "items": [{"sku": "S"}], "number": "1", "time": "yesterday"}"#, "\"time\" \"yesterday\" is not an RFC 3339 time"),
        (#"{"type": "order.placed", "email": "a@example.com", "items": [{"sku": "S"}], "number": "1", "total": "lots"}"#, "\"total\" is not an amount"),
        (#"{"type": "order.status_changed", "number": "1"}"#, "order.status_changed needs \"status\""),
        (#"{"type": "customer.consent", "email": "a@example.com"}"#, "customer.consent needs \"marketing\": true or false"),
        (#"{"type": "customer.consent", "email": "a@example.com", "marketing": 1}"#, "\"marketing\" is not true or false"),
        (#"{"type": "stock.changed", "sku": "S1", "stock": 2.5}"#, "\"stock\" of S1 is missing or not a whole number"),
        (#"{"type": "stock.changed", "items": [{"stock": 2}]}"#, "\"items\"[0].sku is missing"),
    ])
    func mistakes(_ json: String, _ expected: String) {
        do {
            _ = try event(json)
            Issue.record("accepted: \(json)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }
}
