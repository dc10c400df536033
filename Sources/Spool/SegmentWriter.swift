import Dispatch
import Foundation
import Synchronization

/// Appends records to the current segment with group commit: sessions that
/// finish DATA while a flush is running wait for the next one, which writes
/// all of them with one `pwrite` and one `fdatasync`, then indexes them in
/// one SQLite transaction. A waiter resumes only after its record is durable.
final class SegmentWriter: Sendable {
    /// Rotate to a new segment once the current one is this large.
    static let segmentSizeLimit = 64 * 1024 * 1024

    private struct Pending {
        var envelope: SpoolEnvelope
        var record: [UInt8]
        var headerLength: Int
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Queue {
        var pending: [Pending] = []
        var flushing = false
        var closed = false
    }

    /// What only the flush thread touches, kept behind a lock for Sendable's sake.
    private struct Current {
        var number: Int
        var file: SegmentFile
        var size: Int
    }

    private let queue = Mutex(Queue())
    private let current: Mutex<Current>
    private let flushThread = DispatchQueue(label: "poshta.spool.flush", qos: .userInitiated)
    private let segmentsDirectory: String
    private let index: SpoolIndex
    private let onFlushed: @Sendable () -> Void

    init(segmentsDirectory: String, firstSegment: Int, index: SpoolIndex, onFlushed: @escaping @Sendable () -> Void) throws {
        self.segmentsDirectory = segmentsDirectory
        self.index = index
        self.onFlushed = onFlushed
        let file = try SegmentFile(path: Self.path(segmentsDirectory, firstSegment), create: true)
        try SpoolFiles.syncDirectory(segmentsDirectory)
        current = Mutex(Current(number: firstSegment, file: file, size: 0))
    }

    static func path(_ directory: String, _ number: Int) -> String {
        let digits = String(number)
        return "\(directory)/\(String(repeating: "0", count: max(0, 8 - digits.count)))\(digits).seg"
    }

    /// The numbers of the segment files in the folder, in order.
    static func segmentNumbers(in directory: String) throws(SpoolError) -> [Int] {
        try SpoolFiles.entries(of: directory)
            .compactMap { name -> Int? in name.hasSuffix(".seg") ? Int(name.dropLast(4)) : nil }
            .sorted()
    }

    /// The segment being appended to; older ones only shrink away.
    var currentSegment: Int { current.withLock { $0.number } }

    /// Returns once the record is durable and indexed.
    func append(_ envelope: SpoolEnvelope, message: [UInt8]) async throws {
        let (record, headerLength) = try SegmentRecord.encode(envelope, message: message)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let startFlush = queue.withLock { state -> Bool? in
                guard !state.closed else { return nil }
                state.pending.append(
                    Pending(envelope: envelope, record: record, headerLength: headerLength, continuation: continuation))
                if state.flushing { return false }
                state.flushing = true
                return true
            }
            switch startFlush {
            case nil: continuation.resume(throwing: SpoolError.closed)
            case true?: flushThread.async { self.flushLoop() }
            case false?: break
            }
        }
    }

    /// Refuses new records and waits for those in flight.
    func close() {
        queue.withLock { $0.closed = true }
        flushThread.sync {}
    }

    private func flushLoop() {
        while true {
            let batch = queue.withLock { state -> [Pending] in
                let batch = state.pending
                state.pending = []
                if batch.isEmpty { state.flushing = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                try flush(batch)
                for item in batch { item.continuation.resume() }
                onFlushed()
            } catch {
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
    }

    private func flush(_ batch: [Pending]) throws {
        try current.withLock { current in
            if current.size >= Self.segmentSizeLimit { try rotate(&current) }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(batch.reduce(0) { $0 + $1.record.count })
            var rows: [(SpoolEnvelope, RecordLocation, envelopeJSON: String)] = []
            var offset = current.size
            for item in batch {
                let location = RecordLocation(
                    segment: current.number, offset: offset, headerLength: item.headerLength,
                    bodyLength: item.record.count - SegmentRecord.overhead - item.headerLength)
                let json = String(
                    decoding: item.record[SegmentRecord.prefixLength..<(SegmentRecord.prefixLength + item.headerLength)],
                    as: UTF8.self)
                rows.append((item.envelope, location, json))
                offset += item.record.count
                bytes += item.record
            }
            do {
                try current.file.write(bytes, at: current.size)
                try current.file.sync()
            } catch {
                // Leave no partial record behind for the next batch to follow.
                try? current.file.truncate(to: current.size)
                throw error
            }
            current.size = offset
            try index.insert(rows, now: Date().timeIntervalSince1970)
        }
    }

    private func rotate(_ current: inout Current) throws {
        let number = current.number + 1
        let file = try SegmentFile(path: Self.path(segmentsDirectory, number), create: true)
        try SpoolFiles.syncDirectory(segmentsDirectory)
        current = Current(number: number, file: file, size: 0)
    }
}
