import NIOCore
import SMTPServer

/// Which of the daemon's listeners `poshta sendmail` hands its message to,
/// and the address it connects to.
///
/// The right one is a relay listener that trusts the address the
/// connection comes from, so that no AUTH is needed: on loopback, the
/// source address is the one connected to. A wildcard listener is reached
/// on loopback (0.0.0.0 → 127.0.0.1, :: → ::1). When no listener fits, the
/// first one is tried anyway and, should it refuse, `hint` says why.
struct SubmissionTarget: Sendable, Equatable {
    /// The IP address to connect to.
    var host: String
    var port: Int
    /// The listener's address as written in the configuration.
    var listenerAddress: String
    /// False when no relay listener trusts `host`: the first listener, as a last resort.
    var isTrusted: Bool

    /// `127.0.0.1:2525`, `[::1]:2525`.
    var described: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Added to a refusal when the listener was a guess.
    var hint: String? {
        guard !isTrusted else { return nil }
        return "no relay listener trusts \(host), so poshta sendmail tried the first listener, \(listenerAddress);"
            + " add a [[listener]] with mode = \"relay\" whose trusted_networks hold \(host)"
    }

    /// Picks the listener; throws a configuration error when none can be reached at all.
    static func choose(from listeners: [ListenerSection], file: String) throws(SendmailError) -> SubmissionTarget {
        // Port 0 exists only in tests; implicit TLS cannot be spoken in plain text.
        let reachable = listeners.filter { $0.port != 0 && $0.tls != .implicit }
        for listener in reachable where listener.mode == .relay {
            let host = connectAddress(for: listener.host)
            guard let address = try? SocketAddress(ipAddress: host, port: listener.port) else { continue }
            if listener.trustedNetworks.contains(where: { $0.contains(address) }) {
                return SubmissionTarget(host: host, port: listener.port, listenerAddress: listener.address, isTrusted: true)
            }
        }
        guard let first = reachable.first else {
            throw SendmailError(
                .configuration,
                "\(file): no [[listener]] poshta sendmail can connect to (it needs a port other than 0, without implicit TLS)")
        }
        return SubmissionTarget(
            host: connectAddress(for: first.host), port: first.port, listenerAddress: first.address, isTrusted: false)
    }

    /// A wildcard address is reached on the loopback address of its family.
    static func connectAddress(for host: String) -> String {
        switch host {
        case "0.0.0.0": "127.0.0.1"
        case "::": "::1"
        default: host
        }
    }
}
