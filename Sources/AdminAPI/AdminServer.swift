public import AdminConsole
public import HTTPListener
public import HummingbirdCore
import Hummingbird
public import Logging
public import NIOCore
public import ServiceLifecycle
public import ShopMail
public import ShopStore
public import Spool

/// The admin HTTP endpoint on `[admin] address`: the API under `/v1` and
/// `/metrics` behind the bearer token (for scripts), and the web console
/// on every other path behind its sign-in. A service of the daemon's
/// group; it stops with it.
public struct AdminServer: Service {
    private let listener: HTTPListener

    /// - Parameter onListening: called with the bound address once it
    ///   accepts connections (port 0 picks a free port; this says which).
    public init(
        host: String, port: Int, token: AdminToken, spool: Spool, store: (any ShopStore)?,
        submission: ShopSubmission? = nil, console: Console? = nil, server: HTTPServerBuilder = .http1(), logger: Logger,
        onListening: @escaping @Sendable (SocketAddress) -> Void
    ) {
        let router = Router(context: PoshtaRequestContext.self)
        router.add(middleware: BearerTokenMiddleware(token: token, logger: logger))
        QueueRoutes(spool: spool).register(on: router)
        if let store {
            ShopRoutes(store: store).register(on: router)
            AutomationRoutes(store: store, mail: submission?.mail).register(on: router)
            CustomerRoutes(store: store, spool: spool, logger: logger).register(on: router)
        }
        if let submission {
            SubmissionRoutes(submission: submission).register(on: router)
            if let store { NotificationRoutes(store: store, mail: submission.mail).register(on: router) }
        }
        router.get("/metrics") { _, _ in
            AdminResponse.bytes(
                try await MetricsExporter.shared.scrape(spool), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        console?.register(on: router)
        listener = HTTPListener(
            router: router, host: host, port: port, serving: "the admin API and console", configurationKey: "[admin] address",
            server: server, logger: logger, onListening: onListening)
    }

    public func run() async throws {
        try await listener.run()
    }
}
