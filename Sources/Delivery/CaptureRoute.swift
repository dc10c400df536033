import Dispatch
import Foundation
import Spool

/// The default route: "delivers" by writing each message to
/// `spool/outbox/<queueid>.eml`, atomically (temp file, fsync, rename), so
/// that a fresh install shows its work without touching the Internet.
struct CaptureRoute: Sendable {
    let spool: Spool
    /// File writes and fsyncs block; they run here, not on the event loops
    /// that carry Swift concurrency.
    private let io = DispatchQueue(label: "poshta.capture")

    init(spool: Spool) {
        self.spool = spool
    }

    /// Writes the message; the outcome applies to every claimed recipient.
    func deliver(_ message: SpooledMessage) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            io.async {
                continuation.resume(with: Result { try self.write(message) })
            }
        }
    }

    private func write(_ message: SpooledMessage) throws -> String {
        let bytes = try spool.readMessage(at: message.location)
        let id = message.envelope.queueID.description
        let path = "\(spool.outboxDirectory)/\(id).eml"
        try spool.writeOutboxFile(bytes, named: "\(id).eml")
        return path
    }
}
