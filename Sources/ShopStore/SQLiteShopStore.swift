import Foundation
import GRDB

/// The shop store in SQLite (GRDB, WAL): `store.sqlite` beside the spool.
///
/// Products keep their lists (names, categories, related) as JSON in their
/// row and their categories also in `product_category`, which the rules
/// query. SQLite has one writer at a time, and a hand-out is one
/// `UPDATE … RETURNING` on the first free code: two messages never get the
/// same coupon.
public final class SQLiteShopStore: ShopStore {
    let database: DatabasePool

    /// Opens the store at `path`, creating it (and its folder) if needed.
    public init(path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        var configuration = Configuration()
        configuration.label = "shop-store"
        configuration.busyMode = .timeout(10)
        database = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(database)
    }
}
