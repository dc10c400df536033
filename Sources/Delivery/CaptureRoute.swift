import Foundation
import Spool

/// The default route: "delivers" by writing each message to
/// `spool/outbox/<queueid>.eml`, atomically (temp file, fsync, rename), so
/// that a fresh install shows its work without touching the Internet.
struct CaptureRoute: Sendable {
    let spool: Spool

    /// Writes the message; the outcome applies to every claimed recipient.
    func deliver(_ message: SpooledMessage) throws -> String {
        let bytes = try spool.readMessage(at: message.location)
        let id = message.envelope.queueID.description
        let path = "\(spool.outboxDirectory)/\(id).eml"
        try spool.writeOutboxFile(bytes, named: "\(id).eml")
        return path
    }
}
