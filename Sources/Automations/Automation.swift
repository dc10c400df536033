public import ShopStore

/// The shop's marketing automations (DESIGN.md, "Marketing automations"):
/// each a template key, a default delay, and the rule of when it goes.
public enum Automation: String, Sendable, CaseIterable {
    case favoritesReminder = "favorites_reminder"
    case abandonedCart = "abandoned_cart"
    case orderRelated = "order_related"
    case feedbackRequest = "feedback_request"
    case loyaltyThanks = "loyalty_thanks"
    case inactiveReminder = "inactive_reminder"
    case purchaseAnniversary = "purchase_anniversary"

    /// The table's timing, used when `[marketing.KEY] delay` says nothing.
    public var defaultDelay: AutomationDelay {
        switch self {
        case .favoritesReminder: AutomationDelay(3, .days)
        case .abandonedCart: AutomationDelay(2, .hours)
        case .orderRelated: AutomationDelay(0, .seconds)
        case .feedbackRequest: AutomationDelay(4, .weeks)
        case .loyaltyThanks: AutomationDelay(1, .days)
        case .inactiveReminder: AutomationDelay(6, .months)
        case .purchaseAnniversary: AutomationDelay(1, .years)
        }
    }

    /// When it is sent, in a sentence (for `poshta check-config` and the console).
    public var rule: String {
        switch self {
        case .favoritesReminder: "after products were added to favorites, for those not bought since"
        case .abandonedCart: "after a cart with an email was last changed, unless an order follows"
        case .orderRelated: "after an order, with related products (mode = \"separate\")"
        case .feedbackRequest: "after an order shipped (or one day after it was delivered, if sooner), once per order"
        case .loyaltyThanks: "after the second and every later order"
        case .inactiveReminder: "after the last order, moved by every new one"
        case .purchaseAnniversary: "after an order, one per customer per day"
        }
    }
}

extension AutomationStats {
    /// One row per automation, in the table's order: the store's figures,
    /// zeros for an automation that has none yet.
    public static func everyAutomation(_ known: [AutomationStats]) -> [AutomationStats] {
        Automation.allCases.map { automation in
            known.first { $0.automation == automation.rawValue } ?? AutomationStats(automation: automation.rawValue)
        }
    }
}
