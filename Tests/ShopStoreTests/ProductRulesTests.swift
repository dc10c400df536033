import ShopStore
import Testing

/// The rules of DESIGN.md for related and showcase products, case by case.
@Suite("product rules: related and showcase")
struct ProductRulesTests {
    static func product(_ sku: String, price: Double = 10, categories: [String] = [], related: [String] = [], sold: Int = 0, active: Bool = true) -> Product {
        Product(sku: sku, names: ["en": "Product \(sku)"], price: price, currency: "BGN", categories: categories, related: related, unitsSold: sold, active: active)
    }

    static func related(_ order: [String], _ catalog: [Product]) -> [String] {
        let bySKU = Dictionary(uniqueKeysWithValues: catalog.map { ($0.sku, $0) })
        return ProductRules.related(for: order, catalog: { bySKU[$0] }) { category in
            catalog.filter { $0.categories.contains(category) && $0.active }.sorted { ($0.unitsSold, $1.sku) > ($1.unitsSold, $0.sku) }
        }.map(\.sku)
    }

    @Test("hand-assigned related products come first, in order, three per item at most")
    func assigned() {
        let catalog = [
            Self.product("A", related: ["R1", "R2", "R3", "R4"]), Self.product("B", related: ["R5"]),
            Self.product("R1"), Self.product("R2"), Self.product("R3"), Self.product("R4"), Self.product("R5"),
        ]
        #expect(Self.related(["A", "B"], catalog) == ["R1", "R2", "R3", "R5"])
    }

    @Test("an item with none gets best sellers of its category; items of the order and inactive ones are skipped")
    func automatic() {
        let catalog = [
            Self.product("TEA1", categories: ["Tea"], sold: 50), Self.product("TEA2", categories: ["Tea"], sold: 90),
            Self.product("TEA3", categories: ["Tea"], sold: 70), Self.product("TEA4", categories: ["Tea"], sold: 80, active: false),
            Self.product("TEA5", categories: ["Tea"], sold: 10), Self.product("TEA6", categories: ["Tea"], sold: 5),
        ]
        // TEA2 is in the order, TEA4 is inactive: 3, 1, 5 by units sold.
        #expect(Self.related(["TEA2"], catalog) == ["TEA3", "TEA1", "TEA5"])
    }

    @Test("no duplicates across items, and at most six in the block")
    func capAndDuplicates() {
        var catalog = (1...9).map { Self.product("P\($0)") }
        catalog += [
            Self.product("A", related: ["P1", "P2", "P3"]), Self.product("B", related: ["P2", "P3", "P4"]),
            Self.product("C", related: ["P5", "P6", "P7"]), Self.product("D", related: ["P8", "P9", "A"]),
        ]
        let chosen = Self.related(["A", "B", "C", "D"], catalog)
        #expect(chosen == ["P1", "P2", "P3", "P4", "P5", "P6"])
        #expect(Set(chosen).count == chosen.count)
    }

    @Test("showcase a: the six most expensive of Storefront")
    func showcaseStorefront() {
        let storefront = (1...8).map { Self.product("S\($0)", price: Double($0) * 10, categories: ["Storefront"]) }
        let all = storefront + [Self.product("X", price: 1000)]
        #expect(ProductRules.showcase(storefront: storefront, all: all).map(\.sku) == ["S8", "S7", "S6", "S5", "S4", "S3"])
    }

    @Test("showcase b: fewer when Storefront has fewer")
    func showcaseFewer() {
        let storefront = [Self.product("S1", price: 5, categories: ["Storefront"]), Self.product("S2", price: 7, categories: ["Storefront"])]
        #expect(ProductRules.showcase(storefront: storefront, all: storefront + [Self.product("X", price: 99)]).map(\.sku) == ["S2", "S1"])
    }

    @Test("showcase c: without a Storefront category, the six most expensive of the store")
    func showcaseNoCategory() {
        let all = (1...7).map { Self.product("P\($0)", price: Double($0)) }
        #expect(ProductRules.showcase(storefront: nil, all: all).map(\.sku) == ["P7", "P6", "P5", "P4", "P3", "P2"])
        #expect(ProductRules.showcase(storefront: [], all: all).count == 6)
    }

    @Test("showcase d: a store that sells one product shows that one")
    func showcaseOne() {
        #expect(ProductRules.showcase(storefront: nil, all: [Self.product("ONLY", price: 3)]).map(\.sku) == ["ONLY"])
    }
}
