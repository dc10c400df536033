#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// The `intake` mode: C sessions send N messages, then the figures are gathered into an ``IntakeReport``.
enum IntakeBenchmark {
    /// Grace after the time limit for sessions to close their connections before the process gives up.
    static let watchdogGrace: TimeAmount = .seconds(15)

    static func run(_ options: IntakeOptions) throws -> IntakeReport {
        raiseOpenFilesLimit(to: options.sessions * 2 + 256)
        let address = try SocketAddress.makeAddressResolvingHost(options.target.host, port: options.target.port)
        let template =
            options.message.map { MessageTemplate(file: $0, runID: randomRunID()) }
            ?? MessageTemplate(size: options.size, from: options.from, to: options.to, runID: randomRunID())
        let group = MultiThreadedEventLoopGroup(numberOfThreads: min(options.threads, options.sessions))
        defer { try? group.syncShutdownGracefully() }

        let memoryBefore = options.pid.flatMap { ProcessMemory(pid: $0) }
        let serverCPUBefore = options.pid.flatMap { processTreeCPUSeconds(pid: $0) }
        let ownCPUBefore = ownCPUSeconds()
        let machineBefore = MachineCPU()
        let loadBefore = loadAverages()

        let tls = options.starttls ? try IntakeRun.makeTLSContext() : nil
        let run = IntakeRun(options: options, address: address, template: template, tls: tls)
        var sessions: [EventLoopFuture<SessionStats>] = []
        for _ in 0..<options.sessions {
            let loop = group.next()
            sessions.append(loop.flatSubmit {
                SessionDriver(run: run, eventLoop: loop).start()
            })
        }
        let watchdog = group.next().scheduleTask(deadline: run.deadline + watchdogGrace) {
            writeToStandardError("poshta-bench: sessions did not stop after the time limit; giving up\n")
            exit(3)
        }
        let results = try EventLoopFuture.whenAllSucceed(sessions, on: group.next()).wait()
        watchdog.cancel()
        let end = NIODeadline.now()

        var stats = SessionStats()
        for result in results { stats.merge(result) }
        let lastEvent = stats.lastEvent > 0 ? NIODeadline.uptimeNanoseconds(stats.lastEvent) : end
        let wall = Double(max((run.isStopping ? end : lastEvent) - run.start, .nanoseconds(1)).nanoseconds) / 1e9

        var report = IntakeReport(options: options, messageSize: template.size, stats: stats, wallSeconds: wall)
        report.timeLimited = run.isStopping
        report.latency = LatencySummary(nanoseconds: stats.latencies)
        report.handshakeLatency = LatencySummary(nanoseconds: stats.handshakeLatencies)
        if let pid = options.pid {
            report.serverMemoryBefore = memoryBefore
            report.serverMemory = ProcessMemory(pid: pid)
            if let before = serverCPUBefore, let after = processTreeCPUSeconds(pid: pid) {
                report.serverCPUSeconds = after - before
            }
        }
        report.benchCPUSeconds = ownCPUSeconds() - ownCPUBefore
        if let before = machineBefore, let after = MachineCPU() {
            report.machineBusyPercent = after.busyPercent(since: before)
        }
        report.loadBefore = loadBefore
        report.loadAfter = loadAverages()
        return report
    }

    /// Eight hex digits, different for each run.
    static func randomRunID() -> String {
        let value = UInt32.random(in: 0...UInt32.max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
