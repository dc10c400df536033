import NIOCore
import Synchronization

/// The open sessions of all listeners: counted against `max_connections`,
/// told when the daemon stops, closed when they outstay the grace period.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var shuttingDown = false
    }

    private let state = Mutex(State())
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    enum Admission { case admitted, overLimit, shuttingDown }

    /// Counts the channel in unless the daemon is full or stopping.
    func admit(_ channel: any Channel) -> Admission {
        state.withLock { state in
            if state.shuttingDown { return .shuttingDown }
            guard state.channels.count < limit else { return .overLimit }
            state.channels[ObjectIdentifier(channel)] = channel
            return .admitted
        }
    }

    func remove(_ channel: any Channel) {
        _ = state.withLock { $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    var count: Int { state.withLock { $0.channels.count } }

    /// Tells every session to finish (idle ones close at once).
    func beginShutdown() {
        let channels = state.withLock { state in
            state.shuttingDown = true
            return Array(state.channels.values)
        }
        for channel in channels { channel.pipeline.fireUserInboundEventTriggered(SessionShutdownEvent()) }
    }

    /// Closes whatever is still open.
    func closeAll() {
        let channels = state.withLock { Array($0.channels.values) }
        for channel in channels { channel.close(promise: nil) }
    }
}
