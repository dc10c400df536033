/// Everything one mail or event writes to the shop store, written in one
/// transaction: SQLite commits one at a time, each with its fsync, so a
/// mail that handed out a coupon, kept an order and its customer in three
/// commits would take three times as long to go through as in one.
public struct MailFacts: Sendable {
    /// A coupon to hand out with the mail.
    public struct CouponRequest: Sendable {
        public var policy: CouponPolicy
        /// The template key whose pool or rule applies.
        public var template: String
        public var email: String

        public init(policy: CouponPolicy, template: String, email: String) {
            self.policy = policy
            self.template = template
            self.email = email
        }
    }

    public var coupon: CouponRequest?
    /// An order the mail confirms (`recordOrder`).
    public var order: Order?
    /// An order the mail moves on: its number and new status (`setOrderStatus`).
    public var orderStatus: (number: String, status: String)?
    /// The customer's name and locale (`updateCustomer`).
    public var customer: Customer?
    /// A cart to keep (its contents replace the old), or the id of one to forget.
    public var cart: Cart?
    public var clearedCart: String?
    /// Favorites added or removed: the customer and the skus.
    public var favoritesAdded: (customer: String, skus: [String])?
    public var favoritesRemoved: (customer: String, skus: [String])?
    /// The automation jobs the mail or event schedules or cancels.
    public var jobs: [JobChange] = []
    public var now: Double

    public init(
        coupon: CouponRequest? = nil, order: Order? = nil, orderStatus: (number: String, status: String)? = nil,
        customer: Customer? = nil, now: Double
    ) {
        self.coupon = coupon
        self.order = order
        self.orderStatus = orderStatus
        self.customer = customer
        self.now = now
    }

    /// Whether there is anything to write.
    public var isEmpty: Bool {
        coupon == nil && order == nil && orderStatus == nil && customer == nil && cart == nil && clearedCart == nil
            && favoritesAdded == nil && favoritesRemoved == nil && jobs.isEmpty
    }
}
