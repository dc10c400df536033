#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix
import Synchronization

/// Settings of one `e2e` run.
struct E2EOptions {
    /// The client side: target, messages, sessions, size, reuse, pipelining, threads, pid;
    /// its time limit is `timeout`.
    var intake: IntakeOptions
    var sinkHost: String
    var sinkPort: Int
    var sinkThreads: Int
    /// Bound on the whole run, from the start to the last arrival.
    var timeout: Double
    var json: Bool

    static let usage = """
        poshta-bench e2e (--target HOST:PORT | --port PORT) --messages N --sessions C --size BYTES
                         [--sink-port 2627] [--sink-host 127.0.0.1] [--sink-threads 1]
                         [--timeout SECONDS] [--pid PID] [--reuse] [--json]
                         [--no-pipelining] [--threads T] [--reply-timeout SECONDS]
        """

    init(arguments: [String]) throws {
        let scan = try ArgumentScanner(
            arguments,
            valued: ["target", "port", "messages", "sessions", "size", "pid", "timeout", "threads", "reply-timeout",
                     "sink-port", "sink-host", "sink-threads"],
            flags: ["reuse", "json", "no-pipelining"]
        )
        let target: String
        if let text = scan.string("target") {
            guard scan.string("port") == nil else { throw UsageError(description: "give --target or --port, not both") }
            target = text
        } else {
            target = "127.0.0.1:\(try scan.int("port", range: 1...65535))"
        }
        timeout = try scan.double("timeout", default: 120, range: 0.1...86_400) ?? 120
        json = scan.flag("json")
        sinkHost = scan.string("sink-host") ?? "127.0.0.1"
        sinkPort = try scan.int("sink-port", default: 2627, range: 0...65535)
        sinkThreads = try scan.int("sink-threads", default: 1, range: 1...64)
        var forwarded = ["--target", target, "--time-limit", "\(timeout)"]
        for name in ["messages", "sessions", "size", "pid", "threads", "reply-timeout"] {
            if let value = scan.string(name) { forwarded += ["--\(name)", value] }
        }
        for name in ["reuse", "no-pipelining"] where scan.flag(name) { forwarded.append("--\(name)") }
        intake = try IntakeOptions(arguments: forwarded)
        if let sinkTarget = Target("\(sinkHost):\(sinkPort)"), sinkTarget == intake.target {
            throw UsageError(description: "the sink cannot listen where the MTA under test does (\(sinkTarget))")
        }
    }
}

/// A failure that is not a usage mistake, such as the sink's port being taken.
struct E2EError: Error, CustomStringConvertible {
    var description: String
}

/// The `e2e` mode: starts the sink, sends N messages with C sessions to the MTA under test,
/// and follows them until the sink has all that were accepted (or the time is up).
enum E2EBenchmark {
    static let samplePeriod = 0.010

    static func run(_ options: E2EOptions) throws -> E2EReport {
        let intake = options.intake
        raiseOpenFilesLimit(to: intake.sessions * 2 + 1024)
        let runID = IntakeBenchmark.randomRunID()
        let sinkGroup = MultiThreadedEventLoopGroup(numberOfThreads: options.sinkThreads)
        defer { try? sinkGroup.syncShutdownGracefully() }
        let sink: SMTPSink
        do {
            sink = try SMTPSink(
                host: options.sinkHost, port: options.sinkPort, runID: runID, messages: intake.messages, group: sinkGroup
            )
        } catch {
            throw E2EError(description: "the sink cannot listen on \(options.sinkHost):\(options.sinkPort): \(error)"
                + " (is pf-sink.py there? PF_INSTANCE=bench pf.sh sink-stop)")
        }
        defer { sink.close() }

        let address = try SocketAddress.makeAddressResolvingHost(intake.target.host, port: intake.target.port)
        let template = MessageTemplate(size: intake.size, from: intake.from, to: intake.to, runID: runID)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: min(intake.threads, intake.sessions))
        defer { try? group.syncShutdownGracefully() }

        let serverCPUBefore = intake.pid.flatMap { processTreeCPUSeconds(pid: $0) }
        let ownCPUBefore = ownCPUSeconds()
        let machineBefore = MachineCPU()
        let loadBefore = loadAverages()

