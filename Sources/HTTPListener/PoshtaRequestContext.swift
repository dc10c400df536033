public import Hummingbird
public import NIOCore

/// The request context of Poshta's HTTP listeners: Hummingbird's basic one
/// plus the client's address, which the console's sign-in throttle is keyed on.
public struct PoshtaRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (nil only if the channel lost it).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text, for the throttle and the log ("unknown" without one).
    public var clientAddress: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}
