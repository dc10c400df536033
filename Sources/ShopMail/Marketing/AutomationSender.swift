public import Automations
import Foundation
public import Intake
import Logging
import MIME
import SMTPProtocol
public import ShopStore
import Templates

/// Sends the automations' mail when it is due: claims the due jobs, asks
/// whether the customer may get marketing mail and whether the manners
/// allow it now (quiet hours, frequency cap), renders the template with
/// the data as it is at that moment, spools it, and marks the job sent.
///
/// Exactly once: a claimed job is `sending` in the store until it is
/// marked; its mail carries the job's id as a spool tag (and in its
/// Message-ID). After a crash, `recover` looks each `sending` job up on the
/// spool: there, it was sent; not there, it goes again.
public final class AutomationSender: Sendable {
    /// What became of one due job.
    public enum Outcome: Sendable, Equatable {
        case sent(queueID: String)
        /// Back to `scheduled` at this time (quiet hours, the frequency cap, a failure).
        case moved(to: Double, reason: String)
        case skipped(reason: String)
    }

    let mail: ShopMessageTransformer
    let store: any ShopStore
    let intake: Intake
    let logger: Logger
    /// Jobs taken per round: a round's jobs are claimed in one transaction
    /// and their ends recorded in another.
    public let batchSize: Int
    /// Customers whose mail is made side by side: rendering uses every
    /// core, and the spool writes what arrives together with one flush.
    let parallelism: Int

    /// `mail` supplies the templates, the shop's settings and the coupons; its store must be set.
    public init(mail: ShopMessageTransformer, intake: Intake, batchSize: Int = 2_000, parallelism: Int = 32) {
        self.parallelism = max(1, parallelism)
        precondition(mail.store != nil, "the automations need the shop store")
        self.mail = mail
        self.store = mail.store!
        self.intake = intake
        self.logger = mail.logger
        self.batchSize = batchSize
    }

    /// How often a failed job (a template that does not render, a full disk) is tried again.
    static let retryDelay: Double = 900

    /// Fires the jobs due by `now`, one batch; returns what became of each,
    /// earliest first, once the store has recorded it.
    ///
    /// Should that record fail, the jobs stay `sending` and the error is
    /// thrown: the next start asks the spool which of them went.
    @discardableResult
    public func fireDueJobs(now: Double) async throws -> [(job: AutomationJob, outcome: Outcome)] {
        let jobs = try await store.claimDueJobs(now: now, limit: batchSize)
        guard !jobs.isEmpty else { return [] }
        // One customer's jobs one after another, so that the frequency cap
        // counts what this round sent them; different customers side by side.
        var queue = Array(Dictionary(grouping: jobs, by: \.customer).values)
        var results: [(job: AutomationJob, outcome: Outcome)] = []
        results.reserveCapacity(jobs.count)
        await withTaskGroup(of: [(job: AutomationJob, outcome: Outcome)].self) { group in
            var running = 0
            while running < parallelism, let next = queue.popLast() {
                group.addTask { await self.fire(next, now: now) }
                running += 1
            }
            for await done in group {
                results += done
                if let next = queue.popLast() { group.addTask { await self.fire(next, now: now) } }
            }
        }
        try await store.finishJobs(results.map { Self.result($0.job, $0.outcome) }, now: now)
        return results.sorted { ($0.job.due, $0.job.id) < ($1.job.due, $1.job.id) }
    }

    /// One customer's claimed jobs, in due order, to their outcomes.
    func fire(_ jobs: [AutomationJob], now: Double) async -> [(job: AutomationJob, outcome: Outcome)] {
        var sentNow: [Double] = []
        var outcomes: [(job: AutomationJob, outcome: Outcome)] = []
        for job in jobs.sorted(by: { ($0.due, $0.id) < ($1.due, $1.id) }) {
            let outcome = await fire(job, now: now, alsoSent: sentNow)
            if case .sent = outcome { sentNow.append(now) }
            outcomes.append((job, outcome))
        }
        return outcomes
    }

    /// One claimed job to its outcome (not yet recorded in the store).
    func fire(_ job: AutomationJob, now: Double, alsoSent: [Double] = []) async -> Outcome {
        do {
            let outcome = try await decide(job, now: now, alsoSent: alsoSent)
            if case .skipped(let reason) = outcome {
                logger.info("automation \(job.automation) job \(job.id) for <\(job.customer)> skipped: \(reason)")
            }
            return outcome
        } catch {
            logger.error("automation \(job.automation) job \(job.id) for <\(job.customer)> failed: \(error); trying again in 15 minutes")
            return .moved(to: now + Self.retryDelay, reason: "failed: \(error)")
        }
    }

