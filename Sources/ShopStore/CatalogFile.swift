import Foundation

/// A catalog file as the shop exports it: CSV with a header row, or JSON
/// lines (one object per line), read into products with every bad row
/// named by its line number.
///
/// Columns (CSV header names = JSON keys): `sku`, `price`, `currency`
/// (required); `name_<locale>` (at least one, e.g. `name_en`, `name_bg`) or,
/// in JSON, `names` as an object; `old_price`, `url`, `image_url`,
/// `categories` and `related` (CSV: separated by `|`; JSON: arrays),
/// `stock`, `track_inventory`, `min_quantity`, `units_sold`, `active`
/// (true/false, 1/0, yes/no).
public enum CatalogFile {
    public enum Format: String, Sendable {
        case csv, jsonLines
    }

    /// One row that cannot be imported.
    public struct RowError: Error, CustomStringConvertible, Sendable, Hashable {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// `.csv` is CSV; `.jsonl`, `.ndjson` and `.json` are JSON lines.
    public static func format(ofFile path: String) -> Format? {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": .csv
        case "jsonl", "ndjson", "json": .jsonLines
        default: nil
        }
    }

    /// The products of the good rows, and the errors of the bad ones.
    public static func read(_ text: String, format: Format) -> (products: [Product], errors: [RowError]) {
        var products: [Product] = []
        var errors: [RowError] = []
        var seen: [String: Int] = [:]
        func add(_ result: Result<Product, RowError>) {
            switch result {
            case .success(let product):
                products.append(product)
            case .failure(let error):
                errors.append(error)
            }
        }
        switch format {
        case .csv:
            let records: [CSVReader.Record]
            do {
                records = try CSVReader.records(text)
            } catch {
                return ([], [RowError(line: error.line, reason: "a quoted field is never closed")])
            }
            guard let header = records.first else { return ([], [RowError(line: 1, reason: "the file is empty")]) }
            let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            for required in ["sku", "price", "currency"] where !names.contains(required) {
                return ([], [RowError(line: header.line, reason: "the header has no \(required) column")])
            }
            for record in records.dropFirst() {
                guard record.fields.count == names.count else {
                    errors.append(RowError(line: record.line, reason: "\(record.fields.count) fields, the header has \(names.count)"))
                    continue
                }
                var row: [String: Any] = [:]
                for (name, value) in zip(names, record.fields) where !value.isEmpty {
                    row[name] = ["categories", "related"].contains(name)
                        ? value.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } : value
                }
                add(product(row, line: record.line).flatMap { product in seenLine(product, record.line, &seen) })
            }
        case .jsonLines:
            for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty else { continue }
                guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                    errors.append(RowError(line: offset + 1, reason: "not a JSON object"))
                    continue
                }
                add(product(object, line: offset + 1).flatMap { product in seenLine(product, offset + 1, &seen) })
            }
        }
        return (products, errors)
    }

    /// Refuses a sku already seen on an earlier line.
    private static func seenLine(_ product: Product, _ line: Int, _ seen: inout [String: Int]) -> Result<Product, RowError> {
        if let first = seen[product.sku], first != line {
            return .failure(RowError(line: line, reason: "sku \(product.sku) again (first on line \(first))"))
        }
        seen[product.sku] = line
        return .success(product)
    }

    /// One row (CSV fields as strings, or a JSON object) as a product.
    public static func product(_ row: [String: Any], line: Int) -> Result<Product, RowError> {
        func fail(_ reason: String) -> Result<Product, RowError> { .failure(RowError(line: line, reason: reason)) }
        guard let sku = text(row["sku"]), !sku.isEmpty else { return fail("no sku") }
        guard let priceValue = row["price"] else { return fail("sku \(sku): no price") }
        guard let price = number(priceValue), price >= 0 else { return fail("sku \(sku): price \"\(priceValue)\" is not an amount") }
        guard let currency = text(row["currency"])?.uppercased(), currency.count == 3, currency.allSatisfy({ $0.isLetter && $0.isASCII })
        else { return fail("sku \(sku): currency \"\(row["currency"] ?? "")\" is not an ISO 4217 code like BGN") }
        var names = (row["names"] as? [String: Any])?.compactMapValues(text) ?? [:]
        for (key, value) in row where key.hasPrefix("name_") {
            if let name = text(value), !name.isEmpty { names[String(key.dropFirst(5))] = name }
        }
        guard !names.isEmpty else { return fail("sku \(sku): no name (a name_en, name_bg, … column)") }
        var product = Product(sku: sku, names: names, price: price, currency: currency)
        if let value = row["old_price"] {
            guard let old = number(value) else { return fail("sku \(sku): old_price \"\(value)\" is not an amount") }
            product.oldPrice = old
        }
        product.url = text(row["url"])
        product.imageURL = text(row["image_url"])
        product.categories = list(row["categories"])
        product.related = list(row["related"])
        guard product.related.count <= 3 else { return fail("sku \(sku): more than three related products") }
        for (key, keyPath) in [("stock", \Product.stock), ("min_quantity", \Product.minQuantity)] {
            if let value = row[key] {
                guard let int = integer(value) else { return fail("sku \(sku): \(key) \"\(value)\" is not a whole number") }
                product[keyPath: keyPath] = int
            }
        }
        if let value = row["units_sold"] {
            guard let int = integer(value), int >= 0 else { return fail("sku \(sku): units_sold \"\(value)\" is not a count") }
            product.unitsSold = int
        }
        for (key, keyPath) in [("track_inventory", \Product.trackInventory), ("active", \Product.active)] {
            if let value = row[key] {
                guard let flag = boolean(value) else { return fail("sku \(sku): \(key) \"\(value)\" is not true or false") }
                product[keyPath: keyPath] = flag
            }
        }
        return .success(product)
    }

    private static func text(_ value: Any?) -> String? {
        switch value {
        case let string as String: string.trimmingCharacters(in: .whitespaces)
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }

    private static func number(_ value: Any) -> Double? {
        if let number = value as? NSNumber { return number.doubleValue }
        guard let string = value as? String else { return nil }
        return Double(string.trimmingCharacters(in: .whitespaces))
    }

    private static func integer(_ value: Any) -> Int? {
        if let number = value as? NSNumber { return number.intValue }
        return (value as? String).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    private static func boolean(_ value: Any) -> Bool? {
        if let flag = value as? Bool { return flag }
        if let number = value as? NSNumber { return number.intValue != 0 }
        switch (value as? String)?.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: return nil
        }
    }

    private static func list(_ value: Any?) -> [String] {
        if let strings = value as? [String] { return strings.filter { !$0.isEmpty } }
        if let values = value as? [Any] { return values.compactMap(text).filter { !$0.isEmpty } }
        return []
    }
}
