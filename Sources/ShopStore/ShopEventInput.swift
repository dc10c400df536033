import Foundation

/// An event as the shop sends it (over SMTP to the events address, or
/// `POST /v1/events`), checked field by field: one JSON object with `type`,
/// an optional `id` (a repeated id is harmless), an optional `time` (RFC
/// 3339), `email` where the type is about a customer, and the type's own
/// fields. What the store learns from it comes out ready to write.
public struct ShopEventInput: Sendable {
    /// The events Poshta knows.
    public enum Kind: String, Sendable, CaseIterable {
        case cartUpdated = "cart.updated"
        case cartCleared = "cart.cleared"
        case favoritesAdded = "favorites.added"
        case favoritesRemoved = "favorites.removed"
        case orderPlaced = "order.placed"
        case orderStatusChanged = "order.status_changed"
        case customerRegistered = "customer.registered"
        case customerConsent = "customer.consent"
        case stockChanged = "stock.changed"
    }

    /// A stock level of one product.
    public struct StockLevel: Sendable, Hashable {
        public var sku: String
        public var stock: Int
        public var adminURL: String?
    }

    public var kind: Kind
    /// The shop's id of the event; nil when it gave none.
    public var id: String?
    /// When it happened (seconds since 1970); nil: when it arrived.
    public var time: Double?
    /// The customer it is about, lower-cased.
    public var email: String?
    /// What the store learns of the customer, the order, the stock.
    public var customer: Customer?
    public var order: Order?
    public var orderStatus: (number: String, status: String)?
    public var stock: [StockLevel] = []
    /// `cart.updated` / `cart.cleared`: the cart's id; `cart.updated` also its contents.
    public var cartID: String?
    public var cart: Cart?
    /// `favorites.added` / `favorites.removed`: the products.
    public var favorites: [String] = []

