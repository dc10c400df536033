import Foundation
import ShopStore

/// `poshta coupon import|list`: the pools of codes the shop hands Poshta,
/// and every code handed out.
public enum CouponCommands {
    /// `poshta coupon import FILE --for KEY`: one code per line (blank lines
    /// and `#` comments skipped); codes already known are left as they are.
    public static func importFile(configurationPath: String, file: String, template: String) async -> Int32 {
        guard let configuration = Commands.loadConfiguration(configurationPath) else { return Commands.exConfig }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            Commands.printError("poshta coupon import: cannot read \(file) as UTF-8 text")
            return 1
        }
        let (codes, errors) = CouponCodeList.read(text)
        guard errors.isEmpty else {
            for error in errors.prefix(20) { Commands.printError("\(file): \(error)") }
            if errors.count > 20 { Commands.printError("\(file): … and \(errors.count - 20) more bad lines") }
            Commands.printError("\(file): nothing imported")
            return 1
        }
        do {
            let store = try SQLiteShopStore(path: configuration.shop.store)
            let added = try await store.importCoupons(codes, for: template)
            print("imported \(added) code(s) for \(template)\(codes.count > added ? " (\(codes.count - added) already known)" : "")")
            if configuration.coupons[template]?.source != .pool {
                Commands.printError("note: [coupons.\(template)] does not say source = \"pool\"; these codes are used only once it does")
            }
            return 0
        } catch {
            Commands.printError("poshta coupon import: \(configuration.shop.store): \(error)")
            return 1
        }
    }

    /// `poshta coupon list`: code, template, status, who got it and when; newest first.
    public static func list(configurationPath: String, template: String?, limit: Int) async -> Int32 {
        await Commands.withShopStore(configurationPath, verb: "coupon list") { store, _ in
            let now = Date.now.timeIntervalSince1970
            let coupons = try await store.coupons(for: template, limit: limit)
            for coupon in coupons {
                let issued = coupon.issuedAt.map { QueueText.timestamp($0) } ?? "-"
                print("\(coupon.code)\t\(coupon.template)\t\(coupon.status(now: now).rawValue)\t\(coupon.issuedTo ?? "-")\t\(issued)")
            }
            print("-- \(coupons.count) coupon(s)")
            return 0
        }
    }
}
