/// Everything one mail writes to the shop store, written in one
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
    public var isEmpty: Bool { coupon == nil && order == nil && orderStatus == nil && customer == nil }
}
