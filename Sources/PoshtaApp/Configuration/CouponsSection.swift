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
            var value: Coupon.Value?
            switch (percent, amount) {
            case (let percent?, nil):
                guard percent > 0, percent <= 100 else { throw table.error("percent", "\(percent) is not a percentage; expected more than 0, at most 100") }
                value = .percent(percent)
            case (nil, let amount?):
                guard amount > 0 else { throw table.error("amount", "\(amount) is not valid; expected an amount greater than 0") }
                value = .fixed(amount, currency: try table.nonEmptyString("currency", default: defaultCurrency).uppercased())
            case (nil, nil):
                if source == .generate { throw table.error("percent", "a generated coupon needs percent or amount") }
            case (.some, .some):
                throw table.error("amount", "give percent or amount, not both")
            }
            let whenEmpty = try table.string("when_pool_empty", default: "none")
            guard ["none", "generate"].contains(whenEmpty) else {
                throw table.error("when_pool_empty", "\"\(whenEmpty)\" is not valid; expected one of none, generate")
            }
            if whenEmpty == "generate" && value == nil {
                throw table.error("when_pool_empty", "generating needs percent or amount")
            }
            let days = try table.int("validity_days")
            if let days, days <= 0 { throw table.error("validity_days", "\(days) is not valid; expected a number of days greater than 0") }
            policies[key] = CouponPolicy(
                source: source, value: value, prefix: try table.string("prefix", default: ""), validityDays: days,
                generateWhenPoolEmpty: whenEmpty == "generate")
        }
        return policies
    }
}

