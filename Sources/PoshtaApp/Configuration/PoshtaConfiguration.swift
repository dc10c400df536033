public import Automations
public import ShopStore
import TOMLKit

/// The whole `poshta.toml`, checked: every value has its type, range and
/// default applied, and every path is absolute.
///
/// Relative paths in the file resolve against the file's folder. Anything the
/// server could not use (unknown key, wrong type, bad address) is a
/// `ConfigurationError` naming the key and its line.
public struct PoshtaConfiguration: Sendable, Equatable {
    /// Absolute path of the file read.
    public var file: String
    public var server: ServerSection
    /// `[[listener]]`; one relay listener on 127.0.0.1:25 when the file has none.
    public var listeners: [ListenerSection]
    public var tls: TLSSection
    public var limits: LimitsSection
    public var auth: AuthSection
    public var delivery: DeliverySection
    public var admin: AdminSection
    public var shop: ShopSection
    public var notifications: NotificationsSection
    /// `[coupons.KEY]`: the coupon each template key carries.
    public var coupons: [String: CouponPolicy]
    /// `[marketing]`: the automations' switches and delays.
    public var marketing: AutomationSettings
    /// `[marketing]`: the unsubscribe page, links, mailbox and secret.
    public var unsubscribe: UnsubscribeSection
    /// `[dkim]`: the signing keys per domain, and how to sign.
    public var dkim: DKIMSection
    /// Non-fatal remarks, for `poshta check-config` and the start-up log.
    public var warnings: [String]

    static let sections = [
        "server", "listener", "tls", "limits", "auth", "delivery", "admin", "shop", "notifications", "coupons", "marketing", "dkim",
    ]

    /// Reads and checks the file at `path`.
    public static func load(path: String) throws(ConfigurationError) -> PoshtaConfiguration {
        let text: String
        do {
            text = try ConfigurationPaths.readText(path)
        } catch {
            switch error {
            case .system(let reason):
                throw ConfigurationError(file: path, message: "cannot read the configuration file: \(reason)")
            case .notUTF8:
                throw ConfigurationError(file: path, message: "the configuration file is not valid UTF-8")
            }
        }
        return try parse(text, path: path)
    }

    /// Checks `text` as if read from `path`, which names the file in errors and anchors relative paths.
    public static func parse(_ text: String, path: String) throws(ConfigurationError) -> PoshtaConfiguration {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(
                file: path, line: error.source.begin.line,
                message: "TOML syntax error at column \(error.source.begin.column): \(error.description)"
            )
        } catch {
            throw ConfigurationError(file: path, message: "TOML syntax error: \(error)")
        }
        let context = ConfigurationContext(file: path, text: text)
        return try PoshtaConfiguration(root: TOMLTableReader(table: root, path: "", context: context))
    }

    private init(root: TOMLTableReader) throws(ConfigurationError) {
        if let table = root.table {
            let unknown = table.keys.filter { !Self.sections.contains($0) }
            if let first = unknown.min(by: { (root.context.locator.exactLine(for: $0) ?? .max) < (root.context.locator.exactLine(for: $1) ?? .max) }) {
                throw root.error(first, "unknown section or key \"\(first)\"; valid sections: \(Self.sections.joined(separator: ", "))")
            }
        }

        file = root.context.absoluteFile
        server = try ServerSection(reading: root.table("server"))

        if let readers = try root.tableArray("listener", expected: "an array of tables ([[listener]])") {
            guard !readers.isEmpty else {
                throw root.error("listener", "at least one listener is needed; leave the key out for the default 127.0.0.1:25")
            }
            var listeners: [ListenerSection] = []
            for reader in readers {
                let listener = try ListenerSection(reading: reader)
                if listener.port != 0,
                   listeners.contains(where: { $0.host == listener.host && $0.port == listener.port }) {
                    throw reader.error("address", "\"\(listener.address)\" is used by another listener")
                }
                listeners.append(listener)
            }
            self.listeners = listeners
        } else {
            listeners = [ListenerSection.standard]
        }

        tls = try TLSSection(reading: root.table("tls"))
        limits = try LimitsSection(reading: root.table("limits"))
        auth = try AuthSection(reading: root.table("auth"))
        delivery = try DeliverySection(reading: root.table("delivery"))
        admin = try AdminSection(reading: root.table("admin"))
        shop = try ShopSection(reading: root.table("shop"), hostname: server.hostname, spool: server.spool)
        notifications = try NotificationsSection(reading: root.table("notifications"))
        coupons = try CouponsSection.read(root.table("coupons"), currency: shop.currency)
        marketing = try MarketingSection.read(root.table("marketing"), shop: shop)
        unsubscribe = try UnsubscribeSection(reading: root.table("marketing"), shop: shop, hostname: server.hostname)
        dkim = try DKIMSection(reading: root.table("dkim"))

        var warnings: [String] = []
        for (offset, listener) in listeners.enumerated() where listener.mode == .submission && listener.tls == .none {
            let key = "listener[\(offset + 1)]"
            let error = root.context.error("\(key).tls", "submission without TLS: clients cannot authenticate until TLS is on")
            warnings.append(error.description)
        }
        if !ConfigurationSyntax.isLoopback(admin.host) {
            // Allowed only with TLS (AdminSection refuses it without): still worth a line.
            let error = root.context.error(
                "admin.address", "\(admin.host) is not a loopback address: the console and the admin API (the whole queue) are reachable from the network, over TLS")
            warnings.append(error.description)
        }
        self.warnings = warnings
    }
}
