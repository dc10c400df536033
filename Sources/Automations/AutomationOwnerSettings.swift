import Foundation
public import ShopStore

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

    /// Takes in a change as the API sends it — `{"enabled": …, "automations":
    /// {"KEY": {"enabled": …, "delay": "3 days"}}}` — or throws the sentence
    /// saying what is wrong, changing nothing.
    public func merging(_ object: [String: Any]) throws(ShopEventError) -> AutomationOwnerSettings {
        var result = self
        for (name, value) in object {
            switch name {
            case "enabled":
                guard let flag = ShopEventInput.flag(value) else { throw ShopEventError("\"enabled\" is true or false") }
                result.enabled = flag
            case "automations":
                guard let entries = value as? [String: Any] else { throw ShopEventError("\"automations\" is an object by automation key") }
                for (key, entry) in entries {
                    guard Automation(rawValue: key) != nil else {
                        throw ShopEventError("no automation is called \(key); they are \(Automation.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    guard let fields = entry as? [String: Any] else { throw ShopEventError("\(key): an object with enabled and/or delay") }
                    result.automations[key] = try (result.automations[key] ?? Entry()).merging(fields, key: key)
                }
            default:
                throw ShopEventError("unknown field \"\(name)\"; the fields are enabled and automations")
            }
        }
        return result
    }
}

extension AutomationOwnerSettings.Entry {
    func merging(_ fields: [String: Any], key: String) throws(ShopEventError) -> Self {
        var result = self
        for (field, value) in fields {
            switch field {
            case "enabled":
                guard let flag = ShopEventInput.flag(value) else { throw ShopEventError("\(key).enabled is true or false") }
                result.enabled = flag
            case "delay":
                guard let text = value as? String, AutomationDelay(parsing: text) != nil else {
                    throw ShopEventError("\(key).delay is not a delay; expected e.g. \"2 hours\", \"3 days\", \"6mo\"")
                }
                result.delay = text
            default:
                throw ShopEventError("\(key): unknown field \"\(field)\"; the fields are enabled and delay")
            }
        }
        return result
    }
}

extension ShopStore {
    /// The owner's changes to `[marketing]` as saved (owner setting `marketing`); nil until the first.
    public func automationOwnerSettings() async throws -> AutomationOwnerSettings? {
        guard let json = try await ownerSetting("marketing") else { return nil }
        return try JSONDecoder().decode(AutomationOwnerSettings.self, from: Data(json.utf8))
    }

    public func saveAutomationOwnerSettings(_ settings: AutomationOwnerSettings, now: Double) async throws {
        try await saveOwnerSetting("marketing", json: String(decoding: try JSONEncoder().encode(settings), as: UTF8.self), now: now)
    }
}
