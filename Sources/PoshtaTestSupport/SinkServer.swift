import NIOCore
import NIOPosix
import NIOSSL

/// An SMTP server on loopback that records what arrives: the peer for
/// outbound delivery tests.
///
/// A real SMTP server as far as the wire goes (CRLF lines, multi-line EHLO,
/// PIPELINING, DATA with dot-unstuffing, RSET, NOOP, QUIT, STARTTLS and
/// implicit TLS 1.2/1.3, AUTH PLAIN and LOGIN), but with none of Poshta's
/// server state machine, so that it can misbehave on purpose (see
/// `SinkBehavior.ScriptedFailure`). It listens only on 127.0.0.0/8 or ::1.
///
/// ```swift
/// let sink = try await SinkServer.start(behavior: SinkBehavior(failures: [.temporary(times: 1)]))
/// defer { Task { await sink.stop() } }   // or `await sink.stop()` at the end
/// // … deliver to 127.0.0.1:\(sink.port) …
/// let messages = try await sink.waitForMessages(1, timeout: .seconds(10))
/// ```
public final class SinkServer: Sendable {
    /// The address listened on, e.g. `127.0.0.2`.
    public let host: String
    /// The port listened on (the one picked when started with port 0).
    public let port: Int

    private let listener: NIOAsyncChannel<NIOAsyncChannel<SinkInput, ByteBuffer>, Never>
    private let recorder: SinkRecorder
    // The accept loop outlives `start`: a test helper has no service group,
    // so the task is owned here and ended by `stop()` (or `deinit`).
    private let acceptLoop: Task<Void, Never>

    private init(
        host: String, listener: NIOAsyncChannel<NIOAsyncChannel<SinkInput, ByteBuffer>, Never>,
        recorder: SinkRecorder
    ) {
        self.host = host
        self.port = listener.channel.localAddress?.port ?? 0
        self.listener = listener
        self.recorder = recorder
        acceptLoop = Task { await Self.accept(on: listener, recorder: recorder) }
    }

    deinit {
        listener.channel.close(promise: nil)
        recorder.closeAll()
        acceptLoop.cancel()
    }

    /// Listens on `host:port` (port 0: a free one, see `port`).
    ///
    /// Throws when `host` is not a loopback address (127.0.0.0/8, ::1), the
    /// address cannot be bound, or the behavior's certificate cannot be read.
    public static func start(host: String = "127.0.0.1", port: Int = 0, behavior: SinkBehavior = SinkBehavior())
        async throws -> SinkServer
    {
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: host, port: port)
        } catch {
            throw SinkServerError(description: "the sink listens on an IP address, not \"\(host)\"")
        }
        guard let ip = address.ipAddress, ip.hasPrefix("127.") || ip == "::1" else {
            throw SinkServerError(description: "the sink listens only on loopback (127.0.0.0/8 or ::1), not \(host)")
        }
        let recorder = SinkRecorder(try SinkRecorder.makeConfiguration(behavior))
        do {
            let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .bind(to: address) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let configuration = recorder.configuration
                        if case .implicit = configuration.behavior.tls, let context = configuration.tlsContext {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                        }
                        try channel.pipeline.syncOperations.addHandler(SinkInputHandler())
                        return try NIOAsyncChannel<SinkInput, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            return SinkServer(host: host, listener: listener, recorder: recorder)
        } catch let error as IOError {
            throw SinkServerError(description: "the sink cannot listen on \(host):\(port): \(error)")
        }
    }

    /// Starts one sink per host, all on the same port (as for MX fallback
    /// tests: 127.0.0.2 and 127.0.0.3 answer on one port). Tries a few free
    /// ports when `port` is 0 and one is taken on a later host.
    public static func start(onSamePortAt hosts: [String], port: Int = 0, behavior: SinkBehavior = SinkBehavior())
        async throws -> [SinkServer]
    {
        guard let first = hosts.first else { return [] }
        var lastError: (any Error)?
        for _ in 0..<(port == 0 ? 10 : 1) {
            let leader = try await start(host: first, port: port, behavior: behavior)
            var sinks = [leader]
            do {
                for host in hosts.dropFirst() {
                    sinks.append(try await start(host: host, port: leader.port, behavior: behavior))
                }
                return sinks
            } catch {
                lastError = error
                for sink in sinks { await sink.stop() }
            }
        }
        throw lastError ?? SinkServerError(description: "no port free on all of \(hosts)")
    }

    /// Messages accepted so far, in order of arrival.
    public var messages: [SinkMessage] { recorder.messages }
    /// Every command line read, on all connections, in order.
    public var commands: [SinkCommand] { recorder.commands }
    /// The dialogue of all connections, lines tagged with their connection.
    public var transcript: [SinkTranscriptLine] { recorder.transcript }
    /// The transcript as text, one line each, for test failure messages.
    public var transcriptText: String { transcript.map(\.description).joined(separator: "\n") }
    /// Connections accepted since the start.
    public var connectionsOpened: Int { recorder.connectionsOpened }
    /// Connections open now.
    public var openConnections: Int { recorder.openConnections }
    /// The most connections that were open at the same time.
    public var maxSimultaneousConnections: Int { recorder.maxSimultaneous }
    /// The behavior in use.
    public var behavior: SinkBehavior { recorder.behavior }

    /// Changes the behavior for the following commands, on open connections
    /// too; counts of scripted failures start again. Throws when a new
    /// certificate cannot be read (the old behavior stays).
    public func setBehavior(_ behavior: SinkBehavior) throws {
        recorder.replace(try SinkRecorder.makeConfiguration(behavior))
    }

    /// Waits until at least `count` messages were accepted; returns them all.
    /// Throws, naming what arrived and the transcript's end, on timeout.
    public func waitForMessages(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [SinkMessage] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let messages = recorder.messages
            if messages.count >= count { return messages }
            guard ContinuousClock.now < deadline else {
                let tail = transcript.suffix(40).map(\.description).joined(separator: "\n")
                throw SinkServerError(
                    description:
                        "sink \(host):\(port): \(messages.count) of \(count) message(s) within \(timeout); last lines:\n\(tail)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until at least `count` connections were opened.
    public func waitForConnections(_ count: Int, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while connectionsOpened < count {
            guard ContinuousClock.now < deadline else {
                throw SinkServerError(
                    description: "sink \(host):\(port): \(connectionsOpened) of \(count) connection(s) within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Stops listening, closes open connections and waits for them to end.
    public func stop() async {
        try? await listener.channel.close()
        recorder.closeAll()
        acceptLoop.cancel()
        await acceptLoop.value
    }

    private static func accept(
        on listener: NIOAsyncChannel<NIOAsyncChannel<SinkInput, ByteBuffer>, Never>, recorder: SinkRecorder
    ) async {
        await withDiscardingTaskGroup { sessions in
            try? await listener.executeThenClose { connections in
                for try await connection in connections {
                    let number = recorder.open(connection.channel)
                    sessions.addTask {
                        await SinkSession(connection: connection, number: number, recorder: recorder).run()
                        recorder.close(number)
                    }
                }
            }
        }
    }
}
