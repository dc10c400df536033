/// How the DNS resolver asks: which nameservers, how patiently, how much it remembers.
///
/// Made from `/etc/resolv.conf` with ``system(resolvConf:)``, or from one
/// configured nameserver with ``init(nameserver:timeout:attempts:cacheCapacity:maximumCacheTTL:)``.
///
/// - SeeAlso: resolv.conf(5) (`timeout`, `attempts`, the 127.0.0.1 default)
public struct ResolverConfiguration: Sendable, Hashable {
    /// Asked in turn, the first first. Never empty.
    public var nameservers: [Nameserver]
    /// How long one try waits for its answer over UDP, and again over TCP after a truncated one.
    public var timeout: Duration
    /// How many times the whole list of nameservers is tried; at least 1.
    /// A lookup makes at most `attempts × nameservers.count` tries.
    public var attempts: Int
    /// Most answers the cache holds; 0 turns the cache off.
    public var cacheCapacity: Int
    /// Longest time, in seconds, an answer is cached whatever its TTL says.
    public var maximumCacheTTL: UInt32

    /// Where glibc sends queries when resolv.conf names no nameserver.
    public static let defaultNameserver = Nameserver(host: "127.0.0.1")

    /// A configuration; an empty `nameservers` means ``defaultNameserver``.
    public init(
        nameservers: [Nameserver],
        timeout: Duration = .seconds(5),
        attempts: Int = 2,
        cacheCapacity: Int = 10_000,
        maximumCacheTTL: UInt32 = 86_400
    ) {
        self.nameservers = nameservers.isEmpty ? [Self.defaultNameserver] : nameservers
        self.timeout = max(timeout, .milliseconds(1))
        self.attempts = max(attempts, 1)
        self.cacheCapacity = max(cacheCapacity, 0)
        self.maximumCacheTTL = maximumCacheTTL
    }

    /// One nameserver given as text, `"127.0.0.1:5353"` or `"[::1]:53"`
    /// (the `[delivery] nameserver` setting).
    public init(
        nameserver: String,
        timeout: Duration = .seconds(5),
        attempts: Int = 2,
        cacheCapacity: Int = 10_000,
        maximumCacheTTL: UInt32 = 86_400
    ) throws(ResolverConfigurationError) {
        self.init(
            nameservers: [try Nameserver(nameserver)], timeout: timeout, attempts: attempts,
            cacheCapacity: cacheCapacity, maximumCacheTTL: maximumCacheTTL)
    }
}
