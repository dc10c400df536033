import ShopStore

/// `[coupons.KEY]`: the coupon a template key carries, one table per key.
///
/// ```toml
/// [coupons.abandoned_cart]
/// source = "generate"        # or "pool": codes imported with `poshta coupon import`
/// percent = 10               # or amount = 5 (in [shop] currency, or currency = "EUR")
/// prefix = "CART-"
/// validity_days = 14
///
/// [coupons.order_paid]
/// source = "pool"
/// when_pool_empty = "generate"   # or "none" (the default): the mail goes without a coupon
/// percent = 5
/// ```
struct CouponsSection {
    static let keys = ["source", "percent", "amount", "currency", "prefix", "validity_days", "when_pool_empty"]

    static func read(_ reader: TOMLTableReader, currency defaultCurrency: String) throws(ConfigurationError) -> [String: CouponPolicy] {
        var policies: [String: CouponPolicy] = [:]
        for key in reader.keys {
            let table = try reader.table(key)
            try table.checkKeys(Self.keys, in: "[coupons.\(key)]")
            let source: CouponPolicy.Source = try table.choice("source", default: .pool)
            let percent = try table.number("percent")
            let amount = try table.number("amount")
            let currency = try table.nonEmptyString("currency", default: defaultCurrency)
            let prefix = try table.string("prefix", default: "")
            let days = try table.int("validity_days")
            let whenEmpty = try table.string("when_pool_empty", default: "none")
            do throws(CouponPolicyError) {
                policies[key] = try CouponPolicy(
                    checking: source, percent: percent, amount: amount, currency: currency, prefix: prefix,
                    validityDays: days, whenPoolEmpty: whenEmpty)
            } catch {
                throw table.error(error.field, error.reason)
            }
        }
        return policies
    }
}

