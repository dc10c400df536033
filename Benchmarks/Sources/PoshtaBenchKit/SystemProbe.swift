#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a small file whole (for `/proc`); nil if it cannot be read.
func readSmallFile(_ path: String, limit: Int = 1 << 20) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 8192)
    while bytes.count < limit {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { break }
        bytes.append(contentsOf: chunk[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Memory figures of a process from `/proc/PID/status`, in kB.
struct ProcessMemory: Equatable {
    /// Peak resident set (`VmHWM`).
    var peakKB: Int
    /// Current resident set (`VmRSS`).
    var currentKB: Int

    init?(pid: Int32) {
        guard let status = readSmallFile("/proc/\(pid)/status") else { return nil }
        self.init(status: status)
    }

    init?(status: String) {
        var peak: Int?
        var current: Int?
        for line in status.split(separator: "\n") {
            if line.hasPrefix("VmHWM:") { peak = Self.kilobytes(line) }
            if line.hasPrefix("VmRSS:") { current = Self.kilobytes(line) }
        }
        guard let peak, let current else { return nil }
        peakKB = peak
        currentKB = current
    }

    /// `"VmRSS:\t  12345 kB"` → 12345.
    private static func kilobytes(_ line: Substring) -> Int? {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) }
    }
}

/// Clock-tick fields of `/proc/PID/stat`.
struct ProcessStat {
    var parent: Int32
    /// utime + stime: the process's own CPU, all threads.
    var ownTicks: Double
    /// cutime + cstime: CPU of children it has waited for.
    var reapedChildrenTicks: Double

    init?(pid: Int32) {
        guard let stat = readSmallFile("/proc/\(pid)/stat") else { return nil }
        self.init(stat: stat)
    }

    init?(stat: String) {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        // After "(comm)": state is field 3, ppid 4, utime 14, stime 15, cutime 16, cstime 17.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 14, let parent = Int32(fields[1]),
              let user = Double(fields[11]), let system = Double(fields[12]),
              let childUser = Double(fields[13]), let childSystem = Double(fields[14]) else { return nil }
        self.parent = parent
        ownTicks = user + system
        reapedChildrenTicks = childUser + childSystem
    }
}

/// CPU time, in seconds, used by a process and all its descendants: its own, its live
/// descendants', and that of those already gone (which the kernel adds to their parent's
/// children time once waited for). For a single-process server this is its own CPU; for
/// Postfix's master it is all of Postfix.
func processTreeCPUSeconds(pid: Int32) -> Double? {
    guard let root = ProcessStat(pid: pid) else { return nil }
    var children: [Int32: [Int32]] = [:]
    var stats: [Int32: ProcessStat] = [:]
    if let directory = opendir("/proc") {
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let child = Int32(name), child != pid, let stat = ProcessStat(pid: child) else { continue }
            stats[child] = stat
            children[stat.parent, default: []].append(child)
        }
    }
    var ticks = root.ownTicks + root.reapedChildrenTicks
    var stack = children[pid] ?? []
    var seen: Set<Int32> = [pid]
    while let next = stack.popLast() {
        guard seen.insert(next).inserted, let stat = stats[next] else { continue }
        ticks += stat.ownTicks + stat.reapedChildrenTicks
        stack.append(contentsOf: children[next] ?? [])
    }
    let perSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    return perSecond > 0 ? ticks / perSecond : nil
}

/// CPU time this process has used, in seconds.
func ownCPUSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    let who = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
    let who = RUSAGE_SELF
    #endif
    guard getrusage(who, &usage) == 0 else { return 0 }
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Whole-machine CPU counters from the first line of `/proc/stat`, in ticks.
struct MachineCPU {
    var busy: UInt64
    var total: UInt64

    init?() {
        guard let stat = readSmallFile("/proc/stat"),
              let first = stat.split(separator: "\n").first, first.hasPrefix("cpu ") else { return nil }
        let values = first.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard values.count >= 5 else { return nil }
        // user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
        total = values.prefix(8).reduce(0, +)
        busy = total - values[3] - values[4]
    }

    /// Share of CPU time that was busy between `earlier` and `self`, in percent.
    func busyPercent(since earlier: MachineCPU) -> Double? {
        guard total > earlier.total else { return nil }
        return Double(busy &- earlier.busy) / Double(total - earlier.total) * 100
    }
}

/// The 1, 5 and 15-minute load averages.
func loadAverages() -> [Double] {
    var values = [Double](repeating: 0, count: 3)
    let count = getloadavg(&values, 3)
    return count == 3 ? values : []
}

/// Raises the open-files limit to at least `wanted` (and the hard limit too, which needs root).
/// Returns the soft limit in force afterwards.
@discardableResult
func raiseOpenFilesLimit(to wanted: Int) -> Int {
    var limits = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0 else { return 0 }
    let want = rlim_t(wanted)
    if limits.rlim_cur >= want { return Int(clamping: limits.rlim_cur) }
    var raised = limits
    raised.rlim_cur = want
    if raised.rlim_max < want { raised.rlim_max = want }
    if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) != 0 {
        // Not allowed to raise the hard limit: go as far as it allows.
        raised = limits
        raised.rlim_cur = limits.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised)
    }
    _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits)
    return Int(clamping: limits.rlim_cur)
}

/// Monotonic nanoseconds.
func monotonicNanos() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// Sleeps the calling (non-event-loop) thread.
func sleepSeconds(_ seconds: Double) {
    guard seconds > 0 else { return }
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0, errno == EINTR {
        request = remaining
    }
}
