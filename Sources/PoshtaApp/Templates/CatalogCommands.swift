import Foundation
import ShopStore

/// `poshta catalog import|list|show`: the shop's products in the store.
public enum CatalogCommands {
    /// Products per transaction while importing: a progress step, and a
    /// bounded transaction.
    static let chunk = 1000

    /// `poshta catalog import FILE`: every row checked first; with a bad row
    /// nothing is imported unless `skipBad`, then the rest is upserted by sku.
    public static func importFile(configurationPath: String, file: String, skipBad: Bool) async -> Int32 {
        guard let configuration = Commands.loadConfiguration(configurationPath) else { return Commands.exConfig }
        guard let format = CatalogFile.format(ofFile: file) else {
            Commands.printError("poshta catalog import: \(file): name it .csv, or .jsonl/.ndjson for JSON lines")
            return 1
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            Commands.printError("poshta catalog import: cannot read \(file)")
            return 1
        }
        guard let text = String(data: data, encoding: .utf8) else {
            Commands.printError("poshta catalog import: \(file) is not UTF-8")
            return 1
        }
        let (products, errors) = CatalogFile.read(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, format: format)
        for error in errors { Commands.printError("\(file): \(error)") }
        if !errors.isEmpty && !skipBad {
            Commands.printError("poshta catalog import: \(errors.count) bad row(s); nothing imported (--skip-bad imports the good ones)")
            return 1
        }
        do {
            let store = try SQLiteShopStore(path: configuration.shop.store)
            let before = try await store.productCount()
            let progress = ProgressBar(label: "import", total: products.count, enabled: products.count > chunk)
            for start in stride(from: 0, to: products.count, by: chunk) {
                let end = min(start + chunk, products.count)
                try await store.upsert(Array(products[start..<end]))
                progress.update(done: end)
            }
            progress.finish()
            let after = try await store.productCount()
            print("imported \(products.count) product(s): \(after - before) new, \(products.count - (after - before)) updated\(errors.isEmpty ? "" : "; \(errors.count) bad row(s) skipped")")
            return 0
        } catch {
            Commands.printError("poshta catalog import: \(configuration.shop.store): \(error)")
            return 1
        }
    }

    /// `poshta catalog list`: sku, price, name, categories; oldest sku first.
    public static func list(configurationPath: String, limit: Int) async -> Int32 {
        await Commands.withShopStore(configurationPath, verb: "catalog") { store, configuration in
            let products = try await store.products(after: nil, limit: limit)
            for product in products {
                let price = String(format: "%.2f %@", product.price, product.currency)
                print("\(product.sku)\t\(price)\t\(product.name(in: configuration.shop.defaultLocale))\t\(product.categories.joined(separator: "|"))\(product.active ? "" : "\t(inactive)")")
            }
            let total = try await store.productCount()
            print("-- \(total) product(s)\(total > products.count ? ", \(products.count) shown" : "")")
            return 0
        }
    }

    /// `poshta catalog show SKU`: one product as JSON.
    public static func show(configurationPath: String, sku: String) async -> Int32 {
        await Commands.withShopStore(configurationPath, verb: "catalog") { store, _ in
            guard let product = try await store.product(sku) else {
                Commands.printError("poshta catalog: no product \(sku)")
                return 1
            }
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(product), as: UTF8.self))
            return 0
        }
    }
}

extension Commands {
    /// Runs `body` on the shop store of the configuration at `path`; any
    /// error is printed after `poshta VERB:` and the status is 1.
    static func withShopStore(
        _ path: String, verb: String, _ body: (SQLiteShopStore, PoshtaConfiguration) async throws -> Int32
    ) async -> Int32 {
        guard let configuration = loadConfiguration(path) else { return exConfig }
        do {
            return try await body(try SQLiteShopStore(path: configuration.shop.store), configuration)
        } catch {
            printError("poshta \(verb): \(error)")
            return 1
        }
    }
}
