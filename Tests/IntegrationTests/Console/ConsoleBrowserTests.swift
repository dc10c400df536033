import Accounts
import Foundation
import PoshtaTestSupport
import ShopStore
import Testing

/// The web console in a real browser: headless Chromium driven by Selenium
/// (Tests/Browser/console_browser.py) against a running daemon. The script
/// clicks what an owner or a sysadmin would click and checks what they
/// would check — the page, the mail in the outbox, the queue — and takes
/// a screenshot of every page at desktop and phone width into
/// `.build/test-output/console/`. Serialized: one Chromium at a time is
/// enough for two cores.
@Suite("the web console in headless Chromium", .serialized)
struct ConsoleBrowserTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let script = repository + "/Tests/Browser/console_browser.py"
    static let screenshots = repository + "/.build/test-output/console"

    static let owner = (name: "maria", password: "чай и мед 2026")
    static let admin = (name: "ivan", password: "opaschka-99")

    /// A shop daemon with console users, on a copy of the shipped templates (the console writes into it).
    static func daemon(extra: String = "") async throws -> (TestDaemon, templates: String, keep: TemporaryDirectory) {
        let copy = try TemporaryDirectory(prefix: "poshta-console-templates")
        let templates = copy.path + "/templates"
        try FileManager.default.copyItem(atPath: repository + "/conf/templates", toPath: templates)
        let daemon = try await ShopMailTests.shopDaemon(
            extra: """

                [marketing]
                enabled = false
                max_per_day = 0
                unsubscribe_url = "https://romashka.example/u"

                [coupons.abandoned_cart]
                source = "generate"
                percent = 10
                prefix = "CART-"
                validity_days = 14
                \(extra)
                """,
            templates: templates, users: [(owner.name, owner.password, []), (admin.name, admin.password, [])],
            roles: [owner.name: .owner, admin.name: .admin])
        let store = try SQLiteShopStore(path: daemon.daemon.configuration.shop.store)
        _ = try await store.importCoupons(["TEA-AAA1", "TEA-AAA2", "TEA-AAA3"], for: "order_paid")
        return (daemon, templates, copy)
    }

    /// Runs one part of the browser script against `daemon`; its output is the test's record.
    static func run(_ part: String, _ daemon: TestDaemon, templates: String, maxFailures: Int = 5) async throws {
        let settings: [String: Any] = [
            "part": part, "url": try await daemon.adminURL(), "smtp_port": daemon.port(),
            "outbox": daemon.spool.outboxDirectory, "token": try daemon.adminToken, "templates": templates,
            "owner": owner.name, "owner_password": owner.password, "admin": admin.name, "admin_password": admin.password,
            "screenshots": screenshots, "max_failures": maxFailures,
        ]
        let file = try daemon.directory.write(
            String(decoding: try JSONSerialization.data(withJSONObject: settings), as: UTF8.self), to: "browser-\(part).json")
        // Niced: Chromium is the heaviest thing in a full run, and the suites beside it measure time.
        let result = try await ExternalProcess.run(
            "/usr/bin/env", ["nice", "-n", "10", "python3", script, file], timeout: .seconds(240))
        print(result.output)
        #expect(result.status == 0, "console_browser.py \(part):\n\(result.output)\n\(result.error)")
    }

    @Test("owner: sign-in, CSRF, notification switch obeyed, Bulgarian subject edited and used, syntax error refused with its line, automation switch obeyed, language kept; every page well-formed, labelled, no horizontal scroll at 390 px")
    func owner() async throws {
        let (daemon, templates, folder) = try await Self.daemon()
        try await Self.run("owner", daemon, templates: templates)
        // The edit was a file beside the shipped templates (the script read it, then reverted it); they stay as they were.
        #expect(!FileManager.default.fileExists(atPath: templates + "/custom/bg/order_paid.subject.mustache"))
        let shipped = try String(contentsOfFile: templates + "/bg/order_paid.subject.mustache", encoding: .utf8)
        #expect(!shipped.contains("Платено: поръчка"))
        for page in ["login", "notifications", "automations", "templates", "template-editor", "coupons", "catalog"] {
            for width in ["desktop", "phone"] {
                #expect(FileManager.default.fileExists(atPath: "\(Self.screenshots)/\(page)-\(width).png"), "\(page)-\(width).png")
            }
        }
        #expect(!daemon.logs.matching("console: maria saved template bg/order_paid").isEmpty)
        #expect(!daemon.logs.matching("console: maria reverted template bg/order_paid to the shipped one").isEmpty)
        #expect(!daemon.logs.matching("console: refused POST /notifications from 127.0.0.1: no valid CSRF token").isEmpty)
        try await daemon.stop()
        withExtendedLifetime(folder) {}
    }

    @Test("sysadmin: the queue dashboard, hold and release a message from the list, the message page")
    func queue() async throws {
        let (daemon, templates, folder) = try await Self.daemon(extra: "\n[delivery]\nsuspended = true\n")
        try await Self.run("queue", daemon, templates: templates)
        #expect(!daemon.logs.matching("ivan: hold on 1 message(s), 1 recipient(s) changed").isEmpty)
        #expect(!daemon.logs.matching("ivan: release on 1 message(s), 1 recipient(s) changed").isEmpty)
        try await daemon.stop()
        withExtendedLifetime(folder) {}
    }

    @Test("wrong passwords are throttled as SMTP AUTH's are, and the block covers SMTP too")
    func throttle() async throws {
        let (daemon, templates, folder) = try await Self.daemon(extra: "\n[auth]\nmax_failures = 3\ncool_down = 120\n")
        try await Self.run("throttle", daemon, templates: templates, maxFailures: 3)
        // The same throttle as SMTP AUTH: the address is refused at the SMTP door as well.
        let refused = try await TestSMTPClient.connect(port: daemon.port(), from: "127.0.0.1")
        let greeting = try await refused.reply(timeout: .seconds(2))
        #expect(greeting.codes == "421 4.7.0", "\(greeting)")
        await refused.close()
        try await daemon.stop()
        withExtendedLifetime(folder) {}
    }
}
