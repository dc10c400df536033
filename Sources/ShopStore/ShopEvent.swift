/// Something that happened in the shop (`cart.updated`, `favorites.added`,
/// `order.placed`, `order.status_changed`, `stock.changed`, …), sent to the
/// events address and kept for the automations, which act on it later.
public struct ShopEvent: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: String
    /// The event's JSON object, as the shop sent it.
    public var data: String
    /// The customer it is about, when the data names one.
    public var customer: String?
    public var time: Double

    public init(id: Int64, name: String, data: String, customer: String?, time: Double) {
        self.id = id
        self.name = name
        self.data = data
        self.customer = customer
        self.time = time
    }
}
