/// The shop owner's notification switches (DESIGN.md's customer and
/// administrator lists): the two master switches, the keys switched off
/// one by one, and whether unfinished-order reminders go. `[notifications]`
/// gives the first values; once in the store, the store's are the ones in
/// force, changed by the API and the console without a restart.
public struct NotificationSwitches: Codable, Sendable, Hashable {
    public var customer: Bool
    public var admin: Bool
    /// Template keys switched off, sorted.
    public var disabled: [String]
    public var unfinishedOrderReminders: Bool

    public init(customer: Bool = true, admin: Bool = true, disabled: [String] = [], unfinishedOrderReminders: Bool = false) {
        self.customer = customer
        self.admin = admin
        self.disabled = Array(Set(disabled)).sorted()
        self.unfinishedOrderReminders = unfinishedOrderReminders
    }

    /// Takes in a change as the API sends it (`customer`, `admin`,
    /// `disabled`, `unfinished_order_reminders`, any of them), or throws the
    /// sentence saying what is wrong, changing nothing. `disabled` may name
    /// only `notificationKeys`.
    public func merging(_ object: [String: Any], notificationKeys: Set<String>) throws(ShopEventError) -> NotificationSwitches {
        var result = self
        for (name, value) in object {
            switch name {
            case "customer", "admin", "unfinished_order_reminders":
                guard let flag = ShopEventInput.flag(value) else { throw ShopEventError("\"\(name)\" is true or false") }
                if name == "customer" { result.customer = flag }
                if name == "admin" { result.admin = flag }
                if name == "unfinished_order_reminders" { result.unfinishedOrderReminders = flag }
            case "disabled":
                guard let keys = value as? [String] else { throw ShopEventError("\"disabled\" is a list of template keys") }
                if let unknown = keys.first(where: { !notificationKeys.contains($0) }) {
                    throw ShopEventError("\"\(unknown)\" is not a notification's template key; they are listed in docs/templates.md")
                }
                result.disabled = Array(Set(keys)).sorted()
            default:
                throw ShopEventError("unknown field \"\(name)\"; the fields are customer, admin, disabled, unfinished_order_reminders")
            }
        }
        return result
    }
}
