import Foundation
import Spool

/// How `poshta queue` shows the queue to a person: mailq's layout, ages
/// and sizes a sysadmin reads at a glance.
enum QueueText {
    /// `45s`, `12m`, `3h`, `2d`: the time since `time`.
    static func age(since time: Double, now: Double) -> String {
        let seconds = max(0, Int(now - time))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m"
        case ..<86400: return "\(seconds / 3600)h"
        default: return "\(seconds / 86400)d"
        }
    }

    /// "2026-11-23 16:44:04" in UTC: sortable, unambiguous in a log.
    static func timestamp(_ time: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: time))
    }

    /// The listing as a table: one line per message (id, age, size,
    /// sender), then one per pending recipient with its state and last error.
    static func table(_ listing: QueueListing, now: Double) -> String {
        var lines = ["\(pad("QUEUE ID", 12)) \(pad("AGE", 5, right: true)) \(pad("SIZE", 9, right: true))  SENDER / RECIPIENTS"]
        var bytes = 0
        for message in listing.messages {
            bytes += message.size
            let sender = message.sender.isEmpty ? "<>" : message.sender
            lines.append(
                "\(pad(message.id, 12)) \(pad(age(since: message.arrival, now: now), 5, right: true)) \(pad(String(message.size), 9, right: true))  \(sender)"
            )
            for recipient in message.recipients {
                var line = "\(String(repeating: " ", count: 30))\(pad(recipient.state.rawValue, 9)) \(recipient.address)"
                if let reply = recipient.lastReply, !reply.isEmpty { line += "  (\(reply))" }
                lines.append(line)
            }
        }
        let shown = listing.messages.count
        let more = listing.total > shown ? " (\(listing.total - shown) more not shown; --limit 0 shows all)" : ""
        lines.append(
            shown == 0 && listing.total == 0
                ? "Mail queue is empty" : "-- \((bytes + 1023) / 1024) Kbytes in \(shown) messages\(more)")
        return lines.joined(separator: "\n")
    }

    /// One message in full: envelope, tags, each recipient and its attempts.
    static func message(_ message: QueueMessage) -> String {
        var lines = [
            "queue id: \(message.id)\(message.finished ? " (finished)" : "")",
            "arrival: \(timestamp(message.arrival)) UTC",
            "size: \(message.size)",
            "sender: <\(message.sender)>",
        ]
        if let client = message.client { lines.append("client: \(client) helo=\(message.heloName ?? "")") }
        if let body = message.bodyType { lines.append("body: \(body)") }
        if message.smtpUTF8 { lines.append("smtputf8: yes") }
        for (name, value) in message.tags.sorted(by: { $0.key < $1.key }) { lines.append("tag \(name): \(value)") }
        for recipient in message.recipients {
            lines.append(
                "recipient <\(recipient.address)>: \(recipient.state.rawValue), \(recipient.attempts) attempt(s)"
                    + (recipient.state.isFinished ? "" : ", next \(timestamp(recipient.nextAttempt)) UTC"))
            for attempt in recipient.history ?? [] {
                lines.append(
                    "  \(timestamp(attempt.time)) relay=\(attempt.relay) \(attempt.state.rawValue) \(attempt.status) \(attempt.reply)")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func stats(_ stats: QueueStats) -> String {
        let states = RecipientState.pending.map { "\($0.rawValue) \(stats.recipients[$0.rawValue] ?? 0)" }
        var lines = [
            "messages: \(stats.messages)",
            "recipients: " + states.joined(separator: ", "),
            "oldest: " + (stats.oldestArrival.map { "\(timestamp($0)) UTC (\(age(since: $0, now: stats.time)) ago)" } ?? "none"),
        ]
        for (name, activity) in [("last minute", stats.lastMinute), ("last hour", stats.lastHour)] {
            lines.append(
                "\(name): received \(activity.received), delivered \(activity.delivered), deferred \(activity.deferred), bounced \(activity.bounced), expired \(activity.expired)"
            )
        }
        if !stats.destinations.isEmpty {
            lines.append("destinations:")
            for destination in stats.destinations {
                lines.append("  \(pad(destination.domain, 30)) \(destination.recipients) (\(destination.deferred) deferred)")
            }
        }
        if !stats.latestErrors.isEmpty {
            lines.append("latest errors:")
            for error in stats.latestErrors {
                lines.append("  \(timestamp(error.time)) \(error.id) <\(error.recipient)> \(error.state.rawValue): \(error.reply)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        guard text.count < width else { return text }
        let fill = String(repeating: " ", count: width - text.count)
        return right ? fill + text : text + fill
    }

    /// "90", "90s", "30m", "2h", "3d" → seconds; nil when unreadable.
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = text.last, let factor = units[unit], let value = Double(text.dropLast()), value >= 0 {
            return value * factor
        }
        return Double(text).flatMap { $0 >= 0 ? $0 : nil }
    }
}
