/// Everything the automation sender reads about one due job, read in one
/// transaction: the customer, whether they are suppressed, their
/// marketing mail of the last day, and what the mail could show — the
/// cart or order the job is about, their latest order, their favorites,
/// and those products. One read instead of six: at thousands of jobs a
/// second, each read's hop to the database's queue costs more than its query.
public struct AutomationContext: Sendable {
    public var customer: Customer?
    public var suppressed: Bool
    /// When their marketing mails went out, since the time asked.
    public var sent: [Double]
    /// The cart whose id is the job's subject, if any.
    public var cart: Cart?
    /// The order whose number is the job's subject, if any.
    public var order: Order?
    public var latestOrder: Order?
    /// Their favorite skus, oldest first.
    public var favorites: [String]
    /// The catalog's products among the cart's, the orders' and the favorites' skus.
    public var products: [String: Product]

    public init(
        customer: Customer? = nil, suppressed: Bool = false, sent: [Double] = [], cart: Cart? = nil, order: Order? = nil,
        latestOrder: Order? = nil, favorites: [String] = [], products: [String: Product] = [:]
    ) {
        self.customer = customer
        self.suppressed = suppressed
        self.sent = sent
        self.cart = cart
        self.order = order
        self.latestOrder = latestOrder
        self.favorites = favorites
        self.products = products
    }
}
