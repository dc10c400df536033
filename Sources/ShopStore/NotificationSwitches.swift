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
}
