import Automations
import Foundation
import Intake
import Logging
import ShopMail
import ShopStore
import Spool
import Templates

/// `poshta automation bench`: the scale benchmark of issue 8. It fills a
/// fresh store (in a folder of its own, never the configured one) with
/// `jobs` scheduled jobs, `due` of them abandoned carts due now and the
/// rest win-back reminders months away, then fires the due ones with the
/// daemon's sender — store reads, render, MIME, spool with its fsync,
/// the store's record — and prints jobs per second and the process's
/// memory before and after. With a `folder`, the store and spool stay
/// there; with `seedOnly`, nothing is fired, for a daemon to be started on
/// the store (Benchmarks/automations.sh measures the daemon that way).
public enum AutomationBench {
    public static func run(configurationPath: String, jobs: Int, due: Int, folder: String?, seedOnly: Bool) async -> Int32 {
        guard let configuration = Commands.loadConfiguration(configurationPath) else { return Commands.exConfig }
        guard jobs >= due, due > 0, jobs <= 10_000_000 else {
            Commands.printError("poshta automation bench: --due must be 1 or more and at most --jobs (at most 10,000,000)")
            return 64
        }
        let directory = folder ?? NSTemporaryDirectory() + "poshta-automation-bench-\(UUID().uuidString.prefix(8))"
        do {
            let logger = Logger(label: "poshta.bench") { _ in SwiftLogNoOpLogHandler() }
            let store = try SQLiteShopStore(path: directory + "/store.sqlite")
            let now = Date.now.timeIntervalSince1970
            let clock = ContinuousClock()
            let seeding = try await clock.measure { try await seed(store, jobs: jobs, due: due, now: now) }
            print("seeded \(jobs) scheduled jobs (\(due) due now) in \(format(seeding).text) s; store \(megabytes(fileSize(directory + "/store.sqlite"))) MB")
            if seedOnly { return 0 }

            let spool = try Spool(directory: directory + "/spool", logger: logger)
            defer { spool.close() }
            let templates = try await TemplateSet(
                directory: configuration.shop.templates, shop: TemplateCommands.shopIdentity(configuration),
                defaultLocale: configuration.shop.defaultLocale)
            var settings = configuration.shopMail(unsubscribeTokens: UnsubscribeTokens(secret: Array(repeating: 7, count: 32)))
            settings.automations = AutomationSettings(enabled: true, frequencyCap: FrequencyCap(maxPerDay: 0))
            let mail = ShopMessageTransformer(templates: templates, store: store, settings: settings, logger: logger)
            let sender = AutomationSender(mail: mail, intake: Intake(configuration: configuration.intake, spool: spool, logger: logger))

            let before = Memory.current()
            var sent = 0
            var other = 0
            let firing = try await clock.measure {
                while true {
                    let round = try await sender.fireDueJobs(now: now + 1)
                    if round.isEmpty { break }
                    for (_, outcome) in round {
                        if case .sent = outcome { sent += 1 } else { other += 1 }
                    }
                }
            }
            let after = Memory.current()
            let seconds = format(firing)
            print("fired \(sent + other) due jobs in \(seconds.text) s: \(Int(Double(sent) / seconds.value)) jobs/s sent to the spool (\(other) not sent)")
            print("memory: VmRSS \(before.rss / 1024) MB before firing, \(after.rss / 1024) MB after; peak (VmHWM) \(after.peak / 1024) MB")
            print("spool \(megabytes(folderSize(directory + "/spool"))) MB; \(folder == nil ? "removed" : "kept in \(directory)")")
            if folder == nil { try? FileManager.default.removeItem(atPath: directory) }
            return other == 0 ? 0 : 1
        } catch {
            Commands.printError("poshta automation bench: \(error)")
            return 1
        }
    }

    /// `due` customers with a cart of two teas and its reminder due now;
    /// the rest with a win-back reminder six months away. Ten thousand to a
    /// transaction.
    static func seed(_ store: SQLiteShopStore, jobs: Int, due: Int, now: Double) async throws {
        try await store.upsert([
            Product(sku: "TEA-1", names: ["en": "Sencha, 100 g", "bg": "Сенча, 100 г"], price: 18.9, currency: "BGN", categories: ["Tea"]),
            Product(sku: "TEA-2", names: ["en": "Genmaicha, 100 g", "bg": "Генмайча, 100 г"], price: 16.5, currency: "BGN", categories: ["Tea"]),
        ])
        let items = [Order.Item(sku: "TEA-1", quantity: 2, price: 18.9), Order.Item(sku: "TEA-2", quantity: 1, price: 16.5)]
        for start in stride(from: 0, to: jobs, by: 10_000) {
            var chunk: [MailFacts] = []
            chunk.reserveCapacity(10_000)
            for index in start..<min(jobs, start + 10_000) {
                let email = "customer\(index)@bench.example"
                var facts = MailFacts(now: now)
                if index < due {
                    facts.customer = Customer(email: email, name: "Customer \(index)", locale: index % 2 == 0 ? "bg" : "en")
                    facts.cart = Cart(id: "cart-\(index)", customer: email, items: items, checkoutURL: nil, updated: now - 7_200)
                    facts.jobs = [.schedule(automation: "abandoned_cart", customer: email, subject: "cart-\(index)", due: now - Double(index % 60), timing: .move)]
                } else {
                    facts.jobs = [.schedule(automation: "inactive_reminder", customer: email, subject: "customer", due: now + 180 * 86_400, timing: .move)]
                }
                chunk.append(facts)
            }
            try await store.recordAll(chunk)
        }
    }

    static func format(_ duration: Duration) -> (value: Double, text: String) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return (seconds, String(format: "%.2f", seconds))
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    static func folderSize(_ path: String) -> Int {
        let files = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
        return files.reduce(0) { $0 + fileSize(path + "/" + $1) }
    }

    static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f", Double(bytes) / 1_048_576)
    }
}

/// The process's resident memory from /proc/self/status, in KB.
enum Memory {
    static func current() -> (rss: Int, peak: Int) {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func value(_ name: String) -> Int {
            let line = text.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return (value("VmRSS"), value("VmHWM"))
    }
}
