import ShopStore

/// `[notifications]`: the shop owner's switches — the initial values; the
/// web console changes them in the store later.
public struct NotificationsSection: Sendable, Equatable {
    /// Master switch of the customer notifications (key `customer`, default true).
    public var customer: Bool
    /// Master switch of the administrator notifications (key `admin`, default true).
    public var admin: Bool
    /// Template keys switched off one by one (key `disabled`, default none).
    public var disabled: [String]
    /// Gates `order_unfinished` (key `unfinished_order_reminders`, default false).
    public var unfinishedOrderReminders: Bool
}

extension NotificationsSection {
    /// As the shop's mail takes them (the first values of a new store).
    var switches: NotificationSwitches {
        NotificationSwitches(customer: customer, admin: admin, disabled: disabled, unfinishedOrderReminders: unfinishedOrderReminders)
    }

    static let keys = ["customer", "admin", "disabled", "unfinished_order_reminders"]

    init(reading reader: TOMLTableReader) throws(ConfigurationError) {
        try reader.checkKeys(Self.keys, in: "[notifications]")
        customer = try reader.bool("customer", default: true)
        admin = try reader.bool("admin", default: true)
        disabled = (try reader.stringArray("disabled") ?? []).map(\.value)
        unfinishedOrderReminders = try reader.bool("unfinished_order_reminders", default: false)
    }
}