    static func result(_ job: AutomationJob, _ outcome: Outcome) -> JobResult {
        switch outcome {
        case .sent: JobResult(id: job.id, state: .sent)
        case .moved(let due, let reason): JobResult(id: job.id, state: .scheduled, due: due, note: reason)
        case .skipped(let reason): JobResult(id: job.id, state: .skipped, note: reason)
        }
    }

    /// Whether `job` may go now and, if so, its mail spooled. `alsoSent`:
    /// the customer's mail of this round, not yet in the store.
    func decide(_ job: AutomationJob, now: Double, alsoSent: [Double] = []) async throws -> Outcome {
        switch try await mail.decision(job, now: now, alsoSent: alsoSent) {
        case .wait(let outcome):
            return outcome
        case .go(let automation, var data, let locale):
            return try await send(job, automation: automation, data: &data, locale: locale, now: now)
        }
    }

    /// Hands out the coupon, renders, builds and spools the mail of a job that may go.
    func send(_ job: AutomationJob, automation: Automation, data: inout [String: Any], locale: String, now: Double) async throws -> Outcome {
        let key = automation.rawValue
        let renderer = mail.renderer
        var facts = MailFacts(now: now)
        facts.coupon = mail.couponRequest(key, recipient: job.customer)
        try await mail.record(facts, into: &data, for: "automation \(key) job \(job.id)", locale: locale)
        let unsubscribe = mail.unsubscribeFields(for: job.customer)
        let rendered = try renderer.render(key, locale: locale, data: data, unsubscribeURL: unsubscribe?.link)
        let settings = mail.settings
        guard let recipient = Mailbox(address: job.customer), let sender = Mailbox(address: settings.fromAddress) else {
            return .skipped(reason: "<\(job.customer)> or the shop's From is not an address")
        }
        let name = (data["customer"] as? [String: Any])?["name"] as? String
        let content = try ShopMailComposer(hostname: settings.hostname).compose(
            rendered, from: MIMEBuilder.Mailbox(settings.fromAddress, displayName: settings.fromName),
            to: [MIMEBuilder.Mailbox(job.customer, displayName: name)], extraFields: unsubscribe?.fields ?? [],
            messageID: "<automation.\(Self.tag(job))@\(settings.hostname)>",
            now: Date(timeIntervalSince1970: now))
        let incoming = IncomingMessage(
            transaction: MailTransaction(sender: .mailbox(sender), parameters: MailParameters(), recipients: [recipient]),
            content: content, client: Self.client)
        let id = try await intake.accept(
            incoming, tags: ["template": key, "automation": key, "customer": job.customer, "job": Self.tag(job)],
            note: "automation=\(key), job=\(job.id), locale=\(rendered.locale)")
        return .sent(queueID: id.description)
    }

    /// The job's spool tag: its id and due time, so that a store made anew
    /// (ids from 1 again) is not mistaken for the old one's.
    public static func tag(_ job: AutomationJob) -> String {
        "\(job.id).\(Int(job.due))"
    }

    /// Poshta itself, as the Received field names the source of its own mail.
    static let client = ClientDescription(address: "127.0.0.1", port: nil, heloName: "automations", extended: true)

    /// After a crash: each job left `sending` is `sent` when its mail is on
    /// the spool, and `scheduled` (due at once) when it is not. Run before
    /// the queue manager starts, while the spool still has every message it
    /// took before the crash.
    @discardableResult
    public func recover(isOnSpool: (AutomationJob) async throws -> Bool, now: Double) async throws -> (sent: Int, again: Int) {
        var sent = 0
        var again = 0
        var results: [JobResult] = []
        for job in try await store.jobsInFlight() {
            if try await isOnSpool(job) {
                results.append(JobResult(id: job.id, state: .sent, note: "found on the spool after a restart"))
                sent += 1
            } else {
                results.append(JobResult(id: job.id, state: .scheduled, note: "not on the spool after a restart"))
                again += 1
            }
        }
        try await store.finishJobs(results, now: now)
        if sent + again > 0 {
            logger.notice("automations after a restart: \(sent) job(s) had reached the spool, \(again) go again")
        }
        return (sent, again)
    }
}

/// An automation job that cannot be sent for a reason to fix (a missing template).
struct AutomationError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
