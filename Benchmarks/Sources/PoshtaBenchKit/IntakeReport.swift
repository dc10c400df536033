/// The figures of one `intake` run, and how they are printed.
struct IntakeReport {
    var options: IntakeOptions
    /// Bytes per message as sent (before dot-stuffing).
    var messageSize: Int
    var stats: SessionStats
    /// From the start of the run until its last message was answered (or the time limit).
    var wallSeconds: Double
    var timeLimited = false
    var latency: LatencySummary?
    /// TLS handshake times, with `--starttls`.
    var handshakeLatency: LatencySummary?
    var serverMemoryBefore: ProcessMemory?
    var serverMemory: ProcessMemory?
    var serverCPUSeconds: Double?
    var benchCPUSeconds: Double?
    var machineBusyPercent: Double?
    var loadBefore: [Double] = []
    var loadAfter: [Double] = []

    init(options: IntakeOptions, messageSize: Int, stats: SessionStats, wallSeconds: Double) {
        self.options = options
        self.messageSize = messageSize
        self.stats = stats
        self.wallSeconds = wallSeconds
    }

    var messagesPerSecond: Double { Double(stats.accepted) / wallSeconds }

    /// Completed TLS handshakes ÷ wall time.
    var handshakesPerSecond: Double { Double(stats.handshakes) / wallSeconds }

