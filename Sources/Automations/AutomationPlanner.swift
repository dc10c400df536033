public import ShopStore

/// Which jobs an event schedules or cancels: the table of DESIGN.md as a
/// pure function, so that every rule is a unit test. The store applies the
/// changes in the event's own transaction; what needs the store's state
/// (sent before? how many orders?) is a condition on the change.
///
/// Delays run from the event's time (when the shop says it happened),
/// else from its arrival.
public struct AutomationPlanner: Sendable {
    public let settings: AutomationSettings

    public init(settings: AutomationSettings) {
        self.settings = settings
    }

    /// The subject of the jobs about a customer's favorites or the customer themself.
    public static let favoritesSubject = "favorites"
    public static let customerSubject = "customer"

    public func changes(for event: ShopEventInput, now: Double) -> [JobChange] {
        let time = event.time ?? now
        var changes: [JobChange] = []
        func schedule(
            _ automation: Automation, _ customer: String, _ subject: String, after start: Double,
            timing: JobChange.Timing = .move, once: Bool = false, minimumOrders: Int? = nil
        ) {
            guard settings.isOn(automation) else { return }
            changes.append(
                .schedule(
                    automation: automation.rawValue, customer: customer, subject: subject,
                    due: settings.delay(automation).after(start), timing: timing, once: once, minimumOrders: minimumOrders))
        }
        switch event.kind {
        case .cartUpdated:
            if let email = event.email, let cart = event.cartID {
                schedule(.abandonedCart, email, cart, after: time)
            }
        case .cartCleared:
            if let email = event.email, let cart = event.cartID {
                changes.append(.cancel(automation: Automation.abandonedCart.rawValue, customer: email, subject: cart))
            }
        case .favoritesAdded:
            if let email = event.email { schedule(.favoritesReminder, email, Self.favoritesSubject, after: time) }
        case .favoritesRemoved:
            if let email = event.email {
                changes.append(.cancelWhenNoFavorites(automation: Automation.favoritesReminder.rawValue, customer: email))
            }
        case .orderPlaced:
            guard let order = event.order else { break }
            changes += orderPlaced(order, at: time)
        case .orderStatusChanged:
            guard let (number, status) = event.orderStatus, let email = event.email else { break }
            changes += statusChanged(number: number, status: status, customer: email, at: time)
        case .customerRegistered, .customerConsent, .stockChanged:
            break
        }
        return changes
    }

    /// An order: no more abandoned-cart mail for that customer, nor a
    /// favorites reminder when all favorites are bought; the
    /// related-products mail, thanks from the second order on, the
    /// win-back reminder moved, the anniversary.
    public func orderPlaced(_ order: Order, at time: Double) -> [JobChange] {
        var changes: [JobChange] = [
            .cancel(automation: Automation.abandonedCart.rawValue, customer: order.email, subject: nil),
            // The store takes the bought products off the favorites first.
            .cancelWhenNoFavorites(automation: Automation.favoritesReminder.rawValue, customer: order.email),
        ]
        func schedule(_ automation: Automation, _ subject: String, timing: JobChange.Timing = .move, minimumOrders: Int? = nil) {
            guard settings.isOn(automation) else { return }
            changes.append(
                .schedule(
                    automation: automation.rawValue, customer: order.email, subject: subject,
                    due: settings.delay(automation).after(time), timing: timing, once: true, minimumOrders: minimumOrders))
        }
        schedule(.orderRelated, order.number)
        schedule(.loyaltyThanks, order.number, minimumOrders: 2)
        if settings.isOn(.inactiveReminder) {
            changes.append(
                .schedule(
                    automation: Automation.inactiveReminder.rawValue, customer: order.email, subject: Self.customerSubject,
                    due: settings.delay(.inactiveReminder).after(time), timing: .move))
        }
        schedule(.purchaseAnniversary, order.number)
        return changes
    }

    /// Shipped: feedback in four weeks; delivered: in one day, if sooner.
    public func statusChanged(number: String, status: String, customer: String, at time: Double) -> [JobChange] {
        guard settings.isOn(.feedbackRequest) else { return [] }
        let due: Double
        switch status.lowercased() {
        case "shipped": due = settings.delay(.feedbackRequest).after(time)
        case "delivered": due = AutomationDelay(1, .days).after(time)
        default: return []
        }
        return [
            .schedule(
                automation: Automation.feedbackRequest.rawValue, customer: customer, subject: number, due: due,
                timing: .keepEarlier, once: true)
        ]
    }
}
