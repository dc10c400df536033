import Foundation
import GRDB

/// Rows to values, and the JSON columns.
extension SQLiteShopStore {
    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    /// One for every row: a product row has three JSON columns, and making
    /// a decoder costs more than decoding them. JSONDecoder is thread-safe
    /// while its options are not changed.
    static let decoder = JSONDecoder()

    static func decode<Value: Decodable>(_ type: Value.Type, _ text: String?) -> Value? {
        text.flatMap { try? decoder.decode(type, from: Data($0.utf8)) }
    }

    static func product(_ row: Row) -> Product {
        Product(
            sku: row["sku"], names: decode([String: String].self, row["names"]) ?? [:], price: row["price"],
            oldPrice: row["old_price"], currency: row["currency"], url: row["url"], imageURL: row["image_url"],
            categories: decode([String].self, row["categories"]) ?? [], related: decode([String].self, row["related"]) ?? [],
            stock: row["stock"], trackInventory: row["track_inventory"], minQuantity: row["min_quantity"],
            unitsSold: row["units_sold"], active: row["active"])
    }

    static func coupon(_ row: Row) -> Coupon {
        Coupon(
            code: row["code"], template: row["template"], source: Coupon.Source(rawValue: row["source"]) ?? .pool,
            value: decode(Coupon.Value.self, row["value"]), expires: row["expires"], issuedTo: row["issued_to"],
            issuedAt: row["issued_at"], redeemedAt: row["redeemed_at"])
    }
}
