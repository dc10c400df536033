public import Automations
import Foundation
public import ShopStore

/// The owner's changes, from the API and the console alike: checked, kept
/// in the store, and in force for the next message — one path, so that the
/// two doors cannot drift apart.
extension ShopMessageTransformer {
    /// Changes the notification switches (`customer`, `admin`, `disabled`,
    /// `unfinished_order_reminders`, any of them). A bad change throws the
    /// `ShopEventError` that says why, and nothing changes.
    public func changeNotifications(_ change: [String: Any], in store: any ShopStore) async throws -> NotificationSwitches {
        let changed = try switches.current.merging(change, notificationKeys: Set(notificationKeys))
        try await store.saveNotificationSwitches(changed, now: Date.now.timeIntervalSince1970)
        switches.set(changed)
        return changed
    }

    /// Changes the marketing settings (`enabled`, `automations`: per key
    /// `enabled` and `delay`) over `[marketing]`; returns them as now in force.
    /// A bad change throws the `ShopEventError` that says why, and nothing changes.
    public func changeAutomations(_ change: [String: Any], in store: any ShopStore) async throws -> AutomationSettings {
        let owner = try (try await store.automationOwnerSettings() ?? AutomationOwnerSettings()).merging(change)
        try await store.saveAutomationOwnerSettings(owner, now: Date.now.timeIntervalSince1970)
        let settings = owner.applied(to: configuredAutomations)
        switches.setAutomations(settings)
        return settings
    }

    /// Sets the coupon of one template key (nil: none), over `[coupons.KEY]`.
    public func changeCoupon(of key: String, to policy: CouponPolicy?, in store: any ShopStore) async throws {
        var owner = try await store.couponOwnerSettings() ?? CouponOwnerSettings()
        owner.rules[key] = CouponOwnerSettings.Rule(policy)
        try await store.saveCouponOwnerSettings(owner, now: Date.now.timeIntervalSince1970)
        switches.setCoupons(owner.applied(to: configuredCoupons))
    }
}
