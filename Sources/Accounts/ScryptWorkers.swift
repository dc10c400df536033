import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A few serial dispatch queues that run password hashing, taken in turn.
///
/// Why not a task: Swift concurrency runs on the network event loops in
/// Poshta (`Commands.runConcurrencyOnEventLoops`), and 50–100 ms of scrypt
/// there would stall every session on that loop. Why a fixed number of
/// serial queues rather than one concurrent queue: each scrypt holds 32 MiB,
/// and a concurrent queue facing a flood of AUTH attempts would start a
/// thread per waiting attempt; here memory stays at lanes × 32 MiB and the
/// rest wait in line as closures.
final class ScryptWorkers: Sendable {
    private let lanes: [DispatchQueue]
    private let next = Atomic<UInt>(0)

    /// One lane per processor, at least one, at most four.
    init(label: String) {
        let processors = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let count = max(1, min(4, processors))
        lanes = (0..<count).map { DispatchQueue(label: "\(label).\($0)", qos: .userInitiated) }
    }

    var laneCount: Int { lanes.count }

    /// Runs `work` on the next lane and returns its result to the caller's task.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        let index = Int(next.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(lanes.count))
        return await withCheckedContinuation { continuation in
            lanes[index].async { continuation.resume(returning: work()) }
        }
    }
}
