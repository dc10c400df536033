import NIOCore
import NIOSSL
import SMTPProtocol
import Synchronization

/// What all of a sink's connections share: the behavior, the failure
/// counts, the open channels, and everything recorded.
final class SinkRecorder: Sendable {
    /// The behavior with the TLS context made from its files.
    struct Configuration: Sendable {
        var behavior: SinkBehavior
        var tlsContext: NIOSSLContext?
    }

    private struct State {
        var configuration: Configuration
        /// For each failure (by index), the units it has failed.
        var failedUnits: [Int: Set<Int>] = [:]
        var messages: [SinkMessage] = []
        var commands: [SinkCommand] = []
        var transcript: [SinkTranscriptLine] = []
        var connectionsOpened = 0
        var transactions = 0
        var open: [Int: any Channel] = [:]
        var maxSimultaneous = 0
    }

    /// Bounds memory whatever a test sends: older lines are dropped first.
    private static let maxTranscriptLines = 100_000

    private let state: Mutex<State>

    init(_ configuration: Configuration) {
        state = Mutex(State(configuration: configuration))
    }

    var configuration: Configuration { state.withLock { $0.configuration } }
    var behavior: SinkBehavior { configuration.behavior }

    /// Replaces the behavior; failure counts start again.
    func replace(_ configuration: Configuration) {
        state.withLock {
            $0.configuration = configuration
            $0.failedUnits = [:]
        }
    }

    var messages: [SinkMessage] { state.withLock { $0.messages } }
    var commands: [SinkCommand] { state.withLock { $0.commands } }
    var transcript: [SinkTranscriptLine] { state.withLock { $0.transcript } }
    var connectionsOpened: Int { state.withLock { $0.connectionsOpened } }
    var openConnections: Int { state.withLock { $0.open.count } }
    var maxSimultaneous: Int { state.withLock { $0.maxSimultaneous } }

    /// Numbers a new connection and counts it as open.
    func open(_ channel: any Channel) -> Int {
        state.withLock { state in
            state.connectionsOpened += 1
            let number = state.connectionsOpened
            state.open[number] = channel
            state.maxSimultaneous = max(state.maxSimultaneous, state.open.count)
            state.transcript.append(
                SinkTranscriptLine(connection: number, direction: .event, text: "connect from \(channel.remoteAddress.map { "\($0)" } ?? "?")"))
            return number
        }
    }

    func close(_ number: Int) {
        state.withLock { state in
            state.open[number] = nil
        }
        note(number, .event, "disconnect")
    }

    /// Closes every open connection (when the sink stops).
    func closeAll() {
        let channels = state.withLock { Array($0.open.values) }
        for channel in channels { channel.close(promise: nil) }
    }

    /// Numbers a new MAIL command.
    func nextTransaction() -> Int {
        state.withLock { state in
            state.transactions += 1
            return state.transactions
        }
    }

    /// The scripted response for this step, if a failure applies; counts the unit.
    func failure(
        at stage: SinkBehavior.ScriptedFailure.Stage, unit: Int, sender: String?, recipients: [String]
    ) -> SinkBehavior.ScriptedFailure.Response? {
        state.withLock { state in
            for (index, failure) in state.configuration.behavior.failures.enumerated()
            where failure.matches(stage, sender: sender, recipients: recipients) {
                var units = state.failedUnits[index, default: []]
                if let times = failure.times, !units.contains(unit), units.count >= times { continue }
                units.insert(unit)
                state.failedUnits[index] = units
                return failure.response
            }
            return nil
        }
    }

    func record(_ message: SinkMessage) {
        state.withLock { $0.messages.append(message) }
        note(message.connection, .event, "accepted \(message.queueID): \(message.data.count) octets")
    }

    func record(_ command: SinkCommand) {
        state.withLock { $0.commands.append(command) }
        note(command.connection, .received, command.line)
    }

    func note(_ connection: Int, _ direction: SinkTranscriptLine.Direction, _ text: String) {
        state.withLock { state in
            if state.transcript.count >= Self.maxTranscriptLines { state.transcript.removeFirst(1000) }
            state.transcript.append(SinkTranscriptLine(connection: connection, direction: direction, text: text))
        }
    }

    /// Loads the certificate and key the behavior names.
    static func makeConfiguration(_ behavior: SinkBehavior) throws -> Configuration {
        guard let files = behavior.tls.files else { return Configuration(behavior: behavior, tlsContext: nil) }
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificatePath)
            key = try NIOSSLPrivateKey(file: files.keyPath, format: .pem)
        } catch {
            throw SinkServerError(
                description: "cannot read the sink's certificate \(files.certificatePath) or key \(files.keyPath): \(error)")
        }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        tls.maximumTLSVersion = .tlsv13
        return Configuration(behavior: behavior, tlsContext: try NIOSSLContext(configuration: tls))
    }
}
