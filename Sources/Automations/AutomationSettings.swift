public import Foundation

/// What `[marketing]` says: the master switch, each automation's switch and
/// delay, how the related products of an order go out, and the manners of
/// sending (consent, frequency cap, quiet hours).
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
    /// `[marketing] default_consent`: whether a customer the shop said
    /// nothing about (no `marketing` in their events) may get marketing.
    public var defaultConsent: Bool
    /// `[marketing] max_per_day`.
    public var frequencyCap: FrequencyCap
    /// `[marketing] quiet_hours`, in `timeZone`; nil: any hour.
    public var quietHours: QuietHours?
    /// The shop's time zone (`[shop] time_zone`).
    public var timeZone: TimeZone

    public init(
        enabled: Bool, disabled: Set<Automation> = [], delays: [Automation: AutomationDelay] = [:],
        orderRelatedMode: OrderRelatedMode = .merge, defaultConsent: Bool = true,
        frequencyCap: FrequencyCap = FrequencyCap(maxPerDay: 1), quietHours: QuietHours? = nil,
        timeZone: TimeZone = .current
    ) {
        self.defaultConsent = defaultConsent
        self.frequencyCap = frequencyCap
        self.quietHours = quietHours
        self.timeZone = timeZone
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

    /// When a marketing mail due at `now` may go, given the customer's
    /// marketing mails of the last day: `now`, or the end of the quiet
    /// hours, or when the cap allows — whichever is latest once each rule
    /// has seen the others' answer.
    public func sendingTime(now: Double, sentToCustomer sent: [Double]) -> Double {
        var time = now
        // Each step only moves forward; two rules settle within a few rounds.
        for _ in 0..<4 {
            var moved = time
            if let end = quietHours?.end(ifQuietAt: moved, in: timeZone) { moved = end }
            if let allowed = frequencyCap.nextAllowed(now: moved, sent: sent) { moved = max(moved, allowed) }
            if moved == time { break }
            time = moved
        }
        return time
    }
}
