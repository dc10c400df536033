import AdminAPI
import Automations
import Foundation
import Logging
import ShopMail
import ShopStore
import Templates

/// `poshta automation list|show|cancel|stats`: the marketing mail waiting
/// for its time, what one job would send today, and how each automation
/// fares. They read the shop store beside a running daemon (SQLite in WAL
/// mode: readers never block it); `cancel` writes one transaction.
public enum AutomationCommands {
    /// `poshta automation list`: the jobs, next due first (scheduled ones unless `--state` says).
    public static func list(
        configurationPath: String, automation: String?, customer: String?, states: [String], limit: Int, json: Bool
    ) async -> Int32 {
        await Commands.withShopStore(configurationPath, verb: "automation list") { store, _ in
            let chosen: [AutomationJob.State]
            do {
                chosen = try AutomationJob.State.parse(states.isEmpty ? ["scheduled"] : states)
            } catch {
                Commands.printError("poshta automation list: \(error)")
                return 64
            }
            if let automation, Automation(rawValue: automation) == nil {
                Commands.printError("poshta automation list: no automation is called \(automation); they are \(Automation.allCases.map(\.rawValue).joined(separator: ", "))")
                return 64
            }
            let jobs = try await store.automationJobs(
                JobFilter(automation: automation, customer: customer, states: chosen), limit: limit)
            if json {
                print(try encode(jobs))
            } else {
                for job in jobs {
                    print("\(job.id)\t\(job.automation)\t\(job.customer)\t\(QueueText.timestamp(job.due))\t\(job.state.rawValue)\t\(job.subject)")
                }
                print("-- \(jobs.count) job(s)")
            }
            return 0
        }
    }

    /// `poshta automation show ID`: the job, and what it would send if it fired now.
    public static func show(configurationPath: String, id: Int64) async -> Int32 {
        await Commands.withShopStore(configurationPath, verb: "automation show") { store, configuration in
            guard let job = try await store.job(id) else {
                Commands.printError("poshta automation show: there is no job \(id)")
                return 1
            }
            print(try encode(job))
            let mail = try await previewer(configuration, store: store)
            print(text(try await mail.preview(job, now: Date.now.timeIntervalSince1970)))
            return 0
        }
    }

    /// `poshta automation cancel ID… | --customer EMAIL [--automation KEY]`.
    public static func cancel(configurationPath: String, ids: [Int64], customer: String?, automation: String?) async -> Int32 {
        guard !ids.isEmpty || customer != nil || automation != nil else {
            Commands.printError("poshta automation cancel: name job ids, or --customer and/or --automation")
            return 64
        }
        return await Commands.withShopStore(configurationPath, verb: "automation cancel") { store, _ in
            let count = try await store.cancelJobs(
                ids: ids.isEmpty ? nil : ids, matching: JobFilter(automation: automation, customer: customer),
                reason: "cancelled by the administrator", now: Date.now.timeIntervalSince1970)
            print("cancelled \(count) scheduled job(s)")
            return 0
        }
    }

    /// `poshta automation stats`: per automation, over the last `days`.
    public static func stats(configurationPath: String, days: Int, json: Bool) async -> Int32 {
        await Commands.withShopStore(configurationPath, verb: "automation stats") { store, _ in
            let stats = AutomationStats.everyAutomation(
                try await store.automationStats(since: Date.now.timeIntervalSince1970 - Double(days) * 86_400))
            if json {
                print(try encode(stats))
            } else {
                print("automation\tscheduled\tsent\tcancelled\tskipped\tconverted   (last \(days) days; converted: an order within 7 days of the mail)")
                for row in stats {
                    print("\(row.automation)\t\(row.scheduled)\t\(row.sent)\t\(row.cancelled)\t\(row.skipped)\t\(row.converted)")
                }
            }
            return 0
        }
    }

    /// The shop's mail as the daemon would make it, for dry runs: the
    /// templates, the settings, the unsubscribe secret if the daemon made
    /// one (a dry run never makes it).
    static func previewer(_ configuration: PoshtaConfiguration, store: any ShopStore) async throws -> ShopMessageTransformer {
        let templates = try await TemplateSet(
            directory: configuration.shop.templates, shop: TemplateCommands.shopIdentity(configuration),
            defaultLocale: configuration.shop.defaultLocale)
        let secret = try? AdminToken.read(path: configuration.unsubscribe.secretFile)
        return ShopMessageTransformer(
            templates: templates, store: store,
            settings: configuration.shopMail(unsubscribeTokens: secret.map { UnsubscribeTokens(secret: Array($0.value.utf8)) }),
            logger: Logger(label: "poshta.preview"))
    }

    /// A dry run in words: the mail's subject and text, or why it would not go now.
    static func text(_ preview: AutomationPreview) -> String {
        switch preview {
        case .mail(let subject, let text, let locale):
            return "would send now (\(locale)): \(subject)\n\n\(text)"
        case .wouldNotSend(.moved(let time, let reason)):
            return "would wait until \(QueueText.timestamp(time)) UTC: \(reason)"
        case .wouldNotSend(.skipped(let reason)):
            return "would be skipped: \(reason)"
        case .wouldNotSend(.sent):
            return "would send now"
        }
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
