public import Automations
import Foundation
public import ShopStore

/// Whether an automation job may go now, and what its mail would hold:
/// the questions the sender asks of each due job (switch, suppression,
/// consent, manners, something to show), kept apart from the sending so
/// that `poshta automation show` and `poshta customer show` can ask them
/// too without writing anything.
extension ShopMessageTransformer {
    /// What `decide` would do, short of sending.
    enum AutomationDecision {
        /// Skipped or moved.
        case wait(AutomationSender.Outcome)
        /// It may go: the automation, the template's data (blocks added), the locale.
        case go(Automation, [String: Any], locale: String)
    }

    func decision(_ job: AutomationJob, now: Double, alsoSent: [Double]) async throws -> AutomationDecision {
        guard let store else { throw AutomationError("no shop store") }
        let settings = switches.automations
        guard let automation = Automation(rawValue: job.automation) else {
            return .wait(.skipped(reason: "no automation is called \(job.automation)"))
        }
        guard settings.isOn(automation) else { return .wait(.skipped(reason: "\(job.automation) is switched off")) }
        let context = try await store.automationContext(for: job, sentSince: now - FrequencyCap.window)
        if let reason = marketingRefusal(for: job.customer, customer: context.customer, suppressed: context.suppressed) {
            return .wait(.skipped(reason: reason))
        }
        let sent = context.sent + alsoSent
        let time = settings.sendingTime(now: now, sentToCustomer: sent)
        if time > now {
            let quiet = settings.quietHours?.end(ifQuietAt: now, in: settings.timeZone) != nil
            return .wait(.moved(to: time, reason: quiet ? "quiet hours" : "frequency cap: \(sent.count) in the last day"))
        }

        let locale = renderer.locale(for: context.customer?.locale)
        var data: [String: Any]
        switch content(of: job, automation: automation, context: context, locale: locale) {
        case .nothing(let reason): return .wait(.skipped(reason: reason))
        case .data(let found): data = found
        }
        guard let schema = renderer.schema(automation.rawValue) else { throw AutomationError("no template \(automation.rawValue)") }
        try await addBlocks(to: &data, schema: schema, locale: locale)
        for block in ["related_products", "showcase_products"] where (schema.blocks ?? []).contains(block) {
            if (data[block] as? [Any])?.isEmpty ?? true {
                return .wait(.skipped(reason: "the catalog has no \(block.replacingOccurrences(of: "_", with: " "))"))
            }
        }
        return .go(automation, data, locale: locale)
    }

    /// What a job would be if it fired at `now`: the mail rendered in the
    /// customer's language (without a coupon: a dry run hands none out),
    /// or why it would wait or be skipped. Nothing is written.
    public func preview(_ job: AutomationJob, now: Double) async throws -> AutomationPreview {
        switch try await decision(job, now: now, alsoSent: []) {
        case .wait(let outcome):
            return .wouldNotSend(outcome)
        case .go(let automation, let data, let locale):
            let rendered = try renderer.render(
                automation.rawValue, locale: locale, data: data, unsubscribeURL: unsubscribeFields(for: job.customer)?.link)
            return .mail(subject: rendered.subject, text: rendered.text, locale: rendered.locale)
        }
    }
}

/// A job's dry run (`poshta automation show`, `poshta customer show`).
public enum AutomationPreview: Sendable, Equatable {
    case mail(subject: String, text: String, locale: String)
    case wouldNotSend(AutomationSender.Outcome)
}
