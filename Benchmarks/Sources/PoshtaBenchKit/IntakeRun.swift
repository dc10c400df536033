import NIOCore
import NIOSSL
import Synchronization

/// What all sessions of one `intake` run share: settings, the encoded message and commands,
/// the counter that hands out messages, and the stop flag.
final class IntakeRun: Sendable {
    let options: IntakeOptions
    let address: SocketAddress
    let template: MessageTemplate
    let commands: CommandSet
    /// The client TLS context of every connection, with `--starttls` (certificate
    /// verification off: the servers use self-signed certificates).
    let tls: NIOSSLContext?
    /// When the run began; message `i` is due at `start + i / rate` when a rate is set.
    let start: NIODeadline
    /// When the run is cut off.
    let deadline: NIODeadline

    private let claimed = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Messages answered `250` so far, all sessions (read live by the `e2e` mode).
    let acceptedSoFar = Atomic<Int>(0)
    /// When the first MAIL command was written (monotonic nanoseconds; 0: not yet).
    let firstMailAt = Atomic<UInt64>(0)
    /// Keep when each message was accepted (`e2e`: accept → arrival at the sink).
    let recordsAcceptTimes: Bool

    init(
        options: IntakeOptions, address: SocketAddress, template: MessageTemplate, tls: NIOSSLContext? = nil,
        start: NIODeadline = .now(), recordsAcceptTimes: Bool = false
    ) {
        self.recordsAcceptTimes = recordsAcceptTimes
        self.options = options
        self.address = address
        self.template = template
        self.tls = tls
        self.commands = CommandSet(
            helo: options.helo, from: options.from, to: options.to, messageSize: template.size, auth: options.auth
        )
        self.start = start
        self.deadline = start + .nanoseconds(Int64(options.timeLimit * 1e9))
    }

    /// The next message to send, numbered from 0; nil when all are handed out or the run is stopping.
    func claim() -> Int? {
        guard !isStopping else { return nil }
        let index = claimed.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < options.messages ? index : nil
    }

    /// When message `index` may begin: now without `--rate`, else its slot in the schedule.
    func due(_ index: Int) -> NIODeadline? {
        guard let rate = options.rate else { return nil }
        return start + .nanoseconds(Int64(Double(index) / rate * 1e9))
    }

    /// The client TLS context for `--starttls`: TLS 1.2 or 1.3, no certificate verification,
    /// no session resumption (NIOSSL keeps no client session cache), so every handshake is a
    /// full one.
    static func makeTLSContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        configuration.minimumTLSVersion = .tlsv12
        // After QUIT: do not wait long for the server's close_notify.
        configuration.shutdownTimeout = .seconds(1)
        return try NIOSSLContext(configuration: configuration)
    }

    /// Notes the first MAIL command of the run (later ones cost one relaxed load).
    func mailSent() {
        guard firstMailAt.load(ordering: .relaxed) == 0 else { return }
        _ = firstMailAt.compareExchange(expected: 0, desired: NIODeadline.now().uptimeNanoseconds, ordering: .relaxed)
    }

    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    func stop() { stopping.store(true, ordering: .relaxed) }
}
