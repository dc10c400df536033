/// Which products a mail shows: the rules of DESIGN.md ("Related products",
/// "Showcase products"), as pure functions over the catalog, so that every
/// case is a unit test.
public enum ProductRules {
    /// At most this many cards in a block.
    public static let blockSize = 6

    /// Related products for an order: per item, in order, its hand-assigned
    /// related products; for an item with none, the best sellers of its
    /// categories. Never an item of the order, never twice, never an
    /// inactive product, at most six.
    ///
    /// - Parameters:
    ///   - orderSKUs: the order's items, in the order's order.
    ///   - catalog: looks a product up by sku.
    ///   - bestSellers: the active products of a category, most units sold first.
    public static func related(
        for orderSKUs: [String], catalog: (String) -> Product?, bestSellers: (String) -> [Product]
    ) -> [Product] {
        let inOrder = Set(orderSKUs)
        var chosen: [Product] = []
        var seen = inOrder
        func take(_ product: Product) {
            guard chosen.count < blockSize, product.active, !seen.contains(product.sku) else { return }
            seen.insert(product.sku)
            chosen.append(product)
        }
        for sku in orderSKUs {
            guard let item = catalog(sku) else { continue }
            let assigned = item.related.prefix(3).compactMap(catalog)
            if !assigned.isEmpty {
                assigned.forEach(take)
            } else {
                // Up to three picked per item, as many as a hand would assign.
                var picked = 0
                for category in item.categories {
                    for product in bestSellers(category) where picked < 3 && !seen.contains(product.sku) && product.active {
                        take(product)
                        picked += 1
                    }
                }
            }
        }
        return chosen
    }

    /// Showcase products: the six most expensive of the `Storefront`
    /// category (fewer if it has fewer); without that category, the six most
    /// expensive of the store (which is the one product of a store that sells one).
    public static func showcase(storefront: [Product]?, all: [Product]) -> [Product] {
        let pool = (storefront.map { $0.isEmpty ? nil : $0 } ?? nil) ?? all
        return Array(
            pool.filter(\.active).sorted { ($0.price, $1.sku) > ($1.price, $0.sku) }.prefix(blockSize))
    }
}
