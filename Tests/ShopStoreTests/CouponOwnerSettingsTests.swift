import PoshtaTestSupport
import ShopStore
import Testing

/// The owner's coupon rules: checked as `[coupons.KEY]` is, kept in the
/// store, laid over the configuration (a "none" takes a configured coupon away).
@Suite("coupon rules set by the owner")
struct CouponOwnerSettingsTests {
    static let configured = [
        "abandoned_cart": CouponPolicy(source: .generate, value: .percent(10), prefix: "CART-", validityDays: 14),
        "order_paid": CouponPolicy(source: .pool),
    ]

    @Test("a rule reads back from the store; applied, it replaces one key's coupon and removes another's")
    func storedAndApplied() async throws {
        let directory = try TemporaryDirectory(prefix: "poshta-store")
        let store = try SQLiteShopStore(path: directory.path + "/store.sqlite")
        #expect(try await store.couponOwnerSettings() == nil)
        let fifteen = try CouponPolicy(
            checking: .generate, percent: 15, amount: nil, currency: "BGN", prefix: "SPRING-", validityDays: 7, whenPoolEmpty: "none")
        let owner = CouponOwnerSettings(rules: ["abandoned_cart": .init(fifteen), "order_paid": .init(nil)])
        try await store.saveCouponOwnerSettings(owner, now: 1)
        let read = try #require(try await store.couponOwnerSettings())
        #expect(read == owner)
        let applied = read.applied(to: Self.configured)
        #expect(applied["abandoned_cart"] == fifteen)
        #expect(applied["order_paid"] == nil)
        #expect(CouponOwnerSettings.Rule(Self.configured["abandoned_cart"]).policy == Self.configured["abandoned_cart"])
        let fixed = try CouponPolicy(
            checking: .pool, percent: nil, amount: 5, currency: "eur", prefix: "", validityDays: nil, whenPoolEmpty: "generate")
        #expect(fixed.value == .fixed(5, currency: "EUR") && fixed.generateWhenPoolEmpty)
        #expect(CouponOwnerSettings.Rule(fixed).policy == fixed)
    }

    @Test("a rule that makes no sense is refused with its field and the reason", arguments: [
        (CouponPolicy.Source.generate, 150.0, nil, "x", 1, "none", "percent"),
        (.generate, nil, nil, "x", 1, "none", "percent"),
        (.pool, 10, 5, "x", 1, "none", "amount"),
        (.pool, nil, -1, "x", 1, "none", "amount"),
        (.pool, nil, nil, "x", 1, "generate", "when_pool_empty"),
        (.pool, nil, nil, "x", 1, "sometimes", "when_pool_empty"),
        (.generate, 10, nil, "a b", 1, "none", "prefix"),
        (.generate, 10, nil, "x", 0, "none", "validity_days"),
    ] as [(CouponPolicy.Source, Double?, Double?, String, Int?, String, String)])
    func refused(_ source: CouponPolicy.Source, _ percent: Double?, _ amount: Double?, _ prefix: String, _ days: Int?, _ whenEmpty: String, _ field: String) {
        do {
            _ = try CouponPolicy(
                checking: source, percent: percent, amount: amount, currency: "BGN", prefix: prefix, validityDays: days,
                whenPoolEmpty: whenEmpty)
            Issue.record("accepted")
        } catch {
            #expect(error.field == field, "\(error)")
            #expect(!error.reason.isEmpty)
        }
    }
}