        let run = IntakeRun(options: intake, address: address, template: template, recordsAcceptTimes: true)
        var sessions: [EventLoopFuture<SessionStats>] = []
        for _ in 0..<intake.sessions {
            let loop = group.next()
            sessions.append(loop.flatSubmit { SessionDriver(run: run, eventLoop: loop).start() })
        }
        let all = EventLoopFuture.whenAllSucceed(sessions, on: group.next())
        let clientsDone = Atomic<Bool>(false)
        all.whenComplete { _ in clientsDone.store(true, ordering: .sequentiallyConsistent) }
        let watchdog = group.next().scheduleTask(deadline: run.deadline + IntakeBenchmark.watchdogGrace) {
            writeToStandardError("poshta-bench: sessions did not stop after the time limit; giving up\n")
            exit(3)
        }

        // Sample the backlog (accepted, not yet arrived) every 10 ms until everything
        // accepted has arrived, or the time is up.
        var peak = 0
        var peakAt = 0.0
        var backlogSum = 0.0
        var samples = 0
        var timedOut = false
        let deadline = run.deadline.uptimeNanoseconds
        while true {
            sleepSeconds(samplePeriod)
            let done = clientsDone.load(ordering: .sequentiallyConsistent)
            let accepted = run.acceptedSoFar.load(ordering: .relaxed)
            let arrived = sink.arrived.load(ordering: .relaxed)
            let now = NIODeadline.now().uptimeNanoseconds
            let backlog = max(0, accepted - arrived)
            if backlog > peak {
                peak = backlog
                peakAt = Double(now &- run.start.uptimeNanoseconds) / 1e9
            }
            backlogSum += Double(backlog)
            samples += 1
            if done, arrived >= accepted { break }
            if now >= deadline {
                timedOut = true
                break
            }
        }
        let results = try all.wait()
        watchdog.cancel()
        let end = NIODeadline.now()

        var stats = SessionStats()
        for result in results { stats.merge(result) }
        let records = sink.snapshot()

        var report = E2EReport(options: options, messageSize: template.size, stats: stats)
        report.timedOut = timedOut
        report.arrived = sink.arrived.load(ordering: .relaxed)
        report.duplicates = records.duplicates
        report.foreign = records.foreign
        report.sinkRecipients = records.recipients
        report.sinkResets = records.resets
        report.sinkConnections = sink.connectionsOpened.load(ordering: .relaxed)
        report.sinkPeakOpen = sink.peakConnectionsOpen.load(ordering: .relaxed)
        report.sinkTransactions = sink.transactions.load(ordering: .relaxed)
        report.queuePeak = peak
        report.queuePeakAt = peakAt
        report.queueMean = samples > 0 ? backlogSum / Double(samples) : 0

        let startNanos = run.start.uptimeNanoseconds
        let firstMail = run.firstMailAt.load(ordering: .relaxed)
        let origin = firstMail > 0 ? firstMail : startNanos
        let lastArrival = records.arrivals.max() ?? 0
        let endNanos = end.uptimeNanoseconds
        // Complete: every accepted message arrived; the clock stops at the last arrival.
        // Otherwise it runs until the time was up.
        let stop = (report.complete && lastArrival > 0) ? lastArrival : endNanos
        report.endToEndSeconds = Double(max(stop &- origin, 1)) / 1e9
        if stats.lastEvent > 0 {
            report.intakeSeconds = Double(max(stats.lastEvent &- origin, 1)) / 1e9
            if lastArrival > stats.lastEvent { report.drainSeconds = Double(lastArrival - stats.lastEvent) / 1e9 }
            else if lastArrival > 0 { report.drainSeconds = 0 }
        }
        report.latency = LatencySummary(nanoseconds: stats.latencies)
        var transit: [UInt64] = []
        transit.reserveCapacity(stats.acceptTimes.count)
        for accept in stats.acceptTimes where accept.index < records.arrivalByIndex.count {
            let arrival = records.arrivalByIndex[accept.index]
            // An MTA may pass a message on before its 250 reaches the client: count 0.
            if arrival > 0 { transit.append(arrival > accept.at ? arrival - accept.at : 0) }
        }
        report.transit = LatencySummary(nanoseconds: transit)

        if let pid = intake.pid, let before = serverCPUBefore, let after = processTreeCPUSeconds(pid: pid) {
            report.serverCPUSeconds = after - before
        }
        report.benchCPUSeconds = ownCPUSeconds() - ownCPUBefore
        if let before = machineBefore, let after = MachineCPU() {
            report.machineBusyPercent = after.busyPercent(since: before)
        }
        report.loadBefore = loadBefore
        report.loadAfter = loadAverages()
        return report
    }
}

