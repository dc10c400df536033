/// The shop as its mails present it (`[shop]` in poshta.toml): every
/// template gets it as `shop`.
public struct ShopIdentity: Sendable, Hashable {
    public var name: String
    public var url: String
    public var logoURL: String?
    /// The company address, for replies and feedback.
    public var email: String
    public var phone: String?
    public var address: String?
    /// The currency of amounts that do not name theirs (ISO 4217).
    public var currency: String

    public init(
        name: String, url: String, logoURL: String? = nil, email: String, phone: String? = nil, address: String? = nil,
        currency: String = "BGN"
    ) {
        self.name = name
        self.url = url
        self.logoURL = logoURL
        self.email = email
        self.phone = phone
        self.address = address
        self.currency = currency
    }

    /// As the templates see it.
    var context: [String: Any] {
        var shop: [String: Any] = ["name": name, "url": url, "email": email, "currency": currency]
        if let logoURL { shop["logo_url"] = logoURL }
        if let phone { shop["phone"] = phone }
        if let address { shop["address"] = address }
        return shop
    }
}
