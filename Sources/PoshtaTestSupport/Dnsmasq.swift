import DNS
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A real dnsmasq serving a made-up zone on 127.0.0.1, so that the resolver
/// is tested against a DNS server we did not write.
///
/// Names under ``zone`` that are not given get NXDOMAIN; names outside it get
/// REFUSED (no upstream server). Records are values; they become dnsmasq's
/// command-line options. The process is stopped by ``stop()`` or, failing
/// that, when this value is released.
///
/// - SeeAlso: dnsmasq(8): `--mx-host`, `--host-record`, `--cname`, `--txt-record`, `--dns-rr`, `--local`
public final class Dnsmasq: Sendable {
    /// One record, or one rule, for dnsmasq to serve.
    public enum Record: Sendable, Hashable {
        /// `domain MX preference host`.
        case mx(String, host: String, preference: Int)
        /// A and AAAA records of `name`, in this order.
        case host(String, addresses: [String])
        /// `alias CNAME target`; dnsmasq wants a target it serves itself.
        case cname(String, target: String)
        /// One TXT string.
        case txt(String, String)
        /// Any type as RDATA in hex, e.g. a null MX: `.raw("nomail.test", type: 15, hex: "000000")`.
        case raw(String, type: UInt16, hex: String)
        /// Queries under `domain` are forwarded to `server` (`"127.0.0.1#5300"`).
        case forward(domain: String, server: String)

        var arguments: [String] {
            switch self {
            case .mx(let domain, let host, let preference):
                ["--mx-host=\(domain),\(host),\(preference)"]
            case .host(let name, let addresses):
                addresses.map { "--host-record=\(name),\($0)" }
            case .cname(let alias, let target):
                ["--cname=\(alias),\(target)"]
            case .txt(let name, let text):
                ["--txt-record=\(name),\(text)"]
            case .raw(let name, let type, let hex):
                ["--dns-rr=\(name),\(type),\(hex)"]
            case .forward(let domain, let server):
                ["--server=/\(domain)/\(server)"]
            }
        }
    }

    public static let executable = "/usr/sbin/dnsmasq"

    /// The UDP and TCP port on 127.0.0.1.
    public let port: Int
    /// The zone dnsmasq is authoritative for, such as `"test"`.
    public let zone: String
    /// The pid of the dnsmasq process, the only one ``stop()`` signals.
    public let pid: Int32
    private let exitStatus: ExitStatus
    private let folder: TemporaryDirectory

    /// `"127.0.0.1:<port>"`, the form of `[delivery] nameserver`.
    public var nameserver: String { "127.0.0.1:\(port)" }

    /// What dnsmasq wrote to standard error.
    public var log: String { (try? String(contentsOfFile: "\(folder.path)/dnsmasq.log", encoding: .utf8)) ?? "" }

    /// True when `/usr/sbin/dnsmasq` is there to run.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    /// Starts dnsmasq with `records` and waits (bounded) until it answers a
    /// query. Every record is served with TTL `ttl` (dnsmasq's default, 0,
    /// would defeat caching).
    public init(
        records: [Record], zone: String = "test", ttl: Int = 300, startTimeout: Duration = .seconds(10)
    ) async throws {
        let folder = try TemporaryDirectory(prefix: "poshta-dnsmasq")
        let logFile = "\(folder.path)/dnsmasq.log"
        // A free port can be taken by someone else before dnsmasq binds it: try again, a few times.
        var lastLog = ""
        for _ in 0..<3 {
            let port = try await Self.freePort()
            _ = FileManager.default.createFile(atPath: logFile, contents: nil)
            let exitStatus = ExitStatus()
            let pid = try SpawnedChild.spawn(
                Self.executable, Self.arguments(port: port, zone: zone, ttl: ttl) + records.flatMap(\.arguments),
                log: logFile, exitStatus: exitStatus)
            if await Self.waitUntilAnswering(port: port, exitStatus: exitStatus, timeout: startTimeout) {
                self.port = port
                self.zone = zone
                self.pid = pid
                self.exitStatus = exitStatus
                self.folder = folder
                return
            }
            if exitStatus.value == nil {
                kill(pid, SIGKILL)
                _ = await exitStatus.wait(timeout: .seconds(2))
            }
            lastLog = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        }
        throw DnsmasqError.didNotStart(log: lastLog)
    }