    /// Checks `object` as an event of type `name`; the error names the field.
    public init(name: String, _ object: [String: Any]) throws(ShopEventError) {
        guard let kind = Kind(rawValue: name) else {
            throw ShopEventError(
                "unknown event type \"\(name.prefix(64))\"; the types are "
                    + Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.kind = kind
        let reader = Reader(object: object, context: name)
        id = try reader.optionalText("id")
        if let text = try reader.optionalText("time") {
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw ShopEventError("\(name): \"time\" \"\(text.prefix(40))\" is not an RFC 3339 time like 2026-11-23T10:42:00+02:00")
            }
            time = date.timeIntervalSince1970
        }
        switch kind {
        case .cartUpdated:
            let email = try reader.email()
            self.email = email
            let id = try reader.text("cart_id")
            cartID = id
            let items = try reader.items("items", needsSKU: true).map(Self.line)
            cart = Cart(
                id: id, customer: email, items: items, checkoutURL: try reader.optionalText("checkout_url"),
                updated: time ?? Date.now.timeIntervalSince1970)
        case .cartCleared:
            cartID = try reader.text("cart_id")
            email = try reader.optionalEmail()
        case .favoritesAdded, .favoritesRemoved:
            email = try reader.email()
            favorites = try reader.items("items", needsSKU: true).map { "\($0["sku"]!)" }
        case .orderPlaced:
            let email = try reader.email()
            self.email = email
            let number = try reader.text("number")
            let items = try reader.items("items", needsSKU: true).map(Self.line)
            order = Order(
                number: number, email: email, items: items, total: try reader.optionalAmount("total"),
                currency: try reader.optionalText("currency"), status: "placed", placed: time ?? Date.now.timeIntervalSince1970)
        case .orderStatusChanged:
            orderStatus = (try reader.text("number"), try reader.text("status"))
            email = try reader.optionalEmail()
        case .customerRegistered:
            let email = try reader.email()
            self.email = email
            customer = Customer(
                email: email, name: try reader.optionalText("name"), locale: try reader.optionalText("locale")?.lowercased(),
                marketingConsent: try reader.optionalFlag("marketing"))
        case .customerConsent:
            let email = try reader.email()
            self.email = email
            guard let consent = try reader.optionalFlag("marketing") else {
                throw ShopEventError("customer.consent needs \"marketing\": true or false")
            }
            customer = Customer(email: email, marketingConsent: consent)
        case .stockChanged:
            let entries = object["items"] == nil ? [object] : try reader.items("items", needsSKU: true)
            for (index, entry) in entries.enumerated() {
                let place = object["items"] == nil ? "" : "\"items\"[\(index)]."
                guard let sku = entry["sku"].map({ "\($0)" }), !sku.isEmpty else {
                    throw ShopEventError("stock.changed: \(place)\"sku\" is missing")
                }
                guard let stock = Reader.number(entry["stock"]), stock == stock.rounded() else {
                    throw ShopEventError("stock.changed: \(place)\"stock\" of \(sku) is missing or not a whole number")
                }
                self.stock.append(StockLevel(sku: sku, stock: Int(stock), adminURL: entry["admin_url"] as? String))
            }
        }
    }

    /// An order or cart line from its JSON object (the sku is checked already):
    /// also what template messages say of their order's lines.
    public static func line(_ object: [String: Any]) -> Order.Item {
        Order.Item(
            sku: object["sku"].map { "\($0)" } ?? "", name: object["name"] as? String,
            quantity: Reader.number(object["quantity"]).map { Int($0) } ?? 1, price: Reader.number(object["price"]))
    }

    /// A JSON number (or a numeric string) as a Double; nil for anything
    /// else, booleans included.
    public static func number(_ value: Any?) -> Double? { Reader.number(value) }

    /// A JSON `true` or `false` (from JSONSerialization, or a Swift Bool);
    /// nil for anything else, 0 and 1 included.
    public static func flag(_ value: Any?) -> Bool? {
        switch value {
        case let value? where type(of: value) == Bool.self: value as? Bool
        case let number as NSNumber where Reader.isBoolean(number): number.boolValue
        default: nil
        }
    }

    /// Reads the fields of one event, naming the event in every error.
    struct Reader {
        let object: [String: Any]
        let context: String

        func text(_ field: String) throws(ShopEventError) -> String {
            guard let value = try optionalText(field) else { throw ShopEventError("\(context) needs \"\(field)\"") }
            return value
        }

        func optionalText(_ field: String) throws(ShopEventError) -> String? {
            switch object[field] {
            case nil, is NSNull: return nil
            case let text as String:
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { throw ShopEventError("\(context): \"\(field)\" is empty") }
                return trimmed
            case let number as NSNumber where !Reader.isBoolean(number):
                return number.stringValue  // an order number sent as a number
            default:
                throw ShopEventError("\(context): \"\(field)\" is not text")
            }
        }

        func email() throws(ShopEventError) -> String {
            guard let email = try optionalEmail() else { throw ShopEventError("\(context) needs \"email\"") }
            return email
        }

        func optionalEmail() throws(ShopEventError) -> String? {
            guard let text = try optionalText("email") else { return nil }
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
                !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
            else { throw ShopEventError("\(context): \"email\" \"\(text.prefix(80))\" is not an address") }
            return text.lowercased()
        }

        func optionalFlag(_ field: String) throws(ShopEventError) -> Bool? {
            switch object[field] {
            case nil, is NSNull: return nil
            case let value:
                guard let flag = ShopEventInput.flag(value) else { throw ShopEventError("\(context): \"\(field)\" is not true or false") }
                return flag
            }
        }

        func optionalAmount(_ field: String) throws(ShopEventError) -> Double? {
            guard let value = object[field], !(value is NSNull) else { return nil }
            guard let amount = Reader.number(value) else { throw ShopEventError("\(context): \"\(field)\" is not an amount") }
            return amount
        }

        /// A non-empty list of objects, each with a `sku` when asked.
        func items(_ field: String, needsSKU: Bool) throws(ShopEventError) -> [[String: Any]] {
            guard let list = object[field] as? [Any], !list.isEmpty else {
                throw ShopEventError("\(context) needs \"\(field)\": a list of {\"sku\": …}")
            }
            var items: [[String: Any]] = []
            for (index, element) in list.enumerated() {
                guard let item = element as? [String: Any] else {
                    throw ShopEventError("\(context): \"\(field)\"[\(index)] is not an object like {\"sku\": …}")
                }
                if needsSKU, (item["sku"].map { "\($0)" } ?? "").isEmpty {
                    throw ShopEventError("\(context): \"\(field)\"[\(index)].sku is missing")
                }
                items.append(item)
            }
            return items
        }

        /// JSON's true and false arrive as NSNumber too (`as? Bool` takes
        /// 0 and 1 as well): a boolean's type code is `c`, a JSON number's never.
        static func isBoolean(_ number: NSNumber) -> Bool {
            number.objCType.pointee == CChar(UInt8(ascii: "c"))
        }

        /// A JSON number (or a numeric string) as a Double; not a boolean.
        static func number(_ value: Any?) -> Double? {
            switch value {
            case let number as NSNumber where !isBoolean(number): number.doubleValue
            case let text as String: Double(text)
            default: nil
            }
        }
    }
}

/// An event that cannot be taken; the text names the field.
public struct ShopEventError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
