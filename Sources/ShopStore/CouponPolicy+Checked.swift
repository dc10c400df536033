/// A coupon rule's field that is wrong, and why: the configuration names it
/// as `[coupons.KEY] field`, the console beside its input.
public struct CouponPolicyError: Error, Sendable, CustomStringConvertible {
    /// The field as `[coupons.KEY]` names it: percent, amount, when_pool_empty, validity_days.
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

extension CouponPolicy {
    /// A rule from its fields as `[coupons.KEY]` (or the console's form)
    /// gives them, checked: a percentage above 0 and at most 100, or an
    /// amount above 0 (not both); a generated code needs one of them, and
    /// so does generating when the pool is empty; a prefix that can start a
    /// code (letters, digits, `-`, `_`, at most 20); a validity of at least a day.
    public init(
        checking source: Source, percent: Double?, amount: Double?, currency: String, prefix: String, validityDays: Int?,
        whenPoolEmpty: String
    ) throws(CouponPolicyError) {
        var value: Coupon.Value?
        switch (percent, amount) {
        case (let percent?, nil):
            guard percent > 0, percent <= 100 else {
                throw CouponPolicyError(field: "percent", reason: "\(percent) is not a percentage; expected more than 0, at most 100")
            }
            value = .percent(percent)
        case (nil, let amount?):
            guard amount > 0 else {
                throw CouponPolicyError(field: "amount", reason: "\(amount) is not valid; expected an amount greater than 0")
            }
            value = .fixed(amount, currency: currency.uppercased())
        case (nil, nil):
            if source == .generate { throw CouponPolicyError(field: "percent", reason: "a generated coupon needs percent or amount") }
        case (.some, .some):
            throw CouponPolicyError(field: "amount", reason: "give percent or amount, not both")
        }
        guard ["none", "generate"].contains(whenPoolEmpty) else {
            throw CouponPolicyError(field: "when_pool_empty", reason: "\"\(whenPoolEmpty)\" is not valid; expected one of none, generate")
        }
        if whenPoolEmpty == "generate" && value == nil {
            throw CouponPolicyError(field: "when_pool_empty", reason: "generating needs percent or amount")
        }
        guard prefix.count <= 20, prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw CouponPolicyError(field: "prefix", reason: "\"\(prefix)\" may hold only letters, digits, - and _ (at most 20)")
        }
        if let validityDays, validityDays <= 0 {
            throw CouponPolicyError(field: "validity_days", reason: "\(validityDays) is not valid; expected a number of days greater than 0")
        }
        self.init(
            source: source, value: value, prefix: prefix, validityDays: validityDays,
            generateWhenPoolEmpty: whenPoolEmpty == "generate")
    }
}
