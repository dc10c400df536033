/// What the shop owner changed of `[marketing]` while Poshta runs (the API
/// and the console's automations page): the master switch, and per
/// automation its switch and delay. Kept in the store as JSON; applied on
/// top of the configuration at every start, so that the owner's word stands.
public struct AutomationOwnerSettings: Codable, Sendable, Hashable {
    /// One automation: switched on or off, its delay (`"3 days"`); nil keeps the configuration's.
    public struct Entry: Codable, Sendable, Hashable {
        public var enabled: Bool?
        public var delay: String?

        public init(enabled: Bool? = nil, delay: String? = nil) {
            self.enabled = enabled
            self.delay = delay
        }
    }

    public var enabled: Bool?
    public var automations: [String: Entry]

    public init(enabled: Bool? = nil, automations: [String: Entry] = [:]) {
        self.enabled = enabled
        self.automations = automations
    }

    /// `settings` with the owner's changes; delays that no longer read are left out.
    public func applied(to settings: AutomationSettings) -> AutomationSettings {
        var result = settings
        if let enabled { result.enabled = enabled }
        for (key, entry) in automations {
            guard let automation = Automation(rawValue: key) else { continue }
            if let on = entry.enabled {
                if on { result.disabled.remove(automation) } else { result.disabled.insert(automation) }
            }
            if let text = entry.delay, let delay = AutomationDelay(parsing: text) { result.delays[automation] = delay }
        }
        return result
    }
}
