import Foundation
import Spool
import Synchronization

/// Writes delivery outcomes to the spool index in batches: while one
/// transaction commits, the outcomes of every job that finished meanwhile
/// gather for the next — group commit, as on the way in. With fifty
/// deliveries in flight one fsync serves dozens of them.
final class OutcomeRecorder: Sendable {
    private struct Pending {
        var outcomes: [RecipientOutcome] = []
        var waiters: [CheckedContinuation<Void, any Error>] = []
        var flushing = false
    }

    private let spool: Spool
    private let pending = Mutex(Pending())

    init(spool: Spool) {
        self.spool = spool
    }

    /// Returns once the outcomes are committed.
    func record(_ outcomes: [RecipientOutcome]) async throws {
        guard !outcomes.isEmpty else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let startFlush = pending.withLock { state -> Bool in
                state.outcomes += outcomes
                state.waiters.append(continuation)
                guard !state.flushing else { return false }
                state.flushing = true
                return true
            }
            if startFlush {
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while true {
            let batch = pending.withLock { state -> (outcomes: [RecipientOutcome], waiters: [CheckedContinuation<Void, any Error>])? in
                guard !state.waiters.isEmpty else {
                    state.flushing = false
                    return nil
                }
                defer {
                    state.outcomes = []
                    state.waiters = []
                }
                return (state.outcomes, state.waiters)
            }
            guard let batch else { return }
            do {
                try await spool.record(batch.outcomes, now: Date.now.timeIntervalSince1970)
                for waiter in batch.waiters { waiter.resume() }
            } catch {
                for waiter in batch.waiters { waiter.resume(throwing: error) }
            }
        }
    }
}
