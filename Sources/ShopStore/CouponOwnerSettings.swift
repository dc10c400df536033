import Foundation

/// The coupon of each email as the shop owner set it while Poshta runs
/// (the console's coupons page): per template key a rule, or none at all.
/// Kept in the store as JSON; applied over `[coupons.KEY]` at every start,
/// so that the owner's word stands, as with the notification switches.
public struct CouponOwnerSettings: Codable, Sendable, Hashable {
    /// One key's rule as stored: its fields as `[coupons.KEY]` names them.
    public struct Rule: Codable, Sendable, Hashable {
        /// "none" (no coupon), "pool" or "generate".
        public var source: String
        public var percent: Double?
        public var amount: Double?
        public var currency: String?
        public var prefix: String
        public var validityDays: Int?
        /// "none" or "generate".
        public var whenPoolEmpty: String

        /// The rule of a policy; nil: no coupon.
        public init(_ policy: CouponPolicy?) {
            source = policy?.source.rawValue ?? "none"
            switch policy?.value {
            case .percent(let value)?: percent = value
            case .fixed(let value, let code)?:
                amount = value
                currency = code
            case nil: break
            }
            prefix = policy?.prefix ?? ""
            validityDays = policy?.validityDays
            whenPoolEmpty = policy?.generateWhenPoolEmpty == true ? "generate" : "none"
        }

        /// The policy it gives; nil for "none", or for a rule that no longer passes the checks.
        public var policy: CouponPolicy? {
            guard let source = CouponPolicy.Source(rawValue: source) else { return nil }
            return try? CouponPolicy(
                checking: source, percent: percent, amount: amount, currency: currency ?? "", prefix: prefix,
                validityDays: validityDays, whenPoolEmpty: whenPoolEmpty)
        }
    }

    public var rules: [String: Rule]

    public init(rules: [String: Rule] = [:]) {
        self.rules = rules
    }

    /// The configuration's policies with the owner's rules over them.
    public func applied(to configured: [String: CouponPolicy]) -> [String: CouponPolicy] {
        var result = configured
        for (key, rule) in rules { result[key] = rule.policy }
        return result
    }
}

extension ShopStore {
    public func couponOwnerSettings() async throws -> CouponOwnerSettings? {
        guard let json = try await ownerSetting("coupons") else { return nil }
        return try JSONDecoder().decode(CouponOwnerSettings.self, from: Data(json.utf8))
    }

    public func saveCouponOwnerSettings(_ settings: CouponOwnerSettings, now: Double) async throws {
        try await saveOwnerSetting("coupons", json: String(decoding: try JSONEncoder().encode(settings), as: UTF8.self), now: now)
    }
}
