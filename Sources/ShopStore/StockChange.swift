/// A product's stock moving, and the administrator notifications it calls
/// for: `admin_out_of_stock` when a product that tracks inventory runs out,
/// `admin_low_stock` when a product with a minimum-quantity alert falls to
/// its minimum or below. Each once per crossing: falling further, or
/// staying below, says nothing new; rising above and falling again does.
public struct StockChange: Sendable, Hashable {
    /// What a crossing calls for.
    public enum Alert: Sendable, Hashable {
        case outOfStock
        case lowStock(minimum: Int)

        /// The template key of the notification.
        public var templateKey: String {
            switch self {
            case .outOfStock: "admin_out_of_stock"
            case .lowStock: "admin_low_stock"
            }
        }
    }

    /// The stock before; nil when it was not known (then any level at or
    /// under a threshold counts as a crossing: nobody has been told yet).
    public var before: Int?
    /// The product, its new stock set.
    public var product: Product

    public init(before: Int?, product: Product) {
        self.before = before
        self.product = product
    }

    /// The notifications this change calls for; out of stock wins over low
    /// stock when one change crosses both.
    public var alerts: [Alert] {
        guard let after = product.stock else { return [] }
        func crossed(_ threshold: Int) -> Bool {
            after <= threshold && (before.map { $0 > threshold } ?? true)
        }
        if product.trackInventory, crossed(0) { return [.outOfStock] }
        if let minimum = product.minQuantity, after > 0 || !product.trackInventory, crossed(minimum) {
            return [.lowStock(minimum: minimum)]
        }
        return []
    }
}