    /// Foreground, loopback only, nothing read from the system, quiet.
    private static func arguments(port: Int, zone: String, ttl: Int) -> [String] {
        var arguments = [
            "--keep-in-foreground",
            "--port=\(port)",
            "--listen-address=127.0.0.1",
            "--bind-interfaces",
            "--no-resolv",
            "--no-hosts",
            "--no-poll",
            "--conf-file=/dev/null",
            "--pid-file=",
            "--log-facility=-",
            "--local=/\(zone)/",
            "--local-ttl=\(ttl)",
        ]
        // Run as root, dnsmasq drops to "nobody", which may not exist; as
        // ourselves it has nothing to drop to.
        if let user = getpwuid(geteuid())?.pointee.pw_name { arguments.append("--user=\(String(cString: user))") }
        if let group = getgrgid(getegid())?.pointee.gr_name { arguments.append("--group=\(String(cString: group))") }
        return arguments
    }

    /// Sends SIGTERM to the dnsmasq we started and waits (bounded) for it to
    /// end; SIGKILL if it does not within 5 seconds.
    public func stop() async {
        guard exitStatus.value == nil else { return }
        kill(pid, SIGTERM)
        if await exitStatus.wait(timeout: .seconds(5)) { return }
        kill(pid, SIGKILL)
        _ = await exitStatus.wait(timeout: .seconds(2))
    }

    deinit {
        // The exit status is recorded by the reaping thread: until then the pid is still ours.
        if exitStatus.value == nil { kill(pid, SIGTERM) }
    }

    /// A port free for both UDP and TCP on 127.0.0.1, found by binding port 0.
    private static func freePort() async throws -> Int {
        let group = MultiThreadedEventLoopGroup.singleton
        for _ in 0..<10 {
            let udp = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
            let port = udp.localAddress?.port ?? 0
            let tcp = try? await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: port).get()
            try? await udp.close()
            if let tcp {
                try? await tcp.close()
                return port
            }
        }
        throw DnsmasqError.noFreePort
    }

    /// Asks for the zone's SOA every 100 ms until any answer comes back, the
    /// process ends, or `timeout` passes.
    private static func waitUntilAnswering(port: Int, exitStatus: ExitStatus, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, exitStatus.value == nil {
            if await probe(port: port) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    private static func probe(port: Int) async -> Bool {
        let group = MultiThreadedEventLoopGroup.singleton
        let eventLoop = group.next()
        let answered = eventLoop.makePromise(of: Void.self)
        let bootstrap = DatagramBootstrap(group: eventLoop).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(AnyDatagram(answered))
            }
        }
        guard let channel = try? await bootstrap.bind(host: "127.0.0.1", port: 0).get(),
            let server = try? SocketAddress(ipAddress: "127.0.0.1", port: port)
        else { return false }
        let query = DNSMessage.query(id: UInt16.random(in: .min ... .max), name: .root, type: .soa)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: server, data: ByteBuffer(bytes: query.encoded())), promise: nil)
        let timer = eventLoop.scheduleTask(in: .milliseconds(200)) { answered.fail(DnsmasqError.noFreePort) }
        let ok = (try? await answered.futureResult.get()) != nil
        timer.cancel()
        try? await channel.close()
        return ok
    }
}

/// Why ``Dnsmasq`` could not start.
public enum DnsmasqError: Error, CustomStringConvertible {
    case noFreePort
    case didNotStart(log: String)

    public var description: String {
        switch self {
        case .noFreePort: "no port free for both UDP and TCP on 127.0.0.1"
        case .didNotStart(let log): "dnsmasq did not start answering queries; its log:\n\(log)"
        }
    }
}

/// dnsmasq started with `posix_spawn` directly and reaped by a thread of
/// its own, not through Foundation's `Process`.
///
/// Two reasons. The threads that run Swift tasks block nearly every signal
/// and a spawned child inherits that mask, so dnsmasq would never see
/// SIGTERM: the spawn sets an empty mask for the child only. And a
/// long-lived child of Foundation's process reaper, started while the tests
/// also start and kill `poshta` processes, delayed the reaper's news of
/// those exits by seconds; dnsmasq now stays out of its books.
private enum SpawnedChild {
    static func spawn(_ executable: String, _ arguments: [String], log: String, exitStatus: ExitStatus) throws -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw DnsmasqError.didNotStart(log: "posix_spawn \(executable): \(String(cString: strerror(result)))")
        }
        let child = pid
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1, errno == EINTR {}
            exitStatus.record(status)
        }
        return pid
    }
}

/// The exit status of the process, once it has been reaped.
private final class ExitStatus: Sendable {
    private let status = Mutex<Int32?>(nil)

    var value: Int32? { status.withLock { $0 } }

    func record(_ value: Int32) { status.withLock { $0 = value } }

    /// True if the process ended within `timeout`.
    func wait(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while value == nil {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}

/// Completes the promise on the first datagram received.
private final class AnyDatagram: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let promise: EventLoopPromise<Void>

    init(_ promise: EventLoopPromise<Void>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        promise.succeed()
    }
}
