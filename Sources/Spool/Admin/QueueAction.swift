import Foundation
import GRDB

/// What an administrator can do to queued mail, like Postfix's postsuper
/// and postqueue.
public enum QueueAction: String, Codable, Sendable, CaseIterable {
    /// Take out of delivery until released (`postsuper -h`).
    case hold
    /// Back into delivery, due now (`postsuper -H`).
    case release
    /// Due now, skipping the retry wait (`postqueue -i` / `-f`).
    case retry
    /// Out of the queue for good, never delivered (`postsuper -d`).
    case delete

    /// The log's words for it, Postfix's where it has them.
    public var logWords: String {
        switch self {
        case .hold: "placed on hold"
        case .release: "released from hold"
        case .retry: "requeued"
        case .delete: "removed"
        }
    }

    /// The recipient states the action applies to.
    var fromStates: [RecipientState] {
        switch self {
        case .hold: [.queued, .deferred, .active]
        case .release: [.hold]
        case .retry: [.queued, .deferred]
        case .delete: RecipientState.pending
        }
    }
}

/// What an action changed: the messages (ids, oldest first) and how many recipients.
public struct QueueActionResult: Codable, Sendable, Hashable {
    public var action: QueueAction
    public var messages: [String]
    public var recipients: Int

    public init(action: QueueAction, messages: [String], recipients: Int) {
        self.action = action
        self.messages = messages
        self.recipients = recipients
    }
}

extension Spool {
    /// The read-only view of this spool's queue.
    public var inspector: QueueInspector {
        QueueInspector(reader: index.database, segmentsDirectory: segmentsDirectory)
    }

    /// Applies an administrator's action to the pending recipients of the
    /// messages the filter selects, in one transaction, logs one line per
    /// message changed, and wakes the queue manager.
    ///
    /// A recipient in the middle of a delivery attempt (active) can be held
    /// or deleted: the attempt's outcome then keeps the administrator's
    /// state unless the mail was in fact delivered or refused for good
    /// (see `record`), and the queue manager drops it from jobs not yet started.
    ///
    /// `actor` names who asked, for the log and the attempt history
    /// ("the administrator"; "unsubscribe" when a customer's queued
    /// marketing mail is withdrawn).
    @discardableResult
    public func apply(_ action: QueueAction, to filter: QueueFilter, now: Double, by actor: String = "the administrator")
        async throws -> QueueActionResult
    {
        let because = "deleted by \(actor)"
        let condition = filter.condition(now: now)
        let states = action.fromStates.map { "'\($0.rawValue)'" }.joined(separator: ",")
        let change: String
        switch action {
        case .hold: change = "state = 'hold'"
        case .release, .retry: change = "state = 'queued', not_before = ?"
        case .delete: change = "state = 'deleted', last_reply = ?"
        }
        let result = try await index.database.write { db in
            var arguments = StatementArguments()
            if action == .release || action == .retry { arguments += [now] }
            if action == .delete { arguments += [because] }
            arguments += [now]
            arguments += condition.arguments
            let rows = try Row.fetchAll(
                db,
                sql: """
                    UPDATE recipient SET \(change), updated = ?
                    WHERE state IN (\(states)) AND message_id IN (SELECT m.id FROM message m WHERE \(condition.sql))
                    RETURNING message_id, position
                    """, arguments: arguments)
            var ids = Set<String>()
            for row in rows { ids.insert(row["message_id"]) }
            if action == .delete {
                let attempt = try db.cachedStatement(
                    sql: """
                        INSERT INTO attempt (message_id, position, time, relay, state, status, reply)
                        VALUES (?, ?, ?, 'admin', 'deleted', '', ?)
                        """)
                for row in rows {
                    try attempt.execute(arguments: [row["message_id"] as String, row["position"] as Int, now, because])
                }
                let finish = try db.cachedStatement(sql: SpoolIndex.markFinished)
                for id in ids { try finish.execute(arguments: [id]) }
            }
            return QueueActionResult(action: action, messages: ids.sorted(), recipients: rows.count)
        }
        for id in result.messages { logger.info("\(id): \(action.logWords) by \(actor)") }
        if action == .release || action == .retry { doorbell.ring() }
        return result
    }

    /// Of the given recipients of a claimed message, those still active:
    /// the others were held or deleted by an administrator after the claim.
    public func stillActive(_ id: QueueID, positions: [Int]) async throws -> Set<Int> {
        try await index.database.read { db in
            Set(
                try Int.fetchAll(
                    db, sql: "SELECT position FROM recipient WHERE message_id = ? AND state = 'active'",
                    arguments: [id.description]
                ).filter(positions.contains))
        }
    }
}
