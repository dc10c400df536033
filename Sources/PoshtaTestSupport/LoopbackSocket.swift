import NIOCore
import NIOPosix

/// A listening TCP socket held by the test itself: to occupy a port, or to
/// find out whether an address (such as ::1) can be bound on this machine.
public final class LoopbackSocket: Sendable {
    private let channel: any Channel

    public var port: Int { channel.localAddress?.port ?? 0 }

    /// Binds and listens on `host`, port 0 unless given.
    public init(host: String, port: Int = 0) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: host, port: port).get()
    }

    public func close() async {
        try? await channel.close()
    }

    /// True when a socket can be bound on ::1 (IPv6 loopback configured).
    public static func ipv6LoopbackAvailable() async -> Bool {
        guard let socket = try? await LoopbackSocket(host: "::1") else { return false }
        await socket.close()
        return true
    }
}
