import Foundation
import HTTPListener
import Hummingbird
import ShopStore

/// The shop endpoints under `/v1`: products by sku (the shop keeps the
/// catalog current without a file import) and coupons (so that the shop's
/// checkout can honour the codes Poshta hands out).
struct ShopRoutes {
    let store: any ShopStore

    /// A product is small; anything bigger is a mistake.
    static let maximumBody = 64 << 10

    func register(on router: Router<PoshtaRequestContext>) {
        router.get("/v1/products/{sku}") { _, context in
            let sku = context.parameters.get("sku") ?? ""
            guard let product = try await store.product(sku) else {
                return AdminResponse.error(.notFound, "no product \(sku)")
            }
            return try AdminResponse.json(product)
        }
        router.put("/v1/products/{sku}") { request, context in
            let sku = context.parameters.get("sku") ?? ""
            var request = request
            let body = try await request.collectBody(upTo: Self.maximumBody)
            guard var row = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
                return AdminResponse.error(.badRequest, "the body is not a JSON object")
            }
            if let given = row["sku"] as? String, given != sku {
                return AdminResponse.error(.badRequest, "the body's sku \(given) is not the path's \(sku)")
            }
            row["sku"] = sku
            switch CatalogFile.product(row, line: 1) {
            case .success(let product):
                let existed = try await store.product(sku) != nil
                try await store.upsert([product])
                return try AdminResponse.json(product, status: existed ? .ok : .created)
            case .failure(let error):
                return AdminResponse.error(.badRequest, error.reason)
            }
        }
        router.delete("/v1/products/{sku}") { _, context in
            let sku = context.parameters.get("sku") ?? ""
            guard try await store.deleteProduct(sku) else { return AdminResponse.error(.notFound, "no product \(sku)") }
            return try AdminResponse.json(["deleted": sku])
        }
        router.get("/v1/coupons/{code}") { _, context in
            let code = context.parameters.get("code") ?? ""
            guard let coupon = try await store.coupon(code) else { return AdminResponse.error(.notFound, "no coupon \(code)") }
            return try AdminResponse.json(CouponAnswer(coupon, now: Date.now.timeIntervalSince1970))
        }
        router.post("/v1/coupons/{code}/redeem") { _, context in
            let code = context.parameters.get("code") ?? ""
            let now = Date.now.timeIntervalSince1970
            guard let before = try await store.redeem(code, now: now) else {
                return AdminResponse.error(.notFound, "no coupon \(code)")
            }
            switch before.status(now: now) {
            case .valid:
                var after = before
                after.redeemedAt = now
                return try AdminResponse.json(CouponAnswer(after, now: now))
            case .used:
                return AdminResponse.error(.conflict, "coupon \(code) was already used")
            case .expired:
                return AdminResponse.error(.conflict, "coupon \(code) has expired")
            case .unissued:
                return AdminResponse.error(.conflict, "coupon \(code) was never handed out")
            }
        }
    }
}

/// A coupon as the API shows it: its fields and its status now.
struct CouponAnswer: Encodable {
    var code: String
    var template: String
    var status: Coupon.Status
    var percent: Double?
    var amount: Double?
    var currency: String?
    var expires: Double?
    var issuedTo: String?
    var issuedAt: Double?
    var redeemedAt: Double?

    init(_ coupon: Coupon, now: Double) {
        code = coupon.code
        template = coupon.template
        status = coupon.status(now: now)
        switch coupon.value {
        case .percent(let value)?: percent = value
        case .fixed(let value, let currency)?:
            amount = value
            self.currency = currency
        case nil: break
        }
        expires = coupon.expires
        issuedTo = coupon.issuedTo
        issuedAt = coupon.issuedAt
        redeemedAt = coupon.redeemedAt
    }
}
