public import Automations
public import ShopStore
import Synchronization

/// The notification switches in force, shared by the intake path (which
/// reads them for every template message) and the API and console (which
/// change them): a change takes effect with the next message, no restart.
/// The store keeps them across restarts; this holds the current copy.
/// The marketing automations' settings likewise: the planner and the
/// sender read them for every event and job; and the coupon of each email.
public final class ShopSwitches: Sendable {
    private let value: Mutex<NotificationSwitches>
    private let marketing: Mutex<AutomationSettings>
    private let couponRules: Mutex<[String: CouponPolicy]>

    public init(
        _ switches: NotificationSwitches, automations: AutomationSettings = AutomationSettings(enabled: false),
        coupons: [String: CouponPolicy] = [:]
    ) {
        value = Mutex(switches)
        marketing = Mutex(automations)
        couponRules = Mutex(coupons)
    }

    /// The coupon each template key carries, by key.
    public var coupons: [String: CouponPolicy] {
        couponRules.withLock { $0 }
    }

    public func setCoupons(_ policies: [String: CouponPolicy]) {
        couponRules.withLock { $0 = policies }
    }

    public var automations: AutomationSettings {
        marketing.withLock { $0 }
    }

    public func setAutomations(_ settings: AutomationSettings) {
        marketing.withLock { $0 = settings }
    }

    public var current: NotificationSwitches {
        value.withLock { $0 }
    }

    public func set(_ switches: NotificationSwitches) {
        value.withLock { $0 = switches }
    }
}