/// The figures of one `e2e` run, and how they are printed.
struct E2EReport {
    var options: E2EOptions
    var messageSize: Int
    /// The client side (accepted, failed, DATA→250 …).
    var stats: SessionStats
    var timedOut = false
    /// Distinct messages of this run that reached the sink.
    var arrived = 0
    var duplicates = 0
    /// Transactions at the sink that were not this run's messages.
    var foreign = 0
    var sinkRecipients = 0
    var sinkResets = 0
    /// Connections the MTA opened to the sink, and the most open at once.
    var sinkConnections = 0
    var sinkPeakOpen = 0
    var sinkTransactions = 0
    /// Accepted but not yet arrived, sampled every 10 ms: the largest, when, and the mean.
    var queuePeak = 0
    var queuePeakAt = 0.0
    var queueMean = 0.0
    /// From the first MAIL to the last arrival (or to the end, if not all arrived).
    var endToEndSeconds = 0.0
    /// From the first MAIL to the last 250.
    var intakeSeconds: Double?
    /// From the last 250 to the last arrival.
    var drainSeconds: Double?
    var latency: LatencySummary?
    /// From each message's 250 to its arrival at the sink.
    var transit: LatencySummary?
    var serverCPUSeconds: Double?
    var benchCPUSeconds: Double?
    var machineBusyPercent: Double?
    var loadBefore: [Double] = []
    var loadAfter: [Double] = []

    init(options: E2EOptions, messageSize: Int, stats: SessionStats) {
        self.options = options
        self.messageSize = messageSize
        self.stats = stats
    }

    /// Every accepted message arrived, within the time limit.
    var complete: Bool { stats.accepted > 0 && arrived >= stats.accepted && !timedOut }

    var endToEndPerSecond: Double { Double(arrived) / endToEndSeconds }

    var intakePerSecond: Double? { intakeSeconds.map { Double(stats.accepted) / $0 } }

    var messagesPerConnection: Double? {
        sinkConnections > 0 ? Double(sinkTransactions) / Double(sinkConnections) : nil
    }

    func perMessage(_ seconds: Double?) -> Double? {
        guard let seconds, arrived > 0 else { return nil }
        return seconds * 1000 / Double(arrived)
    }

