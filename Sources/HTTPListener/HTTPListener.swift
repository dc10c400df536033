public import Hummingbird
public import HummingbirdCore
import HummingbirdTLS
public import Logging
public import NIOCore
public import NIOSSL
public import ServiceLifecycle

/// A Hummingbird router served on one address as a service of the daemon's
/// group (it stops with it): the admin API and the unsubscribe page.
/// Hummingbird's own lines ("Server started and listening on …") would mix
/// with the SMTP listeners' in the log, so it logs only warnings; the
/// caller writes its own line from `onListening`.
public struct HTTPListener: Service {
    private let application: any Service
    private let address: String
    private let what: String
    private let configurationKey: String

    /// - Parameters:
    ///   - what: what is served, for the error ("the admin API").
    ///   - configurationKey: where the address is set, for the error ("[admin] address").
    ///   - server: plain HTTP/1.1 by default; `HTTPListener.https(_:)` for TLS.
    ///   - onListening: called with the bound address once it accepts
    ///     connections (port 0 picks a free port; this says which).
    public init(
        router: Router<PoshtaRequestContext>, host: String, port: Int, serving what: String, configurationKey: String,
        server: HTTPServerBuilder = .http1(), logger: Logger, onListening: @escaping @Sendable (SocketAddress) -> Void
    ) {
        address = "\(host):\(port)"
        self.what = what
        self.configurationKey = configurationKey
        var quiet = logger
        quiet.logLevel = .warning
        application = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "poshta"),
            onServerRunning: { channel in
                if let address = channel.localAddress { onListening(address) }
            },
            logger: quiet)
    }

    /// HTTP/1.1 over TLS with this configuration; throws when the
    /// certificate and key do not make a TLS context.
    public static func https(_ tls: TLSConfiguration) throws -> HTTPServerBuilder {
        try .tls(.http1(), tlsConfiguration: tls)
    }

    public func run() async throws {
        do {
            try await application.run()
        } catch {
            throw HTTPListenerError(description: "cannot serve \(what) on \(address): \(error) — check \(configurationKey)")
        }
    }
}

/// An HTTP listener could not start or stopped; the text says where and why.
public struct HTTPListenerError: Error, CustomStringConvertible {
    public var description: String
}
