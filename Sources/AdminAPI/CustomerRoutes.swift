import Automations
import Foundation
import HTTPListener
import Hummingbird
import Logging
import ShopStore
public import Spool

/// `POST /v1/customers/forget {"email": …}`: the GDPR erasure, done by the
/// daemon because it owns the queue — the store's rows, then the
/// customer's marketing mail still in the queue. The log names the
/// customer by a hash only.
struct CustomerRoutes {
    let store: any ShopStore
    let spool: Spool
    let logger: Logger

    func register(on router: Router<PoshtaRequestContext>) {
        router.post("/v1/customers/forget") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 16 << 10)
            guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                let email = object["email"] as? String, email.contains("@")
            else {
                return AdminResponse.error(.badRequest, "the body is {\"email\": \"customer@example.com\"}")
            }
            var report = try await store.forget(email)
            report.queuedMail = try await spool.withdrawMarketing(of: email, by: "customer forget (\(AddressHash.of(email)))").count
            logger.notice(
                "customer \(AddressHash.of(email)) forgotten: \(report.customer) customer, \(report.orders) order(s), \(report.events) event(s), \(report.jobs) job(s), \(report.carts) cart(s), \(report.favorites) favorite(s), \(report.coupons) coupon(s) unlinked, \(report.queuedMail) queued mail(s) removed")
            return try AdminResponse.json(report)
        }
    }
}

extension Spool {
    /// Deletes the customer's marketing mail still waiting in the queue
    /// (messages tagged with an automation and the customer); returns their ids.
    public func withdrawMarketing(of email: String, by actor: String) async throws -> [String] {
        var removed: [String] = []
        for automation in Automation.allCases {
            removed += try await apply(
                .delete, to: QueueFilter(automation: automation.rawValue, customer: email), now: Date.now.timeIntervalSince1970,
                by: actor
            ).messages
        }
        return removed
    }
}
