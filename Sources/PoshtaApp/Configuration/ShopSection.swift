public import Foundation

/// `[shop]`: who the shop's mails come from and what they show, and where
/// its templates are.
public struct ShopSection: Sendable, Equatable {
    /// The shop's name, in mails and as the From display name (key `name`, default "Shop").
    public var name: String
    /// The storefront (key `url`, default "https://" + `[server] hostname`).
    public var url: String
    /// A logo for the HTML layout, 200 px wide or so (key `logo_url`, default none).
    public var logoURL: String?
    /// The address rendered mails come from (key `from`, default "shop@" + hostname).
    public var from: String
    /// The company address customers may write to; feedback requests go here
    /// (key `email`, default `from`).
    public var email: String
    public var phone: String?
    /// The postal address for the footer (key `address`).
    public var address: String?
    /// ISO 4217 currency of amounts that do not name theirs (key `currency`, default "EUR").
    public var currency: String
    /// The locale when the message and the customer say none (key `default_locale`, default "en").
    public var defaultLocale: String
    /// Where administrator notifications go when the shop names no recipient (key `admin_emails`).
    public var adminEmails: [String]
    /// A product's page in the shop's admin, `{sku}` standing for the sku
    /// (key `admin_product_url`, e.g. "https://shop.example/admin/products/{sku}";
    /// default none: stock alerts link the product's own page).
    public var adminProductURL: String?
    /// The templates folder, absolute (key `templates`, default "templates" beside this file).
    public var templates: String
    /// Where the shop sends its events (X-Shop-Event), recorded for the
    /// automations and not delivered (key `events_address`, default "events@" + hostname).
    public var eventsAddress: String
    /// The shop store (catalog, coupons, …), absolute (key `store`, default `store.sqlite` in the spool folder).
    public var store: String
    /// Where the shop's clock hangs, for the automations' quiet hours (key
    /// `time_zone`, an IANA name like "Europe/Sofia"; default the machine's).
    public var timeZone: TimeZone
}

extension ShopSection {
    static let keys = [
        "name", "url", "logo_url", "from", "email", "phone", "address", "currency", "default_locale", "admin_emails",
        "admin_product_url", "templates", "store", "events_address", "time_zone",
    ]

    init(reading reader: TOMLTableReader, hostname: String, spool: String) throws(ConfigurationError) {
        try reader.checkKeys(Self.keys, in: "[shop]")
        name = try reader.nonEmptyString("name", default: "Shop")
        url = try reader.nonEmptyString("url", default: "https://\(hostname)")
        logoURL = try reader.string("logo_url").flatMap { $0.isEmpty ? nil : $0 }
        from = try reader.nonEmptyString("from", default: "shop@\(hostname)")
        guard Self.isAddress(from) else {
            throw reader.error("from", "\"\(from)\" is not an address like shop@example.com")
        }
        email = try reader.nonEmptyString("email", default: from)
        guard Self.isAddress(email) else {
            throw reader.error("email", "\"\(email)\" is not an address like hello@example.com")
        }
        phone = try reader.string("phone").flatMap { $0.isEmpty ? nil : $0 }
        address = try reader.string("address").flatMap { $0.isEmpty ? nil : $0 }
        currency = try reader.nonEmptyString("currency", default: "EUR").uppercased()
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw reader.error("currency", "\"\(currency)\" is not an ISO 4217 code like BGN, EUR or MKD")
        }
        defaultLocale = try reader.nonEmptyString("default_locale", default: "en").lowercased()
        var admins: [String] = []
        for entry in try reader.stringArray("admin_emails") ?? [] {
            guard Self.isAddress(entry.value) else {
                throw reader.context.error(entry.path, "\"\(entry.value)\" is not an address")
            }
            admins.append(entry.value)
        }
        adminEmails = admins
        adminProductURL = try reader.string("admin_product_url").flatMap { $0.isEmpty ? nil : $0 }
        templates = try reader.path("templates", default: "templates")
        store = try reader.optionalPath("store") ?? "\(spool)/store.sqlite"
        eventsAddress = try reader.nonEmptyString("events_address", default: "events@\(hostname)")
        guard Self.isAddress(eventsAddress) else {
            throw reader.error("events_address", "\"\(eventsAddress)\" is not an address like events@shop.example")
        }
        if let name = try reader.string("time_zone") {
            guard let zone = TimeZone(identifier: name) else {
                throw reader.error("time_zone", "\"\(name)\" is not a time zone; expected an IANA name like Europe/Sofia or UTC")
            }
            timeZone = zone
        } else {
            timeZone = .current
        }
    }

    /// local@domain, ASCII, no spaces: enough to catch a slip in the file.
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && text.allSatisfy { $0.isASCII && !$0.isWhitespace && $0 != "<" && $0 != ">" }
    }
}
