import Foundation
import Synchronization

/// Idle SMTP connections kept for the next message to the same server, like
/// Postfix's scache(8): a connection whose transaction went well waits a
/// short while (`connectionCacheTime`) for the next job, which then skips
/// connect, greeting, EHLO, TLS and AUTH.
///
/// Keyed by the hop (host, address, port, TLS policy, user), so a
/// connection is only reused for the same server under the same terms. A
/// connection is handed to one job at a time.
final class ConnectionCache: Sendable {
    private struct Idle {
        var connection: SMTPClientConnection
        var since: Double
    }

    private let idleTime: Double
    /// A connection is not reused after this many seconds of life, so that
    /// a server's changed configuration (certificate, limits) is seen.
    private let maxAge: Double = 300
    private let idle = Mutex<[NextHop: [Idle]]>([:])

    init(idleTime: Double) {
        self.idleTime = idleTime
    }

    /// A usable idle connection to the first of `hops` that has one.
    func take(anyOf hops: [NextHop]) -> (index: Int, connection: SMTPClientConnection)? {
        let now = Date.now.timeIntervalSince1970
        var stale: [SMTPClientConnection] = []
        defer {
            for connection in stale { Task { await connection.quit() } }
        }
        return idle.withLock { idle in
            for (index, hop) in hops.enumerated() {
                while var list = idle[hop], let last = list.popLast() {
                    idle[hop] = list.isEmpty ? nil : list
                    if now - last.since <= idleTime, last.connection.isUsable {
                        return (index, last.connection)
                    }
                    stale.append(last.connection)
                }
            }
            return nil
        }
    }

    /// Keeps the connection for reuse, or closes it when it is not fit.
    func put(_ connection: SMTPClientConnection, for hop: NextHop) {
        let now = Date.now.timeIntervalSince1970
        guard connection.isUsable, idleTime > 0, now - connection.openedAt < maxAge else {
            Task { await connection.quit() }
            return
        }
        idle.withLock { $0[hop, default: []].append(Idle(connection: connection, since: now)) }
    }

    /// Closes the connections idle longer than the limit. Called every second.
    func sweep() {
        let now = Date.now.timeIntervalSince1970
        let expired = idle.withLock { idle -> [SMTPClientConnection] in
            var expired: [SMTPClientConnection] = []
            for (hop, list) in idle {
                var keep: [Idle] = []
                for entry in list {
                    if now - entry.since <= idleTime, entry.connection.isUsable {
                        keep.append(entry)
                    } else {
                        expired.append(entry.connection)
                    }
                }
                idle[hop] = keep.isEmpty ? nil : keep
            }
            return expired
        }
        for connection in expired { Task { await connection.quit() } }
    }

    /// Closes every idle connection (shutdown).
    func closeAll() async {
        let all = idle.withLock { idle -> [SMTPClientConnection] in
            defer { idle = [:] }
            return idle.values.flatMap { $0.map(\.connection) }
        }
        for connection in all { await connection.quit() }
    }
}
