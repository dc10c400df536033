public import Intake
public import Logging
public import NIOCore
import NIOPosix
import NIOSSL
public import ServiceLifecycle

/// The SMTP listeners as one service: bound before the service group starts
/// (so that a port in use stops start-up with a clear sentence), serving
/// until graceful shutdown, then letting sessions finish within the bound.
public final class SMTPServer: Service, Sendable {
    /// A listener that could not be bound.
    public struct BindError: Error, CustomStringConvertible {
        public var address: String
        public var reason: String

        public var description: String { "cannot listen on \(address): \(reason)" }
    }

    private struct BoundListener: Sendable {
        var listener: SMTPServerConfiguration.Listener
        var channel: NIOAsyncChannel<NIOAsyncChannel<SessionInput, ByteBuffer>, Never>
    }

    public let configuration: SMTPServerConfiguration
    private let listeners: [BoundListener]
    private let registry: ConnectionRegistry
    private let intake: Intake
    private let tls: TLSCertificateStore?
    private let authentication: Authentication?
    private let logger: Logger
    private let group: any EventLoopGroup

    /// The addresses actually bound, in listener order (port 0 resolved).
    public var boundAddresses: [SocketAddress] { listeners.compactMap { $0.channel.channel.localAddress } }

    /// Binds every listener; throws `BindError` naming the first that fails.
    /// - Parameters:
    ///   - tls: the certificate for listeners with `tls` other than none (required for them).
    ///   - authentication: users and throttle for AUTH; nil offers no AUTH.
    public init(
        configuration: SMTPServerConfiguration, intake: Intake, tls: TLSCertificateStore?,
        authentication: Authentication?, logger: Logger, group: any EventLoopGroup
    ) async throws {
        self.configuration = configuration
        self.intake = intake
        self.tls = tls
        self.authentication = authentication
        self.logger = logger
        self.group = group
        self.registry = ConnectionRegistry(limit: configuration.maxConnections)
        var bound: [BoundListener] = []
        do {
            for listener in configuration.listeners {
                if listener.tls != .none && tls == nil {
                    throw BindError(address: listener.address, reason: "tls = \"\(listener.tls.rawValue)\" needs a certificate and key ([tls])")
                }
                let channel = try await Self.bind(listener, configuration: configuration, tls: tls, group: group)
                bound.append(BoundListener(listener: listener, channel: channel))
            }
        } catch {
            for listener in bound { try? await listener.channel.channel.close() }
            throw error
        }
        listeners = bound
    }

    private static func bind(
        _ listener: SMTPServerConfiguration.Listener, configuration: SMTPServerConfiguration,
        tls: TLSCertificateStore?, group: any EventLoopGroup
    ) async throws -> NIOAsyncChannel<NIOAsyncChannel<SessionInput, ByteBuffer>, Never> {
        let idle = TimeAmount.seconds(Int64(configuration.idleTimeout))
        do {
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.so_keepalive), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .bind(host: listener.host, port: listener.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if listener.tls == .implicit, let context = tls?.context {
                            // RFC 8314: TLS from the first byte; the greeting goes out encrypted.
                            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                        }
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
                        try channel.pipeline.syncOperations.addHandler(SessionInputHandler())
                        return try NIOAsyncChannel<SessionInput, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch let error as IOError {
            throw BindError(address: listener.address, reason: Self.explain(error.errnoCode, port: listener.port))
        } catch {
            throw BindError(address: listener.address, reason: "\(error)")
        }
    }

    static func explain(_ code: Int32, port: Int) -> String {
        switch code {
        case EADDRINUSE:
            "the address is already in use: another server listens there (see `ss -ltnp 'sport = :\(port)'`); stop it or choose another [[listener]] address"
        case EACCES:
            "permission denied: ports below 1024 need root or the CAP_NET_BIND_SERVICE capability; run as root or choose a port of 1024 or more"
        case EADDRNOTAVAIL:
            "no network interface has this address; use 127.0.0.1, ::1, 0.0.0.0 or an address of this machine"
        default:
            "error \(code)"
        }
    }

    public func run() async throws {
        // Logged here, not when binding: by now the service group traps the
        // stop signals, so whoever waits for this line may send them.
        for bound in listeners {
            var resolved = bound.listener
            resolved.port = bound.channel.channel.localAddress?.port ?? resolved.port
            let tls = resolved.tls == .none ? "" : ", tls \(resolved.tls.rawValue)"
            logger.notice("listening on \(resolved.address) (\(resolved.mode.rawValue)\(tls))")
        }
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                for listener in listeners {
                    group.addTask { await self.serve(listener) }
                }
            }
        } onGracefulShutdown: {
            self.stopAccepting()
        }
        logger.notice("SMTP server stopped")
    }

    private func serve(_ bound: BoundListener) async {
        await withDiscardingTaskGroup { sessions in
            do {
                try await bound.channel.executeThenClose { connections in
                for try await connection in connections {
                    sessions.addTask {
                        let session = SMTPSession(
                            connection: connection, configuration: self.configuration, listener: bound.listener,
                            intake: self.intake, tls: self.tls, authentication: self.authentication,
                            logger: self.logger)
                        await session.run(registry: self.registry)
                    }
                }
                }
            } catch {
                logger.error("listener \(bound.listener.address) stopped accepting: \(error)")
            }
        }
    }

    /// Closes the listeners, asks sessions to finish, and closes those still
    /// open after `shutdown_timeout` seconds.
    private func stopAccepting() {
        logger.notice("stopping: no new connections; \(registry.count) session(s) may finish within \(configuration.shutdownTimeout) s")
        for listener in listeners { listener.channel.channel.close(promise: nil) }
        registry.beginShutdown()
        let registry = self.registry
        group.next().scheduleTask(in: .seconds(Int64(configuration.shutdownTimeout))) {
            registry.closeAll()
        }
    }
}

