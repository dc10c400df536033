import Foundation
public import Logging

/// The durable spool: accepted messages in append-only segment files, their
/// envelopes and per-recipient state in a SQLite index, a capture folder.
///
/// Layout under the spool folder:
/// - `segments/NNNNNNNN.seg` — records, appended with group commit
/// - `index.sqlite` — the index (rebuilt from segments when missing)
/// - `outbox/` — what the capture route delivered
///
/// A message is accepted only once `accept` returns: its record is on disk
/// (fdatasync) and indexed. After a crash, `open` queues every acknowledged
/// message again and cuts off records that were never acknowledged.
public final class Spool: Sendable {
    public let directory: String
    public let segmentsDirectory: String
    public let outboxDirectory: String
    /// Rung after each group commit, for the queue manager.
    public let doorbell = Doorbell()
    let index: SpoolIndex
    let writer: SegmentWriter
    let ids: QueueIDGenerator
    let logger: Logger

    /// Opens the spool at `directory`, creating it if needed, and recovers it.
    public init(directory: String, logger: Logger) throws {
        self.directory = directory
        self.segmentsDirectory = directory + "/segments"
        self.outboxDirectory = directory + "/outbox"
        self.logger = logger
        for folder in [directory, segmentsDirectory, outboxDirectory] { try SpoolFiles.makeDirectory(folder) }
        do {
            index = try SpoolIndex(path: directory + "/index.sqlite")
        } catch {
            throw SpoolError.index("cannot open \(directory)/index.sqlite: \(error)")
        }
        let recovery = try Self.recover(
            index: index, segmentsDirectory: segmentsDirectory, outboxDirectory: outboxDirectory, logger: logger)
        ids = QueueIDGenerator(after: recovery.newestID)
        let doorbell = self.doorbell
        writer = try SegmentWriter(
            segmentsDirectory: segmentsDirectory, firstSegment: recovery.lastSegment + 1, index: index,
            onFlushed: { doorbell.ring() })
        if recovery.requeued > 0 || recovery.rebuilt > 0 || recovery.droppedBytes > 0 {
            logger.notice(
                "spool recovered: \(recovery.rebuilt) message(s) re-indexed from segments, \(recovery.requeued) recipient(s) set back from active to queued, \(recovery.droppedBytes) byte(s) of unacknowledged records removed"
            )
        }
    }

    /// A new queue id, for the Received header before the message is spooled.
    public func makeQueueID() -> QueueID { ids.next() }

    /// Puts the message on the spool. Returns once it is durable: only then
    /// may the client be told 250.
    public func accept(_ envelope: SpoolEnvelope, message: [UInt8]) async throws {
        try await writer.append(envelope, message: message)
    }

    /// Stops accepting and waits for the records in flight.
    public func close() {
        writer.close()
    }
}

extension Spool {
    /// Writes a file into the outbox atomically and durably.
    public func writeOutboxFile(_ bytes: [UInt8], named name: String) throws {
        try SpoolFiles.writeAtomically(
            bytes, to: "\(outboxDirectory)/\(name)", temporary: "\(outboxDirectory)/.tmp-\(name)",
            syncFolder: outboxDirectory)
    }
}
