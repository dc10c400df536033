import Foundation
import GRDB

/// Products, their categories, and the product rules on SQL.
extension SQLiteShopStore {
    public func upsert(_ products: [Product]) async throws {
        try await database.write { db in
            let row = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO product
                        (sku, names, price, old_price, currency, url, image_url, categories, related, stock,
                         track_inventory, min_quantity, units_sold, active)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let clear = try db.cachedStatement(sql: "DELETE FROM product_category WHERE sku = ?")
            let category = try db.cachedStatement(sql: "INSERT OR IGNORE INTO product_category (sku, category) VALUES (?, ?)")
            for product in products {
                try row.execute(arguments: [
                    product.sku, try Self.json(product.names), product.price, product.oldPrice, product.currency,
                    product.url, product.imageURL, try Self.json(product.categories), try Self.json(product.related),
                    product.stock, product.trackInventory, product.minQuantity, product.unitsSold, product.active,
                ])
                try clear.execute(arguments: [product.sku])
                for name in product.categories { try category.execute(arguments: [product.sku, name]) }
            }
        }
    }

    public func product(_ sku: String) async throws -> Product? {
        try await database.read { db in try Self.product(sku, in: db) }
    }

    static func product(_ sku: String, in db: Database) throws -> Product? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE sku = ?"), arguments: [sku]).map(Self.product)
    }

    public func deleteProduct(_ sku: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM product_category WHERE sku = ?", arguments: [sku])
            try db.execute(sql: "DELETE FROM product WHERE sku = ?", arguments: [sku])
            return db.changesCount > 0
        }
    }

    public func setStock(_ sku: String, to stock: Int) async throws -> StockChange? {
        try await database.write { db in
            guard var product = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE sku = ?"), arguments: [sku]).map(Self.product)
            else { return nil }
            let before = product.stock
            try db.execute(sql: "UPDATE product SET stock = ? WHERE sku = ?", arguments: [stock, sku])
            product.stock = stock
            return StockChange(before: before, product: product)
        }
    }

    public func products(after sku: String?, limit: Int) async throws -> [Product] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM product WHERE sku > ? ORDER BY sku LIMIT ?", arguments: [sku ?? "", limit]
            ).map(Self.product)
        }
    }

    public func searchProducts(_ text: String, limit: Int) async throws -> [Product] {
        // LIKE's own wildcards in the text are taken literally.
        let escaped = text.replacingOccurrences(of: "!", with: "!!").replacingOccurrences(of: "%", with: "!%")
            .replacingOccurrences(of: "_", with: "!_")
        return try await database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM product WHERE sku LIKE ?1 ESCAPE '!' OR names LIKE ?1 ESCAPE '!' ORDER BY sku LIMIT ?2",
                arguments: ["%\(escaped)%", limit]
            ).map(Self.product)
        }
    }

    public func productCount() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM product") ?? 0 }
    }

    public func relatedProducts(forOrder skus: [String]) async throws -> [Product] {
        try await database.read { db in
            var cache: [String: Product?] = [:]
            func lookup(_ sku: String) -> Product? {
                if let known = cache[sku] { return known }
                let found = try? Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM product WHERE sku = ?"), arguments: [sku]).map(Self.product)
                cache[sku] = found ?? nil
                return found ?? nil
            }
            return ProductRules.related(for: skus, catalog: lookup) { category in
                // Enough to fill a block even if the order's items are among them.
                (try? Row.fetchAll(
                    db.cachedStatement(
                    sql: """
                        SELECT p.* FROM product p JOIN product_category c ON c.sku = p.sku
                        WHERE c.category = ? AND p.active = 1 ORDER BY p.units_sold DESC, p.sku LIMIT ?
                        """), arguments: [category, ProductRules.blockSize + skus.count]
                ).map(Self.product)) ?? []
            }
        }
    }

    public func showcaseProducts() async throws -> [Product] {
        try await database.read { db in
            let limit = ProductRules.blockSize
            let storefront = try Row.fetchAll(
                db.cachedStatement(
                sql: """
                    SELECT p.* FROM product p JOIN product_category c ON c.sku = p.sku
                    WHERE c.category = 'Storefront' AND p.active = 1 ORDER BY p.price DESC, p.sku LIMIT ?
                    """), arguments: [limit]
            ).map(Self.product)
            let all = try Row.fetchAll(
                db, sql: "SELECT * FROM product WHERE active = 1 ORDER BY price DESC, sku LIMIT ?", arguments: [limit]
            ).map(Self.product)
            return ProductRules.showcase(storefront: storefront, all: all)
        }
    }

    public func bestSellingProducts() async throws -> [Product] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM product WHERE active = 1 ORDER BY units_sold DESC, sku LIMIT ?",
                arguments: [ProductRules.blockSize]
            ).map(Self.product)
        }
    }
}
