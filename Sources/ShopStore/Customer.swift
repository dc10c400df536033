/// A customer as Poshta knows them from the shop's mail and events: the
/// address mail goes to, the name it is addressed with, the locale it is
/// written in, and what the automations need of their orders.
public struct Customer: Codable, Sendable, Hashable {
    /// Lower-cased: the key.
    public var email: String
    public var name: String?
    /// `bg`, `mk`, `en` … the templates' folder names.
    public var locale: String?
    /// Whether marketing may be sent; nil until the shop says.
    public var marketingConsent: Bool?
    public var orderCount: Int
    /// Seconds since 1970 of the latest order.
    public var lastOrder: Double?

    public init(
        email: String, name: String? = nil, locale: String? = nil, marketingConsent: Bool? = nil, orderCount: Int = 0,
        lastOrder: Double? = nil
    ) {
        self.email = email.lowercased()
        self.name = name
        self.locale = locale
        self.marketingConsent = marketingConsent
        self.orderCount = orderCount
        self.lastOrder = lastOrder
    }
}
