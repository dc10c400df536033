import AdminAPI
import Automations
import Foundation
import ShopMail
import ShopStore
import Spool

/// `poshta customer show|forget`: one customer's story as Poshta knows it,
/// and the GDPR erasure.
public enum CustomerCommands {
    /// `poshta customer show EMAIL`: who they are, then a timeline — events
    /// received, orders, mail accepted and what became of it (delivered,
    /// deferred, bounced), coupons handed out and redeemed, marketing sent,
    /// unsubscribed — and the marketing mail scheduled for them with a dry
    /// run of what it would say today, in their language. Reads the store
    /// and the spool (read-only) beside a running daemon.
    public static func show(configurationPath: String, email: String) async -> Int32 {
        await Commands.withShopStore(configurationPath, verb: "customer show") { store, configuration in
            let customer = try await store.customer(email)
            let address = email.lowercased()
            var lines: [(time: Double, text: String)] = []
            for event in try await store.events(of: address, limit: 1_000) {
                lines.append((event.time, "event \(event.name) #\(event.id)"))
            }
            for order in try await store.orders(of: address, limit: 1_000) {
                let total = order.total.map { String(format: " %.2f %@", $0, order.currency ?? "") } ?? ""
                lines.append((order.placed, "order \(order.number)\(total), \(order.items.count) line(s), status \(order.status ?? "-")"))
            }
            for coupon in try await store.coupons(issuedTo: address) {
                if let issued = coupon.issuedAt { lines.append((issued, "coupon \(coupon.code) handed out (\(coupon.template))")) }
                if let redeemed = coupon.redeemedAt { lines.append((redeemed, "coupon \(coupon.code) redeemed")) }
            }
            let jobs = try await store.automationJobs(JobFilter(customer: address), limit: 1_000)
            for job in jobs where job.state != .scheduled {
                lines.append((job.updated ?? job.due, "marketing \(job.automation) \(job.state.rawValue)\(job.note.map { ": \($0)" } ?? "")"))
            }
            if let suppression = try await store.suppression(of: address) {
                lines.append((suppression.time, "suppressed: \(suppression.reason)"))
            }
            lines += try await mail(of: address, spool: configuration.server.spool)

            print("customer <\(address)>" + (customer == nil ? " (not in the store)" : ""))
            if let customer {
                let consent = customer.marketingConsent.map { $0 ? "yes" : "no" } ?? "not given (default \(configuration.marketing.defaultConsent ? "yes" : "no"))"
                print("name: \(customer.name ?? "-"); locale: \(customer.locale ?? "-"); marketing consent: \(consent); orders: \(customer.orderCount)")
            }
            print("")
            for line in lines.sorted(by: { $0.time < $1.time }) {
                print("\(QueueText.timestamp(line.time)) UTC  \(line.text)")
            }
            let scheduled = jobs.filter { $0.state == .scheduled }.sorted { $0.due < $1.due }
            print("\nscheduled marketing: \(scheduled.isEmpty ? "none" : "")")
            guard !scheduled.isEmpty else { return 0 }
            let previewer = try await AutomationCommands.previewer(configuration, store: store)
            let now = Date.now.timeIntervalSince1970
            for job in scheduled {
                print("- \(job.automation) due \(QueueText.timestamp(job.due)) UTC (job \(job.id)); if it went today:")
                let preview = AutomationCommands.text(try await previewer.preview(job, now: now))
                print(preview.split(separator: "\n", omittingEmptySubsequences: false).prefix(12).map { "    " + $0 }.joined(separator: "\n"))
            }
            return 0
        }
    }

    /// The customer's mail on the spool (while it keeps it): accepted, then each attempt.
    static func mail(of address: String, spool directory: String) async throws -> [(time: Double, text: String)] {
        guard let inspector = try? QueueInspector(spoolDirectory: directory) else { return [] }
        var lines: [(time: Double, text: String)] = []
        for id in try await inspector.ids(taggedWith: "customer", value: address) {
            guard let message = try await inspector.message(id) else { continue }
            let what = message.tags["template"].map { "\($0) " } ?? ""
            lines.append((message.arrival, "mail \(what)accepted (\(id), \(message.size) bytes)"))
            for recipient in message.recipients where recipient.address.lowercased() == address {
                for attempt in recipient.history ?? [] {
                    lines.append((attempt.time, "mail \(id) \(attempt.state.rawValue): \(attempt.reply)"))
                }
            }
        }
        return lines
    }

    /// `poshta customer forget EMAIL`: through the running daemon, which owns the queue.
    public static func forget(configurationPath: String, email: String, admin: String?) async -> Int32 {
        guard let configuration = Commands.loadConfiguration(configurationPath) else { return Commands.exConfig }
        do {
            let client = try QueueSource.client(configuration, admin: admin)
            let body = try JSONSerialization.data(withJSONObject: ["email": email])
            let report = try await client.json(ForgetReport.self, .POST, "/v1/customers/forget", body: Array(body))
            print(
                "forgot <\(email)>: \(report.customer) customer, \(report.orders) order(s), \(report.events) event(s), \(report.jobs) job(s), \(report.carts) cart(s), \(report.favorites) favorite(s); \(report.coupons) coupon(s) no longer name them; \(report.queuedMail) queued marketing mail(s) removed. The suppression list keeps the address, if it is on it."
            )
            return 0
        } catch {
            Commands.printError("poshta customer forget: \(error)")
            return 1
        }
    }
}
