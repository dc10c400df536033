/// An order as the shop's mails describe it: who placed it, what is in it,
/// where it stands. Kept for `X-Shop-Order` enrichment and the automations
/// (feedback requests, loyalty, win-back).
public struct Order: Codable, Sendable, Hashable {
    /// One line of the order.
    public struct Item: Codable, Sendable, Hashable {
        public var sku: String
        public var name: String?
        public var quantity: Int
        public var price: Double?

        public init(sku: String, name: String? = nil, quantity: Int = 1, price: Double? = nil) {
            self.sku = sku
            self.name = name
            self.quantity = quantity
            self.price = price
        }
    }

    /// The shop's order number: the key.
    public var number: String
    public var email: String
    public var items: [Item]
    public var total: Double?
    public var currency: String?
    /// The shop's word for it (`paid`, `shipped`, `Платена` …).
    public var status: String?
    /// Seconds since 1970 when it was placed.
    public var placed: Double

    public init(
        number: String, email: String, items: [Item], total: Double? = nil, currency: String? = nil,
        status: String? = nil, placed: Double
    ) {
        self.number = number
        self.email = email.lowercased()
        self.items = items
        self.total = total
        self.currency = currency
        self.status = status
        self.placed = placed
    }
}
