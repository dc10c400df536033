/// A customer's cart as the shop last described it (`cart.updated`): what
/// the abandoned-cart mail shows when it goes, and where to finish.
public struct Cart: Codable, Sendable, Hashable {
    public var id: String
    public var customer: String
    public var items: [Order.Item]
    public var checkoutURL: String?
    /// Seconds since 1970 of the last change.
    public var updated: Double

    public init(id: String, customer: String, items: [Order.Item], checkoutURL: String?, updated: Double) {
        self.id = id
        self.customer = customer.lowercased()
        self.items = items
        self.checkoutURL = checkoutURL
        self.updated = updated
    }
}
