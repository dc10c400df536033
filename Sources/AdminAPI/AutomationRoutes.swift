import Automations
import Foundation
import HTTPListener
import Hummingbird
import ShopMail
import ShopStore

/// The automations under `/v1/automations`, for scripts and the console:
/// the jobs (`?automation=&customer=&state=&limit=`), the figures per
/// automation (`/stats?days=30`), and cancelling scheduled jobs.
struct AutomationRoutes {
    let store: any ShopStore
    /// The shop's mail, whose switches the settings routes change; nil: no settings routes.
    let mail: ShopMessageTransformer?

    /// The automations as they are in force: the master switch, and per automation its switch, delay and rule.
    struct SettingsAnswer: Encodable {
        struct Entry: Encodable {
            var enabled: Bool
            var delay: String
            var rule: String
        }

        var enabled: Bool
        var automations: [String: Entry]

        init(_ settings: AutomationSettings) {
            enabled = settings.enabled
            automations = Dictionary(
                uniqueKeysWithValues: Automation.allCases.map { automation in
                    (
                        automation.rawValue,
                        Entry(
                            enabled: !settings.disabled.contains(automation), delay: settings.delay(automation).description,
                            rule: automation.rule)
                    )
                })
        }
    }

    func registerSettings(on router: Router<PoshtaRequestContext>, mail: ShopMessageTransformer) {
        router.get("/v1/automations/settings") { _, _ in
            try AdminResponse.json(SettingsAnswer(mail.switches.automations))
        }
        router.put("/v1/automations/settings") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 64 << 10)
            guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
                return AdminResponse.error(.badRequest, "the body is a JSON object: enabled, automations")
            }
            do {
                return try AdminResponse.json(SettingsAnswer(try await mail.changeAutomations(object, in: store)))
            } catch let error as ShopEventError {
                return AdminResponse.error(.badRequest, error.description)
            }
        }
    }

    func register(on router: Router<PoshtaRequestContext>) {
        if let mail { registerSettings(on: router, mail: mail) }
        router.get("/v1/automations") { request, _ in
            let query = request.uri.queryParameters
            let states: [AutomationJob.State]
            do {
                states = try AutomationJob.State.parse([query["state"].map(String.init) ?? "scheduled"])
            } catch let error as ShopEventError {
                return AdminResponse.error(.badRequest, error.description)
            }
            let limit = query["limit"].flatMap { Int(String($0)) } ?? 100
            guard (1...10_000).contains(limit) else { return AdminResponse.error(.badRequest, "limit is 1 to 10000") }
            let filter = JobFilter(
                automation: query["automation"].map(String.init), customer: query["customer"].map(String.init), states: states)
            return try AdminResponse.json(try await store.automationJobs(filter, limit: limit))
        }
        router.get("/v1/automations/stats") { request, _ in
            let days = request.uri.queryParameters["days"].flatMap { Int(String($0)) } ?? 30
            guard (1...3_650).contains(days) else { return AdminResponse.error(.badRequest, "days is 1 to 3650") }
            let known = try await store.automationStats(since: Date.now.timeIntervalSince1970 - Double(days) * 86_400)
            return try AdminResponse.json(AutomationStats.everyAutomation(known))
        }
        router.post("/v1/automations/cancel") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 64 << 10)
            guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
                return AdminResponse.error(.badRequest, "the body is not a JSON object")
            }
            let ids = (object["ids"] as? [Any])?.compactMap { ($0 as? NSNumber)?.int64Value }
            let customer = object["customer"] as? String
            let automation = object["automation"] as? String
            guard ids?.isEmpty == false || customer != nil || automation != nil else {
                return AdminResponse.error(.badRequest, "name \"ids\", or \"customer\" and/or \"automation\"")
            }
            let count = try await store.cancelJobs(
                ids: ids, matching: JobFilter(automation: automation, customer: customer),
                reason: "cancelled through the API", now: Date.now.timeIntervalSince1970)
            return try AdminResponse.json(["cancelled": count])
        }
    }
}
