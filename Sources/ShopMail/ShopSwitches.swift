public import ShopStore
import Synchronization

/// The notification switches in force, shared by the intake path (which
/// reads them for every template message) and the API and console (which
/// change them): a change takes effect with the next message, no restart.
/// The store keeps them across restarts; this holds the current copy.
public final class ShopSwitches: Sendable {
    private let value: Mutex<NotificationSwitches>

    public init(_ switches: NotificationSwitches) {
        value = Mutex(switches)
    }

    public var current: NotificationSwitches {
        value.withLock { $0 }
    }

    public func set(_ switches: NotificationSwitches) {
        value.withLock { $0 = switches }
    }
}
