import PoshtaTestSupport
import Testing

@testable import ShopStore

/// Stock threshold crossings: each crossing tells the administrators once.
@Suite("StockChange: out-of-stock and low-stock crossings")
struct StockChangeTests {
    func change(_ before: Int?, _ after: Int, track: Bool = true, minimum: Int? = 3) -> [StockChange.Alert] {
        StockChange(
            before: before,
            product: Product(sku: "A", names: [:], price: 1, currency: "EUR", stock: after, trackInventory: track, minQuantity: minimum)
        ).alerts
    }

    @Test("falling to the minimum alerts once; further falls and staying low do not")
    func lowStock() {
        #expect(change(5, 3) == [.lowStock(minimum: 3)])
        #expect(change(3, 2) == [])
        #expect(change(2, 2) == [])
        #expect(change(5, 4) == [])
        // Rising above and falling again is a new crossing.
        #expect(change(2, 6) == [])
        #expect(change(6, 1) == [.lowStock(minimum: 3)])
    }

    @Test("running out alerts out-of-stock only for products that track inventory, and wins over low stock")
    func outOfStock() {
        #expect(change(5, 0) == [.outOfStock])
        #expect(change(1, 0) == [.outOfStock])
        #expect(change(0, -1) == [])
        #expect(change(0, 2) == [])
        #expect(change(5, 0, track: false) == [.lowStock(minimum: 3)])
        #expect(change(5, 0, track: false, minimum: nil) == [])
        #expect(change(5, 2, minimum: nil) == [])
    }

    @Test("an unknown earlier stock counts as above every threshold")
    func unknownBefore() {
        #expect(change(nil, 0) == [.outOfStock])
        #expect(change(nil, 2) == [.lowStock(minimum: 3)])
        #expect(change(nil, 9) == [])
    }

    @Test("the store sets the stock and says what it was")
    func store() async throws {
        let folder = try TemporaryDirectory(prefix: "poshta-stock")
        let store = try SQLiteShopStore(path: folder.path + "/store.sqlite")
        try await store.upsert([Product(sku: "A", names: [:], price: 1, currency: "EUR", stock: 5, trackInventory: true)])
        let change = try #require(try await store.setStock("A", to: 0))
        #expect(change.before == 5 && change.product.stock == 0 && change.alerts == [.outOfStock])
        #expect(try await store.product("A")?.stock == 0)
        #expect(try await store.setStock("B", to: 1) == nil)
    }
}