    var topReasons: [(reason: String, count: Int)] {
        stats.failureReasons.map { ($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
    }

    var text: String {
        let o = options.intake
        var lines: [String] = []
        let connection = o.reuse ? "one connection per session (RSET between messages)" : "a new connection per message"
        lines.append("poshta-bench e2e → \(o.target), sink on \(options.sinkHost):\(options.sinkPort): \(o.messages) messages of \(messageSize) B, \(o.sessions) session\(o.sessions == 1 ? "" : "s"), \(connection)")
        let status = complete ? "all accepted messages arrived" : timedOut
            ? "TIME LIMIT \(fixed(options.timeout, 0)) s reached: \(max(0, stats.accepted - arrived)) accepted messages never arrived"
            : "INCOMPLETE"
        lines.append("  result          \(status)")
        lines.append("  end to end      \(fixed(endToEndPerSecond, 1)) msgs/s: \(arrived) arrived in \(fixed(endToEndSeconds, 2)) s (first MAIL → \(complete ? "last arrival" : "end"))")
        var intakeLine = "  intake          \(stats.accepted) accepted, \(stats.failed) failed"
        if let rate = intakePerSecond, let seconds = intakeSeconds {
            intakeLine += ", \(fixed(rate, 1)) msgs/s (\(fixed(seconds, 2)) s to the last 250)"
        }
        lines.append(intakeLine)
        for (reason, count) in topReasons.prefix(5) {
            lines.append("                  \(count) × \(reason)")
        }
        if let l = latency {
            lines.append("  DATA→250 ms     p50 \(fixed(l.p50, 2))  p99 \(fixed(l.p99, 2))  max \(fixed(l.max, 2))")
        }
        lines.append("  queue peak      \(queuePeak) accepted but not arrived (at \(fixed(queuePeakAt, 2)) s; mean \(fixed(queueMean, 0)), sampled every 10 ms)")
        if let drain = drainSeconds {
            lines.append("  drain           \(fixed(drain, 2)) s from the last 250 to the last arrival")
        }
        if let t = transit {
            lines.append("  250→sink ms     p50 \(fixed(t.p50, 1))  p90 \(fixed(t.p90, 1))  p99 \(fixed(t.p99, 1))  max \(fixed(t.max, 1))")
        }
        let perConnection = messagesPerConnection.map { ", \(fixed($0, 1)) messages per connection" } ?? ""
        lines.append("  outbound        \(sinkConnections) connections opened to the sink (at most \(sinkPeakOpen) at once)\(perConnection)")
        lines.append("  sink            \(sinkTransactions) transactions, \(sinkRecipients) recipients, \(sinkResets) RSET; \(duplicates) duplicates, \(foreign) not of this run")
        lines.append("  client          \(stats.connections) connections to the MTA")
        if let cpu = perMessage(serverCPUSeconds) {
            lines.append("  server CPU      \(fixed(cpu, 3)) ms per arrived message")
        }
        if let cpu = perMessage(benchCPUSeconds) {
            lines.append("  bench CPU       \(fixed(cpu, 3)) ms per arrived message (client and sink)")
        }
        if let busy = machineBusyPercent {
            lines.append("  machine CPU     \(fixed(busy, 0)) % busy during the run")
        }
        lines.append("  load average    \(loadAfter.map { fixed($0, 2) }.joined(separator: " ")) (1-minute before: \(loadBefore.first.map { fixed($0, 2) } ?? "?"))")
        return lines.joined(separator: "\n")
    }

    var json: String {
        let o = options.intake
        var j = JSONObject()
        j["mode"] = .string("e2e")
        j["target"] = .string(o.target.description)
        j["sink"] = .string("\(options.sinkHost):\(options.sinkPort)")
        j["messages"] = .int(o.messages)
        j["sessions"] = .int(o.sessions)
        j["size"] = .int(messageSize)
        j["reuse"] = .bool(o.reuse)
        j["complete"] = .bool(complete)
        j["timed_out"] = .bool(timedOut)
        j["accepted"] = .int(stats.accepted)
        j["failed"] = .int(stats.failed)
        j["arrived"] = .int(arrived)
        j["e2e_s"] = .number(endToEndSeconds, digits: 3)
        j["e2e_msgs_per_s"] = .number(endToEndPerSecond, digits: 1)
        j["intake_s"] = intakeSeconds.map { .number($0, digits: 3) } ?? .null
        j["intake_msgs_per_s"] = intakePerSecond.map { .number($0, digits: 1) } ?? .null
        j["drain_s"] = drainSeconds.map { .number($0, digits: 3) } ?? .null
        j["queue_peak"] = .int(queuePeak)
        j["queue_peak_at_s"] = .number(queuePeakAt, digits: 2)
        j["queue_mean"] = .number(queueMean, digits: 1)
        j["sink_connections"] = .int(sinkConnections)
        j["sink_peak_open"] = .int(sinkPeakOpen)
        j["sink_transactions"] = .int(sinkTransactions)
        j["sink_recipients"] = .int(sinkRecipients)
        j["sink_rsets"] = .int(sinkResets)
        j["msgs_per_connection"] = messagesPerConnection.map { .number($0, digits: 2) } ?? .null
        j["duplicates"] = .int(duplicates)
        j["foreign"] = .int(foreign)
        j["client_connections"] = .int(stats.connections)
        j["p50_ms"] = latency.map { .number($0.p50, digits: 3) } ?? .null
        j["p99_ms"] = latency.map { .number($0.p99, digits: 3) } ?? .null
        j["transit_p50_ms"] = transit.map { .number($0.p50, digits: 2) } ?? .null
        j["transit_p99_ms"] = transit.map { .number($0.p99, digits: 2) } ?? .null
        j["transit_max_ms"] = transit.map { .number($0.max, digits: 2) } ?? .null
        j["failures"] = .array(stats.firstFailures.map { .string($0) })
        j["server_pid"] = o.pid.map { .int(Int($0)) } ?? .null
        j["server_cpu_ms_per_msg"] = perMessage(serverCPUSeconds).map { .number($0, digits: 3) } ?? .null
        j["bench_cpu_ms_per_msg"] = perMessage(benchCPUSeconds).map { .number($0, digits: 3) } ?? .null
        j["machine_busy_pct"] = machineBusyPercent.map { .number($0, digits: 1) } ?? .null
        j["load"] = .array(loadAfter.map { .number($0, digits: 2) })
        return j.encoded
    }
}
