public import Automations
public import ShopStore

/// What the shop's configuration says about its mails: who they come from,
/// the owner's switches, the coupon of each key.
public struct ShopMailSettings: Sendable {
    public var fromAddress: String
    public var fromName: String
    public var hostname: String
    /// The owner's switches as the configuration gives them; the ones in
    /// force are the transformer's `switches` (the store's, once saved).
    public var notifications: NotificationSwitches
    public var coupons: [String: CouponPolicy]
    /// Where the shop sends its events (`X-Shop-Event`); they are recorded, not delivered.
    public var eventsAddress: String
    /// Where administrator notifications go when the shop names no one
    /// (over SMTP: addressed to the events address; over the API: no `to`).
    public var adminEmails: [String]
    /// A product's admin page, `{sku}` for the sku (`[shop] admin_product_url`), for stock alerts.
    public var adminProductURL: String?
    /// `[marketing]`: which automations the shop's events schedule.
    public var automations: AutomationSettings
    /// Mail to `local+TOKEN@domain` of this mailbox unsubscribes the token's address.
    public var unsubscribeMailbox: String
    /// Signs and reads the unsubscribe tokens; nil while marketing is off.
    public var unsubscribeTokens: UnsubscribeTokens?
    /// The public one-click page (`[marketing] unsubscribe_url`): a link is this, `/`, the token.
    public var unsubscribeURL: String

    public init(
        fromAddress: String, fromName: String, hostname: String,
        notifications: NotificationSwitches = NotificationSwitches(), coupons: [String: CouponPolicy] = [:], eventsAddress: String? = nil, adminEmails: [String] = [],
        adminProductURL: String? = nil, automations: AutomationSettings = AutomationSettings(enabled: false),
        unsubscribeMailbox: String? = nil, unsubscribeTokens: UnsubscribeTokens? = nil, unsubscribeURL: String? = nil
    ) {
        self.unsubscribeURL = unsubscribeURL ?? "https://\(hostname)/unsubscribe"
        self.unsubscribeMailbox = unsubscribeMailbox ?? "unsubscribe@\(hostname)"
        self.unsubscribeTokens = unsubscribeTokens
        self.adminProductURL = adminProductURL
        self.automations = automations
        self.adminEmails = adminEmails
        self.eventsAddress = eventsAddress ?? "events@\(hostname)"
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.hostname = hostname
        self.notifications = notifications
        self.coupons = coupons
    }
}
