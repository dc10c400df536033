import Foundation

/// What a shop's own message asks Poshta to add, read from its headers:
/// `X-Shop-Blocks: related, bestsellers, coupon=KEY`, `X-Shop-Layout: default`,
/// and the order the related products are for (`X-Shop-Items: sku, sku` or
/// `X-Shop-Order: NUMBER`). Pure parsing; the errors are the sentences the
/// shop reads in the 554 reply.
public struct ShopEnrichmentRequest: Sendable, Hashable {
    public var related = false
    public var bestsellers = false
    /// The `[coupons.KEY]` to hand out a code from.
    public var couponKey: String?
    /// Wrap the body in the shop's layout.
    public var layout = false
    /// The skus the related products are for, when given.
    public var items: [String]?
    /// The order whose items the related products are for.
    public var orderNumber: String?

    /// Whether any block (not the layout) is asked for.
    public var wantsBlocks: Bool { related || bestsellers || couponKey != nil }

    /// The names, in the order a log line lists them.
    public var summary: String {
        var names: [String] = []
        if related { names.append("related") }
        if bestsellers { names.append("bestsellers") }
        if let couponKey { names.append("coupon=\(couponKey)") }
        if layout { names.append("layout") }
        return names.joined(separator: ", ")
    }

    public init(blocks: String?, layout: String?, items: String?, order: String?) throws(ShopMailError) {
        for entry in (blocks ?? "").split(separator: ",") {
            let word = entry.trimmingCharacters(in: .whitespaces)
            let lower = word.lowercased()
            if lower == "related" {
                related = true
            } else if lower == "bestsellers" {
                bestsellers = true
            } else if lower.hasPrefix("coupon=") {
                let key = String(word.dropFirst("coupon=".count)).trimmingCharacters(in: .whitespaces)
                guard !key.isEmpty, key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                    throw ShopMailError("X-Shop-Blocks: coupon= needs the key of a [coupons.KEY] section")
                }
                couponKey = key
            } else if !word.isEmpty {
                throw ShopMailError(
                    "X-Shop-Blocks: unknown block \"\(word.prefix(40))\"; the blocks are related, bestsellers and coupon=KEY")
            }
        }
        if let layout {
            let value = layout.trimmingCharacters(in: .whitespaces)
            guard value.lowercased() == "default" else {
                throw ShopMailError("X-Shop-Layout: \"\(value.prefix(40))\" is not a layout; the one layout is default")
            }
            self.layout = true
        }
        if let items {
            self.items = items.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let order {
            let number = order.trimmingCharacters(in: .whitespaces)
            orderNumber = number.isEmpty ? nil : number
        }
        guard wantsBlocks || self.layout else {
            throw ShopMailError("X-Shop-Blocks names no block; the blocks are related, bestsellers and coupon=KEY")
        }
        if related && self.items?.isEmpty ?? true && orderNumber == nil {
            throw ShopMailError("X-Shop-Blocks: related needs the order: X-Shop-Order: NUMBER or X-Shop-Items: SKU, SKU")
        }
    }
}

/// A shop's message is wrong; the text says what, for the 554 reply.
public struct ShopMailError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
