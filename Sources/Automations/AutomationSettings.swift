/// What `[marketing]` says: the master switch, each automation's switch and
/// delay, and how the related products of an order go out.
public struct AutomationSettings: Sendable, Hashable {
    /// `order_related`: added to the order confirmation itself, or a mail of its own.
    public enum OrderRelatedMode: String, Sendable, CaseIterable {
        case merge, separate
    }

    /// `[marketing] enabled`: no automation schedules anything while false.
    public var enabled: Bool
    /// Automations switched off one by one (`[marketing.KEY] enabled = false`).
    public var disabled: Set<Automation>
    /// `[marketing.KEY] delay`; the default delay otherwise.
    public var delays: [Automation: AutomationDelay]
    public var orderRelatedMode: OrderRelatedMode

    public init(
        enabled: Bool, disabled: Set<Automation> = [], delays: [Automation: AutomationDelay] = [:],
        orderRelatedMode: OrderRelatedMode = .merge
    ) {
        self.enabled = enabled
        self.disabled = disabled
        self.delays = delays
        self.orderRelatedMode = orderRelatedMode
    }

    public func isOn(_ automation: Automation) -> Bool {
        enabled && !disabled.contains(automation)
            && (automation != .orderRelated || orderRelatedMode == .separate)
    }

    public func delay(_ automation: Automation) -> AutomationDelay {
        delays[automation] ?? automation.defaultDelay
    }
}
