/// How one template key gets its coupon (`[coupons.KEY]` in poshta.toml).
public struct CouponPolicy: Sendable, Hashable {
    public enum Source: String, Sendable, CaseIterable {
        /// Codes the shop imported (`poshta coupon import FILE --for KEY`), each handed out once.
        case pool
        /// Codes Poshta makes: prefix and random letters, unguessable.
        case generate
    }

    public var source: Source
    /// What a generated code is worth (a pool code's value is the shop's).
    public var value: Coupon.Value?
    public var prefix: String
    /// Days a generated code is valid; nil: no expiry.
    public var validityDays: Int?
    /// When the pool is empty: generate one instead (true), or send the mail without a coupon.
    public var generateWhenPoolEmpty: Bool

    public init(
        source: Source, value: Coupon.Value? = nil, prefix: String = "", validityDays: Int? = nil,
        generateWhenPoolEmpty: Bool = false
    ) {
        self.source = source
        self.value = value
        self.prefix = prefix
        self.validityDays = validityDays
        self.generateWhenPoolEmpty = generateWhenPoolEmpty
    }
}

/// Hands out the coupon of a template to a customer, by its policy: from
/// the pool, or generated (also as the pool's fallback), and always recorded.
public struct CouponIssuer: Sendable {
    public let store: any ShopStore

    public init(store: any ShopStore) {
        self.store = store
    }

    /// The code for `email`, or nil when the policy has none to give.
    public func issue(_ policy: CouponPolicy, for template: String, to email: String, now: Double) async throws -> Coupon? {
        try await store.record(
            MailFacts(coupon: .init(policy: policy, template: template, email: email), now: now))
    }

    /// A new code by the policy's rule, issued to `email` now.
    public static func generated(_ policy: CouponPolicy, for template: String, to email: String, now: Double) -> Coupon {
        Coupon(
            code: code(prefix: policy.prefix), template: template, source: .generated, value: policy.value,
            expires: policy.validityDays.map { now + Double($0) * 86_400 }, issuedTo: email, issuedAt: now)
    }

    /// Letters and digits without look-alikes (no 0/O, 1/I/L): ten of them
    /// are about 49 bits, from the system's secure generator.
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")

    public static func code(prefix: String, length: Int = 10) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
