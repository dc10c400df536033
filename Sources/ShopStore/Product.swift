/// A product of the shop's catalog, as the mails show it and the rules
/// choose it.
public struct Product: Codable, Sendable, Hashable {
    public var sku: String
    /// The name per locale (`en`, `bg`, …); `name(in:)` falls back.
    public var names: [String: String]
    /// In the shop's currency units (e.g. 12.90).
    public var price: Double
    public var oldPrice: Double?
    /// ISO 4217.
    public var currency: String
    public var url: String?
    public var imageURL: String?
    /// Category names, e.g. `Storefront`, `Tea`.
    public var categories: [String]
    /// Up to three products the shop assigned by hand.
    public var related: [String]
    public var stock: Int?
    /// Out-of-stock mails only for products that track inventory.
    public var trackInventory: Bool
    /// A low-stock mail when stock falls to this or below.
    public var minQuantity: Int?
    /// For "best sellers first".
    public var unitsSold: Int
    /// Inactive products are never shown in a mail.
    public var active: Bool

    public init(
        sku: String, names: [String: String], price: Double, oldPrice: Double? = nil, currency: String,
        url: String? = nil, imageURL: String? = nil, categories: [String] = [], related: [String] = [],
        stock: Int? = nil, trackInventory: Bool = false, minQuantity: Int? = nil, unitsSold: Int = 0,
        active: Bool = true
    ) {
        self.sku = sku
        self.names = names
        self.price = price
        self.oldPrice = oldPrice
        self.currency = currency
        self.url = url
        self.imageURL = imageURL
        self.categories = categories
        self.related = related
        self.stock = stock
        self.trackInventory = trackInventory
        self.minQuantity = minQuantity
        self.unitsSold = unitsSold
        self.active = active
    }

    /// The name in `locale`, else in English, else any.
    public func name(in locale: String) -> String {
        names[locale] ?? names["en"] ?? names.values.sorted().first ?? sku
    }
}