    /// `TLS 1.3 × 4000, TLS 1.2 × 2`, most frequent first.
    var tlsVersionsText: String {
        stats.tlsVersions.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.key) × \($0.value)" }.joined(separator: ", ")
    }

    /// Messages claimed by no session before the time limit.
    var notStarted: Int { max(0, options.messages - stats.accepted - stats.failed - stats.unfinished) }

    /// CPU milliseconds per accepted message, if anything was accepted.
    func perMessage(_ seconds: Double?) -> Double? {
        guard let seconds, stats.accepted > 0 else { return nil }
        return seconds * 1000 / Double(stats.accepted)
    }

    /// Failure reasons, most frequent first.
    var topReasons: [(reason: String, count: Int)] {
        stats.failureReasons.map { ($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
    }

    var text: String {
        let o = options
        var lines: [String] = []
        let connection = o.reuse ? "one connection per session (RSET between messages)" : "a new connection per message"
        let rate = o.rate.map { ", paced at \(fixed($0, 1)) msgs/s" } ?? ""
        let tls = o.starttls ? ", STARTTLS\(o.auth == nil ? "" : " + AUTH PLAIN")" : ""
        lines.append("poshta-bench intake → \(o.target): \(o.messages) messages of \(messageSize) B, \(o.sessions) session\(o.sessions == 1 ? "" : "s"), \(connection)\(tls)\(rate)")
        lines.append("  accepted      \(stats.accepted)")
        lines.append("  failed        \(stats.failed)")
        for (reason, count) in topReasons.prefix(5) {
            lines.append("                \(count) × \(reason)")
        }
        if timeLimited {
            lines.append("  time limit    \(fixed(o.timeLimit, 1)) s reached: \(stats.unfinished) unfinished, \(notStarted) not started")
        }
        lines.append("  connections   \(stats.connections)")
        lines.append("  wall time     \(fixed(wallSeconds, 2)) s")
        lines.append("  throughput    \(fixed(messagesPerSecond, 1)) accepted msgs/s")
        if let l = latency {
            lines.append("  DATA→250 ms   p50 \(fixed(l.p50, 2))  p90 \(fixed(l.p90, 2))  p99 \(fixed(l.p99, 2))  max \(fixed(l.max, 2))  (mean \(fixed(l.mean, 2)))")
        } else {
            lines.append("  DATA→250 ms   none (nothing accepted)")
        }
        if o.starttls {
            let versions = stats.tlsVersions.isEmpty ? "" : " (\(tlsVersionsText))"
            lines.append("  TLS           \(stats.handshakes) handshakes\(versions), \(stats.tlsFailures) TLS failures")
            lines.append("  handshakes    \(fixed(handshakesPerSecond, 1)) /s")
            if let h = handshakeLatency {
                lines.append("  handshake ms  p50 \(fixed(h.p50, 2))  p90 \(fixed(h.p90, 2))  p99 \(fixed(h.p99, 2))  max \(fixed(h.max, 2))  (mean \(fixed(h.mean, 2)))")
            }
        }
        if let pid = o.pid {
            if let memory = serverMemory {
                var line = "  server \(pid)   peak RSS \(fixed(megabytes(fromKB: memory.peakKB), 1)) MB, RSS \(fixed(megabytes(fromKB: memory.currentKB), 1)) MB"
                if let before = serverMemoryBefore {
                    line += " (RSS \(fixed(megabytes(fromKB: before.currentKB), 1)) MB before)"
                }
                lines.append(line)
            } else {
                lines.append("  server \(pid)   not readable in /proc (gone?)")
            }
            if let cpu = perMessage(serverCPUSeconds) {
                lines.append("  server CPU    \(fixed(cpu, 3)) ms per accepted message")
            }
        }
        if let cpu = perMessage(benchCPUSeconds) {
            lines.append("  bench CPU     \(fixed(cpu, 3)) ms per accepted message")
        }
        if let busy = machineBusyPercent {
            lines.append("  machine CPU   \(fixed(busy, 0)) % busy during the run")
        }
        lines.append("  load average  \(loadAfter.map { fixed($0, 2) }.joined(separator: " ")) (1-minute before: \(loadBefore.first.map { fixed($0, 2) } ?? "?"))")
        return lines.joined(separator: "\n")
    }

    var json: String {
        var j = JSONObject()
        j["mode"] = .string("intake")
        j["target"] = .string(options.target.description)
        j["messages"] = .int(options.messages)
        j["sessions"] = .int(options.sessions)
        j["size"] = .int(messageSize)
        j["reuse"] = .bool(options.reuse)
        j["rate"] = options.rate.map { .number($0, digits: 3) } ?? .null
        j["accepted"] = .int(stats.accepted)
        j["failed"] = .int(stats.failed)
        j["unfinished"] = .int(stats.unfinished)
        j["not_started"] = .int(notStarted)
        j["time_limited"] = .bool(timeLimited)
        j["connections"] = .int(stats.connections)
        j["wall_s"] = .number(wallSeconds, digits: 3)
        j["msgs_per_s"] = .number(messagesPerSecond, digits: 1)
        j["starttls"] = .bool(options.starttls)
        j["auth"] = .bool(options.auth != nil)
        j["handshakes"] = .int(stats.handshakes)
        j["handshakes_per_s"] = options.starttls ? .number(handshakesPerSecond, digits: 1) : .null
        j["handshake_p50_ms"] = handshakeLatency.map { .number($0.p50, digits: 3) } ?? .null
        j["handshake_p99_ms"] = handshakeLatency.map { .number($0.p99, digits: 3) } ?? .null
        j["tls_failures"] = .int(stats.tlsFailures)
        j["tls_versions"] = .string(tlsVersionsText)
        j["p50_ms"] = latency.map { .number($0.p50, digits: 3) } ?? .null
        j["p90_ms"] = latency.map { .number($0.p90, digits: 3) } ?? .null
        j["p99_ms"] = latency.map { .number($0.p99, digits: 3) } ?? .null
        j["max_ms"] = latency.map { .number($0.max, digits: 3) } ?? .null
        j["mean_ms"] = latency.map { .number($0.mean, digits: 3) } ?? .null
        j["failures"] = .array(stats.firstFailures.map { .string($0) })
        j["server_pid"] = options.pid.map { .int(Int($0)) } ?? .null
        j["server_peak_rss_mb"] = serverMemory.map { .number(megabytes(fromKB: $0.peakKB), digits: 1) } ?? .null
        j["server_rss_mb"] = serverMemory.map { .number(megabytes(fromKB: $0.currentKB), digits: 1) } ?? .null
        j["server_cpu_ms_per_msg"] = perMessage(serverCPUSeconds).map { .number($0, digits: 3) } ?? .null
        j["bench_cpu_ms_per_msg"] = perMessage(benchCPUSeconds).map { .number($0, digits: 3) } ?? .null
        j["machine_busy_pct"] = machineBusyPercent.map { .number($0, digits: 1) } ?? .null
        j["load"] = .array(loadAfter.map { .number($0, digits: 2) })
        return j.encoded
    }
}
