import Foundation
import PoshtaTestSupport
import ShopStore
import Testing

/// The SQLite store on a real file: upserts, the rules through SQL, and
/// coupons handed out under concurrency.
@Suite("the SQLite shop store")
struct SQLiteShopStoreTests {
    private func store() throws -> (TemporaryDirectory, SQLiteShopStore) {
        let directory = try TemporaryDirectory(prefix: "poshta-store")
        return (directory, try SQLiteShopStore(path: directory.path + "/store.sqlite"))
    }

    @Test("products: upsert replaces by sku, categories follow, delete removes; the rules run on SQL")
    func catalog() async throws {
        let (directory, store) = try store()
        defer { withExtendedLifetime(directory) {} }
        try await store.upsert([
            Product(sku: "TEA1", names: ["bg": "Чай мента", "en": "Mint tea"], price: 8.9, currency: "BGN", categories: ["Tea", "Storefront"], unitsSold: 40),
            Product(sku: "TEA2", names: ["en": "Green tea"], price: 12.5, currency: "BGN", categories: ["Tea"], unitsSold: 90),
            Product(sku: "CUP", names: ["en": "Cup"], price: 24, currency: "BGN", categories: ["Ceramics", "Storefront"], related: ["TEA2"]),
        ])
        #expect(try await store.product("TEA1")?.name(in: "bg") == "Чай мента")
        #expect(try await store.productCount() == 3)
        // No related products assigned: best sellers of each of its categories (Tea, then Storefront).
        #expect(try await store.relatedProducts(forOrder: ["TEA1"]).map(\.sku) == ["TEA2", "CUP"])
        #expect(try await store.relatedProducts(forOrder: ["CUP"]).map(\.sku) == ["TEA2"])
        #expect(try await store.showcaseProducts().map(\.sku) == ["CUP", "TEA1"])

        // Re-imported without Storefront: the category row goes too.
        try await store.upsert([Product(sku: "CUP", names: ["en": "Cup"], price: 24, currency: "BGN", categories: ["Ceramics"])])
        #expect(try await store.showcaseProducts().map(\.sku) == ["TEA1"])
        #expect(try await store.deleteProduct("TEA1"))
        #expect(try await !store.deleteProduct("TEA1"))
        #expect(try await store.showcaseProducts().map(\.sku) == ["CUP", "TEA2"])
        #expect(try await store.products(after: nil, limit: 10).map(\.sku) == ["CUP", "TEA2"])
    }

    @Test("100 concurrent hand-outs from a pool of 50: exactly 50 distinct codes, then none")
    func poolUnderConcurrency() async throws {
        let (directory, store) = try store()
        defer { withExtendedLifetime(directory) {} }
        let codes = (1...50).map { "POOL-\($0)" }
        #expect(try await store.importCoupons(codes + ["POOL-1"], for: "order_paid") == 50)
        let handed = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<100 {
                group.addTask { try await store.handOutPoolCoupon(for: "order_paid", to: "c\(index)@example.bg", now: 1000)?.code }
            }
            var all: [String?] = []
            for try await code in group { all.append(code) }
            return all
        }
        let given = handed.compactMap { $0 }
        #expect(given.count == 50)
        #expect(Set(given) == Set(codes))
        #expect(handed.filter { $0 == nil }.count == 50)
        #expect(try await store.handOutPoolCoupon(for: "abandoned_cart", to: "x@example.bg", now: 1000) == nil)
        let one = try #require(try await store.coupon("POOL-7"))
        #expect(one.issuedTo != nil && one.status(now: 2000) == .valid)
    }

    @Test("a generated coupon: valid, redeemed once, then used; an expired one stays expired")
    func redeem() async throws {
        let (directory, store) = try store()
        defer { withExtendedLifetime(directory) {} }
        try await store.recordGeneratedCoupon(
            Coupon(code: "WELCOME-ABC", template: "welcome", source: .generated, value: .percent(10), expires: 5000, issuedTo: "a@example.bg", issuedAt: 1000))
        #expect(try await store.coupon("WELCOME-ABC")?.value == .percent(10))
        #expect(try await store.redeem("WELCOME-ABC", now: 2000)?.status(now: 2000) == .valid)
        #expect(try await store.coupon("WELCOME-ABC")?.status(now: 2000) == .used)
        #expect(try await store.redeem("NOPE", now: 2000) == nil)
        try await store.recordGeneratedCoupon(
            Coupon(code: "OLD", template: "welcome", source: .generated, value: .fixed(5, currency: "BGN"), expires: 1500, issuedTo: "b@example.bg", issuedAt: 1000))
        #expect(try await store.redeem("OLD", now: 2000)?.status(now: 2000) == .expired)
        #expect(try await store.coupon("OLD")?.redeemedAt == nil)
    }

    @Test("suppression is by address, any case")
    func suppression() async throws {
        let (directory, store) = try store()
        defer { withExtendedLifetime(directory) {} }
        try await store.suppress("Maria@Example.BG", reason: "unsubscribed", now: 1)
        #expect(try await store.isSuppressed("maria@example.bg"))
        #expect(try await !store.isSuppressed("ivan@example.bg"))
    }
}

/// The issuer: pool first, generation as the fallback, every code recorded.
@Suite("coupon issuer")
struct CouponIssuerTests {
    @Test("a pool hands out its codes, then falls back to generated ones when told to")
    func poolThenGenerate() async throws {
        let directory = try TemporaryDirectory(prefix: "poshta-coupons")
        defer { withExtendedLifetime(directory) {} }
        let store = try SQLiteShopStore(path: directory.path + "/store.sqlite")
        _ = try await store.importCoupons(["ONLY-ONE"], for: "order_paid")
        let issuer = CouponIssuer(store: store)
        let strict = CouponPolicy(source: .pool)
        #expect(try await issuer.issue(strict, for: "order_paid", to: "a@example.bg", now: 100)?.code == "ONLY-ONE")
        #expect(try await issuer.issue(strict, for: "order_paid", to: "b@example.bg", now: 100) == nil)
        let lenient = CouponPolicy(source: .pool, value: .percent(5), prefix: "PAID-", validityDays: 2, generateWhenPoolEmpty: true)
        let generated = try #require(try await issuer.issue(lenient, for: "order_paid", to: "c@example.bg", now: 100))
        #expect(generated.code.hasPrefix("PAID-") && generated.code.count == 15)
        #expect(generated.expires == Double(100 + 2 * 86_400))
        #expect(try await store.coupon(generated.code)?.issuedTo == "c@example.bg")
        #expect(try await store.coupons(for: "order_paid", limit: 10).map(\.code) == [generated.code, "ONLY-ONE"])
        let codes = Set((0..<1000).map { _ in CouponIssuer.code(prefix: "") })
        #expect(codes.count == 1000)
        #expect(codes.allSatisfy { $0.count == 10 && !$0.contains("0") && !$0.contains("O") && !$0.contains("1") })
    }
}
