import Delivery
import NIOPosix
import PoshtaTestSupport

/// Resolvers for the tests: one nameserver on loopback, short timeouts so a
/// silent server costs the test well under a second per attempt.
enum Resolvers {
    static func make(
        _ nameserver: String, timeout: Duration = .seconds(2), attempts: Int = 1, log: LogCapture = LogCapture()
    ) throws -> DNSResolver {
        try make([Nameserver(nameserver)], timeout: timeout, attempts: attempts, log: log)
    }

    static func make(
        _ nameservers: [Nameserver], timeout: Duration = .seconds(2), attempts: Int = 1, log: LogCapture = LogCapture()
    ) throws -> DNSResolver {
        DNSResolver(
            configuration: ResolverConfiguration(nameservers: nameservers, timeout: timeout, attempts: attempts),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: log.logger(level: .debug))
    }
}
