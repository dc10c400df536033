import NIOCore
import NIOPosix

/// The `idle` mode: what a server's memory pays for many open, idle SMTP connections.
enum IdleBenchmark {
    /// Pause after the last connection is ready before reading the server's memory.
    static let settleSeconds = 1.0

    static func run(_ options: IdleOptions) throws -> IdleReport {
        let limit = raiseOpenFilesLimit(to: options.connections + 256)
        let address = try SocketAddress.makeAddressResolvingHost(options.target.host, port: options.target.port)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let start = NIODeadline.now()
        let openDeadline = start + .nanoseconds(Int64(options.timeLimit * 1e9))

        var report = IdleReport(options: options)
        report.openFilesLimit = limit
        report.loadBefore = loadAverages()
        report.before = options.pid.flatMap { ProcessMemory(pid: $0) }

        let bound = try loop.submit {
            NIOLoopBound(IdleConnections(options: options, eventLoop: loop, address: address, deadline: openDeadline), eventLoop: loop)
        }.wait()
        try loop.flatSubmit { bound.value.open() }.wait()
        report.openSeconds = Double((NIODeadline.now() - start).nanoseconds) / 1e9

        sleepSeconds(settleSeconds)
        (report.ready, report.opened, report.unanswered, report.notStarted) = try loop.submit {
            let idle = bound.value
            return (idle.ready.count, idle.stillOpen, idle.unanswered, idle.notStarted)
        }.wait()
        report.withOpen = options.pid.flatMap { ProcessMemory(pid: $0) }

        sleepSeconds(options.hold)
        report.held = options.pid.flatMap { ProcessMemory(pid: $0) }
        let (stillOpen, failed, closedEarly, reasons) = try loop.submit {
            let idle = bound.value
            return (idle.stillOpen, idle.failed, idle.closedEarly, idle.failures)
        }.wait()
        report.stillOpen = stillOpen
        report.failed = failed
        report.closedEarly = closedEarly
        report.failureReasons = reasons

        try loop.flatSubmit { bound.value.closeAll() }.wait()
        sleepSeconds(settleSeconds)
        report.after = options.pid.flatMap { ProcessMemory(pid: $0) }
        report.loadAfter = loadAverages()
        return report
    }
}

/// The figures of one `idle` run, and how they are printed.
struct IdleReport {
    var options: IdleOptions
    var openFilesLimit = 0
    /// Connections that became ready (greeting and EHLO answered) while opening.
    var ready = 0
    /// Of those, open when the server's memory was read "with all open".
    var opened = 0
    /// Begun but still waiting for the greeting or EHLO reply when opening was cut off.
    var unanswered = 0
    /// Never begun because opening was cut off.
    var notStarted = 0
    /// Of those, still open at the end of the hold.
    var stillOpen = 0
    var failed = 0
    var closedEarly = 0
    var failureReasons: [String: Int] = [:]
    var openSeconds = 0.0
    /// Server memory before any connection, once all were open, at the end of the hold, after closing them.
    var before: ProcessMemory?
    var withOpen: ProcessMemory?
    var held: ProcessMemory?
    var after: ProcessMemory?
    var loadBefore: [Double] = []
    var loadAfter: [Double] = []

    /// The larger of the two readings taken while the connections were open.
    var openRSSKB: Int? {
        switch (withOpen?.currentKB, held?.currentKB) {
        case let (a?, b?): max(a, b)
        case let (a?, nil): a
        case let (nil, b?): b
        default: nil
        }
    }

    /// Extra server RSS per open connection, in kB.
    var perConnectionKB: Double? {
        guard let open = openRSSKB, let before = before?.currentKB, opened > 0 else { return nil }
        return Double(open - before) / Double(opened)
    }

    var text: String {
        var lines: [String] = []
        lines.append("poshta-bench idle → \(options.target): \(options.connections) connections (greeting + EHLO each), held \(fixed(options.hold, 1)) s")
        lines.append("  ready         \(ready) in \(fixed(openSeconds, 2)) s (failed \(failed), open-files limit \(openFilesLimit))")
        if unanswered + notStarted > 0 {
            lines.append("  cut off       after \(fixed(options.timeLimit, 0)) s: \(unanswered) still waiting for the greeting or EHLO reply, \(notStarted) never begun")
        }
        for (reason, count) in failureReasons.sorted(by: { $0.value > $1.value }).prefix(5) {
            lines.append("                \(count) × \(reason)")
        }
        lines.append("  still open    \(opened) when RSS was read, \(stillOpen) at the end of the hold (\(closedEarly) closed by the server)")
        if let pid = options.pid {
            func mb(_ memory: ProcessMemory?) -> String {
                memory.map { fixed(megabytes(fromKB: $0.currentKB), 1) + " MB" } ?? "?"
            }
            lines.append("  server \(pid)   RSS before \(mb(before)), with all open \(mb(withOpen)), after the hold \(mb(held)), after closing \(mb(after))")
            if let peak = after ?? held {
                lines.append("                peak RSS (VmHWM) \(fixed(megabytes(fromKB: peak.peakKB), 1)) MB")
            }
            if let per = perConnectionKB {
                lines.append("  per conn      \(fixed(per, 1)) kB of server RSS per open connection")
            }
        }
        lines.append("  load average  \(loadAfter.map { fixed($0, 2) }.joined(separator: " ")) (1-minute before: \(loadBefore.first.map { fixed($0, 2) } ?? "?"))")
        return lines.joined(separator: "\n")
    }

    var json: String {
        func mb(_ memory: ProcessMemory?) -> JSONValue {
            memory.map { .number(megabytes(fromKB: $0.currentKB), digits: 1) } ?? .null
        }
        var j = JSONObject()
        j["mode"] = .string("idle")
        j["target"] = .string(options.target.description)
        j["connections"] = .int(options.connections)
        j["ready"] = .int(ready)
        j["open_at_reading"] = .int(opened)
        j["still_open"] = .int(stillOpen)
        j["unanswered"] = .int(unanswered)
        j["not_started"] = .int(notStarted)
        j["failed"] = .int(failed)
        j["closed_by_server"] = .int(closedEarly)
        j["open_s"] = .number(openSeconds, digits: 3)
        j["server_pid"] = options.pid.map { .int(Int($0)) } ?? .null
        j["rss_before_mb"] = mb(before)
        j["rss_open_mb"] = openRSSKB.map { .number(megabytes(fromKB: $0), digits: 1) } ?? .null
        j["rss_after_close_mb"] = mb(after)
        j["peak_rss_mb"] = (after ?? held).map { .number(megabytes(fromKB: $0.peakKB), digits: 1) } ?? .null
        j["kb_per_connection"] = perConnectionKB.map { .number($0, digits: 2) } ?? .null
        j["load"] = .array(loadAfter.map { .number($0, digits: 2) })
        return j.encoded
    }
}
