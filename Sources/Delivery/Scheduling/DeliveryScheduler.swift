import Foundation

/// Like the heart of Postfix's qmgr(8): per-destination queues of jobs,
/// started as each destination's concurrency and rate and the global rate
/// allow, and destinations that keep failing set aside as a whole.
///
/// An actor: every decision about starting work happens here, in one
/// place; the jobs themselves run elsewhere (the queue manager's task
/// group), handed over through `starts`.
actor DeliveryScheduler {
    /// A job to run now; with `suspendedBecause` when its destination is
    /// set aside and the job is only to be deferred, without a connection.
    struct Start: Sendable {
        var job: DeliveryJob
        var suspendedBecause: String?
    }

    private struct Destination {
        var queue: [DeliveryJob] = []
        var head = 0
        var running = 0
        var limit: Int
        var pacer: Pacer?
        var consecutiveFailures = 0
        var deadUntil: Double?
        var deadReason = ""

        var waiting: Int { queue.count - head }

        mutating func popFirst() -> DeliveryJob? {
            guard head < queue.count else { return nil }
            let job = queue[head]
            head += 1
            if head > 64, head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return job
        }
    }

    private let configuration: DeliveryConfiguration
    private let starts: AsyncStream<Start>.Continuation
    private var destinations: [String: Destination] = [:]
    private var globalPacer: Pacer?
    private var wakeAt: Double?
    /// Recipients claimed and not yet finished: the active queue's size.
    private(set) var activeRecipients = 0

    init(configuration: DeliveryConfiguration, starts: AsyncStream<Start>.Continuation) {
        self.configuration = configuration
        self.starts = starts
        globalPacer = configuration.globalRate.map(Pacer.init)
    }

    func enqueue(_ jobs: [DeliveryJob]) {
        var touched: [String] = []
        for job in jobs {
            activeRecipients += job.message.recipients.count
            if destinations[job.destination] == nil {
                let politeness = configuration.politeness(for: job.destination)
                destinations[job.destination] = Destination(
                    limit: max(1, politeness.concurrency),
                    pacer: politeness.rate.map(Pacer.init))
                touched.append(job.destination)
            } else if !touched.contains(job.destination) {
                touched.append(job.destination)
            }
            destinations[job.destination]?.queue.append(job)
        }
        for name in touched { pump(name) }
    }

    /// A job ended. `reachable` is nil when it made no connection attempt
    /// (capture, DNS verdicts, suspended destinations).
    func finished(_ job: DeliveryJob, reachable: Bool?, reason: String) {
        activeRecipients -= job.message.recipients.count
        guard var destination = destinations[job.destination] else { return }
        destination.running -= 1
        let now = Date.now.timeIntervalSince1970
        switch reachable {
        case true?:
            destination.consecutiveFailures = 0
            destination.deadUntil = nil
        case false?:
            destination.consecutiveFailures += 1
            if destination.consecutiveFailures >= configuration.deadDestinationThreshold, destination.deadUntil == nil {
                destination.deadUntil = now + Double(configuration.minBackoff)
                destination.deadReason = reason
            }
        case nil:
            break
        }
        destinations[job.destination] = destination
        pump(job.destination)
        if globalPacer != nil { pumpAll() }
        forgetIfIdle(job.destination, now: now)
    }

    /// The reason a destination is set aside, for logs and tests.
    func suspension(of destination: String) -> String? {
        guard let state = destinations[destination], let until = state.deadUntil,
            until > Date.now.timeIntervalSince1970
        else { return nil }
        return state.deadReason
    }

    private func pumpAll() {
        for name in destinations.keys { pump(name) }
    }

    /// Starts what may start of one destination's queue.
    private func pump(_ name: String) {
        guard var destination = destinations[name] else { return }
        defer { destinations[name] = destination }
        let now = Date.now.timeIntervalSince1970
        if let until = destination.deadUntil {
            if until > now {
                // Set aside: defer everything waiting, at once, with no connection.
                while let job = destination.popFirst() {
                    destination.running += 1
                    starts.yield(Start(job: job, suspendedBecause: destination.deadReason))
                }
                return
            }
            destination.deadUntil = nil
            destination.consecutiveFailures = max(0, configuration.deadDestinationThreshold - 1)
        }
        while destination.waiting > 0, destination.running < destination.limit {
            var earliest = now
            if let pacer = destination.pacer { earliest = max(earliest, pacer.nextAllowed(now: now)) }
            if let pacer = globalPacer { earliest = max(earliest, pacer.nextAllowed(now: now)) }
            guard earliest <= now else {
                scheduleWake(at: earliest)
                return
            }
            _ = destination.pacer?.take(now: now)
            _ = globalPacer?.take(now: now)
            guard let job = destination.popFirst() else { return }
            destination.running += 1
            starts.yield(Start(job: job, suspendedBecause: nil))
        }
    }

    private func scheduleWake(at time: Double) {
        if let wakeAt, wakeAt <= time { return }
        wakeAt = time
        let delay = max(0, time - Date.now.timeIntervalSince1970)
        Task {
            try? await Task.sleep(for: .milliseconds(Int64((delay * 1000).rounded(.up))))
            self.wake()
        }
    }

    private func wake() {
        wakeAt = nil
        pumpAll()
    }

    /// Keeps the table small: a destination with nothing waiting, nothing
    /// running, not set aside and no rate slot pending is forgotten.
    private func forgetIfIdle(_ name: String, now: Double) {
        guard let destination = destinations[name], destination.waiting == 0, destination.running == 0,
            destination.deadUntil == nil, destination.consecutiveFailures == 0
        else { return }
        if let pacer = destination.pacer, pacer.nextAllowed(now: now) > now { return }
        destinations[name] = nil
    }
}
