public import DNS
public import Logging
public import NIOCore
import Synchronization

/// A stub resolver of our own for outbound mail: asks the configured
/// recursive nameservers over UDP (TCP when truncated), checks that each
/// answer is really ours, and caches answers by their TTLs.
///
/// Built on SwiftNIO rather than the C library's `res_nquery`, which blocks a
/// thread for the whole lookup, keeps per-thread state, and hides which
/// nameserver failed and how: delivery needs the difference between "no such
/// domain" (bounce) and "timed out" (defer), and must not tie up a thread per
/// pending lookup.
///
/// - SeeAlso: RFC 1034 §5.3.1 (stub resolvers); RFC 1035 §4.2; RFC 5452; RFC 2308
public final class DNSResolver: Sendable {
    public let configuration: ResolverConfiguration
    let logger: Logger
    private let transport: DNSTransport
    private let cache: Mutex<DNSCache>

    public init(configuration: ResolverConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.transport = DNSTransport(group: eventLoopGroup, logger: logger)
        self.cache = Mutex(DNSCache(capacity: configuration.cacheCapacity, maximumTTL: configuration.maximumCacheTTL))
    }

    /// The answer to one question, class IN, from the cache or the nameservers.
    ///
    /// Returns NOERROR answers (with or without records) and NXDOMAIN.
    /// Tries the nameservers in turn, `attempts` rounds of them, moving on
    /// after a timeout, a network error, or an error code (SERVFAIL,
    /// REFUSED…), as glibc does; throws when no try gave an answer.
    /// Each query has a random ID; answers whose ID, question or source
    /// address do not match are ignored.
    ///
    /// - SeeAlso: RFC 1035 §4.2.1, §7.2; RFC 5452 §3, §9
    public func query(_ name: DNSName, _ type: DNSRecordType) async throws(DNSResolverError) -> DNSMessage {
        let question = DNSQuestion(name: name, type: type)
        let key = DNSCache.Key(name: name, type: type)
        if let cached = cache.withLock({ $0.lookup(key, now: .now) }) {
            return cached
        }
        let nameservers = configuration.nameservers
        let timeout = TimeAmount(configuration.timeout)
        var failures: [DNSResolverError.Failure] = []
        for attempt in 0..<(configuration.attempts * nameservers.count) where !Task.isCancelled {
            let nameserver = nameservers[attempt % nameservers.count]
            // SystemRandomNumberGenerator reads the kernel's CSPRNG: the ID is not predictable (RFC 5452 §9.2).
            let query = DNSMessage.query(id: UInt16.random(in: .min ... .max), name: name, type: type)
            let reason: DNSResolverError.Reason
            do {
                let answer = try await transport.exchange(query, with: try nameserver.socketAddress(), timeout: timeout)
                switch answer.responseCode {
                case .noError, .nameError:
                    cache.withLock { $0.store(answer, for: key, now: .now) }
                    return answer
                default:
                    reason = .responseCode(answer.responseCode)
                }
            } catch DNSTransportError.timedOut {
                reason = .timedOut
            } catch {
                reason = .network(Self.describe(error))
            }
            failures.append(DNSResolverError.Failure(nameserver: nameserver, reason: reason))
            logger.debug(
                "DNS try failed",
                metadata: ["question": "\(name) \(type)", "nameserver": "\(nameserver)", "reason": "\(reason.phrase)"])
        }
        throw DNSResolverError(question: question, failures: failures)
    }

    /// Forgets every cached answer.
    public func flushCache() {
        cache.withLock { $0 = DNSCache(capacity: configuration.cacheCapacity, maximumTTL: configuration.maximumCacheTTL) }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DNSTransportError.closed: "connection closed before the answer"
        case is CancellationError: "cancelled"
        case ChannelError.connectTimeout: "TCP connection timed out"
        default: String(describing: error)
        }
    }
}

extension TimeAmount {
    /// The same span in nanoseconds, saturating.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self = .nanoseconds(overflow ? .max : whole &+ attoseconds / 1_000_000_000)
    }
}
