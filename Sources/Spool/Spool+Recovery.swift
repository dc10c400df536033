import Foundation
import GRDB
import Logging

extension Spool {
    struct Recovery {
        var lastSegment = 0
        var newestID: QueueID?
        var rebuilt = 0
        var requeued = 0
        var droppedBytes = 0
    }

    /// Brings the index in line with the segment files after a stop or a crash:
    /// records on disk but not indexed are indexed (queued), records cut
    /// short are removed, recipients left `active` are queued again, and
    /// half-written capture files are removed.
    static func recover(
        index: SpoolIndex, segmentsDirectory: String, outboxDirectory: String, logger: Logger
    ) throws -> Recovery {
        var recovery = Recovery()
        let now = Date().timeIntervalSince1970
        let segments = try SegmentWriter.segmentNumbers(in: segmentsDirectory)
        recovery.lastSegment = segments.last ?? 0
        for number in segments {
            let path = SegmentWriter.path(segmentsDirectory, number)
            let file = try SegmentFile(path: path, create: false)
            let indexedEnd = try index.database.read { db in
                try Int.fetchOne(
                    db,
                    sql: "SELECT MAX(offset + header_length + body_length) FROM message WHERE segment = ?",
                    arguments: [number]) ?? 0
            }
            let scanStart = indexedEnd > 0 ? indexedEnd + SegmentRecord.overhead : 0
            let scan = try SegmentRecord.scan(file, from: scanStart)
            if case .damaged(let reason) = scan.stop {
                let size = try file.size()
                logger.warning(
                    "spool: \(path): \(reason) at offset \(scan.validEnd); removing \(size - scan.validEnd) byte(s) that were never acknowledged"
                )
                try file.truncate(to: scan.validEnd)
                try file.sync()
                recovery.droppedBytes += size - scan.validEnd
            }
            if !scan.records.isEmpty {
                let rows = scan.records.map { record in
                    let location = RecordLocation(
                        segment: number, offset: record.offset, headerLength: record.headerLength,
                        bodyLength: record.bodyLength)
                    return (record.envelope, location, envelopeJSON: record.envelopeJSON)
                }
                try index.insert(rows, now: now)
                recovery.rebuilt += rows.count
                for record in scan.records {
                    logger.info("\(record.envelope.queueID): recovered from \(path) (queue active)")
                }
            }
        }
        try index.database.write { db in
            try db.execute(
                sql: "UPDATE recipient SET state = 'queued', not_before = ?, updated = ? WHERE state = 'active'",
                arguments: [now, now])
            recovery.requeued = db.changesCount
            // Records whose segment is gone: finished ones are history; an
            // unfinished one has lost its bytes and needs an admin.
            let known = segments.map(String.init).joined(separator: ",")
            let missing = "segment NOT IN (\(known.isEmpty ? "-1" : known))"
            try db.execute(sql: "DELETE FROM message WHERE finished = 1 AND \(missing)")
            try db.execute(
                sql: """
                    UPDATE recipient SET state = 'hold', last_reply = 'the message record is missing from the spool', updated = ?
                    WHERE state IN ('queued', 'deferred') AND message_id IN (SELECT id FROM message WHERE \(missing))
                    """, arguments: [now])
            if let newest = try String.fetchOne(db, sql: "SELECT MAX(id) FROM message") {
                recovery.newestID = QueueID(newest)
            }
        }
        for name in try SpoolFiles.entries(of: outboxDirectory) where name.hasPrefix(".tmp-") {
            try SpoolFiles.remove(outboxDirectory + "/" + name)
        }
        return recovery
    }
}
