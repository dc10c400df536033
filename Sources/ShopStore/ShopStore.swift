/// The shop's data Poshta keeps: the catalog, coupons, the suppression list
/// customers and their orders, the shop's events. A protocol, so
/// that a PostgreSQL store can stand in for the SQLite one.
public protocol ShopStore: Sendable {
    /// Inserts or replaces products by sku, all or none.
    func upsert(_ products: [Product]) async throws
    func product(_ sku: String) async throws -> Product?
    /// True when there was one to delete.
    func deleteProduct(_ sku: String) async throws -> Bool
    /// Sets a product's stock (a `stock.changed` event); nil when the sku is unknown.
    func setStock(_ sku: String, to stock: Int) async throws -> StockChange?
    /// Products ordered by sku, from `after` (exclusive).
    func products(after sku: String?, limit: Int) async throws -> [Product]
    func productCount() async throws -> Int

    /// Related products for an order's items (`ProductRules.related`).
    func relatedProducts(forOrder skus: [String]) async throws -> [Product]
    /// Showcase products (`ProductRules.showcase`).
    func showcaseProducts() async throws -> [Product]
    /// The store's best sellers: active products, most units sold first, at most `ProductRules.blockSize`.
    func bestSellingProducts() async throws -> [Product]

    /// Writes what one mail tells the store in one transaction; returns the
    /// coupon handed out (pool first; generated when the policy says so),
    /// or nil when none was asked for or none was left.
    func record(_ facts: MailFacts) async throws -> Coupon?

    /// Adds the customer or updates what is given (nil fields keep their
    /// value; the order figures are the store's own and are not taken).
    func updateCustomer(_ customer: Customer) async throws
    func customer(_ email: String) async throws -> Customer?
    /// Records an order (again: the same number replaces the lines and the
    /// total); a new number counts as the customer's next order.
    /// Returns true when the number was new.
    @discardableResult
    func recordOrder(_ order: Order) async throws -> Bool
    func order(_ number: String) async throws -> Order?
    /// Sets an order's status; false when the order is unknown.
    @discardableResult
    func setOrderStatus(_ number: String, status: String) async throws -> Bool

    /// Adds codes to a template's pool; returns how many were new.
    func importCoupons(_ codes: [String], for template: String) async throws -> Int
    /// Takes one code from the template's pool for `email`, or nil when the
    /// pool is empty. Two callers never get the same code.
    func handOutPoolCoupon(for template: String, to email: String, now: Double) async throws -> Coupon?
    /// Records a code Poshta generated and handed out.
    func recordGeneratedCoupon(_ coupon: Coupon) async throws
    func coupon(_ code: String) async throws -> Coupon?
    /// A template's coupons (all templates when nil), newest first.
    func coupons(for template: String?, limit: Int) async throws -> [Coupon]
    /// Marks a valid code used; returns the coupon as it was before, or nil if unknown.
    func redeem(_ code: String, now: Double) async throws -> Coupon?
    /// The latest coupons handed out (pool and generated), newest first.
    func handOuts(limit: Int) async throws -> [Coupon]
    /// Every template's pool: codes left and handed out, by template.
    func couponPools() async throws -> [CouponPool]
    /// Products whose SKU or name contains `text` (any case), by SKU.
    func searchProducts(_ text: String, limit: Int) async throws -> [Product]

    /// Keeps a shop event (`cart.updated`, `order.placed`, …) for the
    /// automations and writes what it says (`facts`: the customer, the
    /// order) in the same transaction; an event whose shop id was seen
    /// before changes nothing and answers with the first one's number.
    func recordEvent(
        _ name: String, id: String?, data: String, customer: String?, facts: MailFacts
    ) async throws -> RecordedEvent
    /// The latest events, newest first.
    func events(limit: Int) async throws -> [ShopEvent]

    /// Up to `limit` jobs due by `now`, earliest first, moved to `sending` in
    /// the same transaction: two senders never claim the same job.
    func claimDueJobs(now: Double, limit: Int) async throws -> [AutomationJob]
    /// Jobs left in `sending`: after a crash, the spool says whether each got there.
    func jobsInFlight() async throws -> [AutomationJob]
    /// Ends claimed jobs, all in one transaction (one commit for a whole round of sending).
    func finishJobs(_ results: [JobResult], now: Double) async throws

    /// What the sender needs of one job, in one read (`AutomationContext`).
    func automationContext(for job: AutomationJob, sentSince time: Double) async throws -> AutomationContext
    /// The jobs the filter selects, at most `limit`.
    func automationJobs(_ filter: JobFilter, limit: Int) async throws -> [AutomationJob]
    func job(_ id: Int64) async throws -> AutomationJob?
    /// Cancels the scheduled jobs the filter selects (and among them only
    /// `ids`, when given); returns how many.
    func cancelJobs(ids: [Int64]?, matching filter: JobFilter, reason: String, now: Double) async throws -> Int
    /// Per automation: scheduled now; sent, cancelled, skipped and converted since `since`.
    func automationStats(since: Double) async throws -> [AutomationStats]
    func cart(_ id: String) async throws -> Cart?
    /// The customer's favorite skus, oldest first.
    func favorites(of customer: String) async throws -> [String]

    /// The customer's file, for `poshta customer show`: their events and
    /// orders (newest first), the coupons handed to them, their suppression.
    func events(of customer: String, limit: Int) async throws -> [ShopEvent]
    func orders(of customer: String, limit: Int) async throws -> [Order]
    func coupons(issuedTo customer: String) async throws -> [Coupon]
    func suppression(of customer: String) async throws -> Suppression?
    /// Erases the customer (GDPR): their row, orders, carts, favorites,
    /// jobs and events; coupons handed to them no longer say to whom. The
    /// suppression list keeps the address.
    func forget(_ customer: String) async throws -> ForgetReport

    /// An owner's setting by name, as the JSON it was saved as; nil until saved.
    func ownerSetting(_ name: String) async throws -> String?
    func saveOwnerSetting(_ name: String, json: String, now: Double) async throws
    /// The notification switches in force; nil until first saved.
    func notificationSwitches() async throws -> NotificationSwitches?
    func saveNotificationSwitches(_ switches: NotificationSwitches, now: Double) async throws

    /// No more marketing mail to this address (unsubscribed, hard bounce):
    /// its scheduled automation jobs are cancelled in the same transaction.
    func suppress(_ email: String, reason: String, now: Double) async throws
    func isSuppressed(_ email: String) async throws -> Bool
}

/// An event as the store kept it: its sequence number, and whether this was
/// the first time (a repeated shop id is kept once).
public struct RecordedEvent: Sendable, Hashable {
    public var sequence: Int64
    public var isNew: Bool

    public init(sequence: Int64, isNew: Bool) {
        self.sequence = sequence
        self.isNew = isNew
    }
}

extension ShopStore {
    /// The customer's automation jobs, newest first (all customers when nil).
    public func automationJobs(customer: String?, limit: Int) async throws -> [AutomationJob] {
        try await automationJobs(JobFilter(customer: customer, byDueTime: false), limit: limit)
    }
}
