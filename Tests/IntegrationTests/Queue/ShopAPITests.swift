import Foundation
import PoshtaTestSupport
import ShopStore
import Testing

/// The shop's endpoints of the admin API, asked with curl: products kept
/// current by sku, coupons checked and redeemed by the shop's checkout.
@Suite("admin API: products and coupons")
struct ShopAPITests {
    @Test("PUT creates then updates a product, GET shows it, DELETE removes it; a bad one is refused with the reason")
    func products() async throws {
        let daemon = try await TestDaemon()
        let url = try await daemon.adminURL()
        let token = try daemon.adminToken
        let body = #"{"names": {"bg": "Чай мента", "en": "Mint tea"}, "price": 8.9, "currency": "BGN", "categories": ["Tea"]}"#
        #expect(try await curl(url + "/v1/products/TEA1", token: token, method: "PUT", body: body).status == 201)
        let updated = try await curl(url + "/v1/products/TEA1", token: token, method: "PUT", body: body.replacingOccurrences(of: "8.9", with: "9.5"))
        #expect(updated.status == 200)
        let shown = try await curl(url + "/v1/products/TEA1", token: token)
        #expect(shown.status == 200 && shown.body.contains("\"price\":9.5") && shown.body.contains("Чай мента"), "\(shown.body)")
        let bad = try await curl(url + "/v1/products/TEA2", token: token, method: "PUT", body: #"{"names": {"en": "x"}, "price": "free", "currency": "BGN"}"#)
        #expect(bad.status == 400 && bad.body.contains("price \\\"free\\\" is not an amount"), "\(bad.body)")
        let mismatch = try await curl(url + "/v1/products/TEA2", token: token, method: "PUT", body: #"{"sku": "TEA3", "names": {"en": "x"}, "price": 1, "currency": "BGN"}"#)
        #expect(mismatch.status == 400)
        #expect(try await curl(url + "/v1/products/TEA1", token: token, method: "DELETE").status == 200)
        #expect(try await curl(url + "/v1/products/TEA1", token: token).status == 404)
        try await daemon.stop()
    }

    @Test("a handed-out coupon is valid, redeemed once, then refused as used; unknown and unissued codes are told apart")
    func coupons() async throws {
        let daemon = try await TestDaemon()
        let url = try await daemon.adminURL()
        let token = try daemon.adminToken
        // The daemon's own store file, written beside it as the enricher would.
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        let now = Date.now.timeIntervalSince1970
        try await store.recordGeneratedCoupon(
            Coupon(code: "CART-ABCDEFGH", template: "abandoned_cart", source: .generated, value: .percent(10), expires: now + 86_400, issuedTo: "maria@example.bg", issuedAt: now))
        _ = try await store.importCoupons(["POOL-1"], for: "order_paid")

        let checked = try await curl(url + "/v1/coupons/CART-ABCDEFGH", token: token)
        #expect(checked.status == 200 && checked.body.contains("\"status\":\"valid\"") && checked.body.contains("\"percent\":10"), "\(checked.body)")
        let redeemed = try await curl(url + "/v1/coupons/CART-ABCDEFGH/redeem", token: token, method: "POST")
        #expect(redeemed.status == 200 && redeemed.body.contains("\"status\":\"used\""), "\(redeemed.body)")
        let again = try await curl(url + "/v1/coupons/CART-ABCDEFGH/redeem", token: token, method: "POST")
        #expect(again.status == 409 && again.body.contains("already used"))
        let unissued = try await curl(url + "/v1/coupons/POOL-1/redeem", token: token, method: "POST")
        #expect(unissued.status == 409 && unissued.body.contains("never handed out"))
        #expect(try await curl(url + "/v1/coupons/NOPE", token: token).status == 404)
        try await daemon.stop()
    }
}
