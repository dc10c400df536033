import Foundation
import PoshtaApp
import Synchronization

/// A private, throw-away Postfix (the Debian package) on a loopback port,
/// relaying everything to one next hop: the real MTA Poshta's relay
/// delivery is tested against.
///
/// Each instance has its own configuration, queue, data folder, log and
/// STARTTLS certificate under `/var/tmp/poshta-postfix-<random>/`, and its
/// own smtpd port, so it never touches the system's or the reference
/// Postfix (`/etc/postfix*`, ports 2525 and 2527). `/var/tmp` and not the
/// temp folder: `maillog_file` must lie under `maillog_file_prefixes`
/// (`/var`), and the daemons, running as `postfix`, must reach the queue.
///
/// Needs root (Postfix starts as root, checks that root owns its queue and
/// drops to `mail_owner`) and `/usr/sbin/postfix`; without either, starting
/// throws, naming what is missing: a test using it fails, it is not skipped.
///
/// ```swift
/// let sink = try await SinkServer.start()
/// let postfix = try await PostfixUpstream.start(relayingTo: sink)
/// // … deliver to localhost:\(postfix.port) with STARTTLS, ca_file = postfix.certificateFile …
/// try await postfix.waitForLog("status=sent")
/// await postfix.stop()
/// ```
///
/// - SeeAlso: postconf(5), master(5), postfix(1)
public final class PostfixUpstream: Sendable {
    /// `smtpd_tls_security_level`: STARTTLS offered (`may`) or required (`encrypt`).
    public enum TLSLevel: String, Sendable {
        case may, encrypt
    }

    public static let executable = "/usr/sbin/postfix"
    static let masterExecutable = "/usr/lib/postfix/sbin/master"

    /// True when Postfix's command and master daemon are there to run.
    public static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: executable)
            && FileManager.default.isExecutableFile(atPath: masterExecutable)
    }

    /// The address smtpd listens on.
    public let host = "127.0.0.1"
    /// smtpd's port on ``host``.
    public let port: Int
    /// The name in the STARTTLS certificate (connect to it by this name).
    public let tlsHostname: String
    /// `myhostname`: in the banner and in Postfix's `Received:` header.
    public let myHostname: String
    /// The instance's folder; removed when this value is released.
    public let directory: String
    /// The self-signed certificate smtpd presents: the `ca_file` for clients.
    public let certificateFile: String
    /// The pid of the master daemon, the only process ``stop()`` signals.
    public let masterPID: Int32
    private let stopped = Mutex(false)

    public var configDirectory: String { "\(directory)/conf" }
    public var queueDirectory: String { "\(directory)/queue" }
    /// `maillog_file`, written by postlogd.
    public var logFile: String { "\(directory)/postfix.log" }
    /// True while this instance's master daemon runs.
    public var isRunning: Bool { Self.isMaster(masterPID, of: configDirectory) }
    /// Everything Postfix has logged so far.
    public var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// Starts Postfix relaying all mail to `sink` (plain SMTP).
    public static func start(
        relayingTo sink: SinkServer, tls: TLSLevel = .encrypt, tlsHostname: String = "localhost",
        settings: [String: String] = [:]
    ) async throws -> PostfixUpstream {
        try await PostfixUpstream(
            relayHost: sink.host, relayPort: sink.port, tls: tls, tlsHostname: tlsHostname, settings: settings)
    }

    /// Writes a fresh instance, checks it (`postfix check`) and starts it
    /// (`postfix start`, which returns once the master daemon listens).
    ///
    /// smtpd accepts mail from 127.0.0.0/8 for any domain (there is no local
    /// delivery) and Postfix hands it to `relayHost:relayPort`. `settings`
    /// are `main.cf` parameters added or replacing the defaults written here.
    /// A port taken between choosing and binding it is retried, a few times.
    public init(
        relayHost: String, relayPort: Int, tls: TLSLevel = .encrypt, tlsHostname: String = "localhost",
        myHostname: String = "postfix-upstream.test", settings: [String: String] = [:]
    ) async throws {
        guard Self.isInstalled else {
            throw PostfixUpstreamError(
                description: "Postfix is not installed (\(Self.executable) or \(Self.masterExecutable) missing): "
                    + "apt-get install postfix, answering \"No configuration\"")
        }
        guard geteuid() == 0 else {
            throw PostfixUpstreamError(
                description: "a private Postfix can only be started as root (it checks that root owns its queue, "
                    + "then runs as user postfix); run this test as root, as CI does")
        }
        guard getpwnam("postfix") != nil, getgrnam("postdrop") != nil else {
            throw PostfixUpstreamError(
                description: "user postfix or group postdrop missing: reinstall the postfix package")
        }
        let directory = "/var/tmp/poshta-postfix-\(UUID().uuidString.prefix(8).lowercased())"
        var failures: [String] = []
        do {
            let certificate = try Self.prepare(directory, tlsHostname: tlsHostname)
            for _ in 0..<3 {
                let port = try await Self.freePort()
                let mainCF = Self.mainCF(
                    directory: directory, relay: "[\(relayHost)]:\(relayPort)", tls: tls, myHostname: myHostname,
                    settings: settings)
                try mainCF.write(toFile: "\(directory)/conf/main.cf", atomically: true, encoding: .utf8)
                try Self.masterCF(port: port)
                    .write(toFile: "\(directory)/conf/master.cf", atomically: true, encoding: .utf8)
                let check = try await Self.postfix(directory, "check")
                guard check.status == 0 else {
                    throw PostfixUpstreamError(description: "postfix check failed: \(check.output)\(check.error)")
                }
                let start = try await Self.postfix(directory, "start")
                if start.status == 0, let pid = Self.readMasterPID(directory) {
                    self.port = port
                    self.tlsHostname = tlsHostname
                    self.myHostname = myHostname
                    self.directory = directory
                    self.certificateFile = certificate
                    self.masterPID = pid
                    return
                }
                let log = (try? String(contentsOfFile: "\(directory)/postfix.log", encoding: .utf8)) ?? ""
                let tail = log.split(separator: "\n").suffix(5).joined(separator: "\n")
                failures.append("port \(port): \(start.output)\(start.error)\(tail)")
                // A master that started but left no pid file is not ours to find: stop it by its config.
                _ = try? await Self.postfix(directory, "stop")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        try? FileManager.default.removeItem(atPath: directory)
        throw PostfixUpstreamError(description: "Postfix did not start:\n\(failures.joined(separator: "\n"))")
    }

    /// Stops Postfix (`postfix stop`) and waits, at most 10 seconds, until
    /// its master daemon is gone; then kills it if it is still ours. The
    /// folder, with the log, stays until this value is released.
    public func stop() async {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        _ = try? await Self.postfix(directory, "stop", timeout: .seconds(20))
        if await waitUntilGone(timeout: .seconds(10)) { return }
        if Self.isMaster(masterPID, of: configDirectory) { kill(masterPID, SIGKILL) }
        _ = await waitUntilGone(timeout: .seconds(2))
    }

    deinit {
        // As `postfix stop` does: SIGTERM to the master, which ends its
        // children; bounded wait, so that the folder goes after them.
        if !stopped.withLock({ $0 }), Self.isMaster(masterPID, of: configDirectory) {
            kill(masterPID, SIGTERM)
            for _ in 0..<100 where Self.isMaster(masterPID, of: configDirectory) { usleep(20_000) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Waits (bounded) for a line of Postfix's log containing every one of `parts`; returns it.
    @discardableResult
    public func waitForLog(_ parts: String..., timeout: Duration = .seconds(15)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let lines = log.split(separator: "\n")
            if let line = lines.first(where: { line in parts.allSatisfy { line.contains($0) } }) { return String(line) }
            guard ContinuousClock.now < deadline else {
                throw PostfixUpstreamError(
                    description: "no Postfix log line with \(parts) within \(timeout); log:\n"
                        + lines.suffix(30).joined(separator: "\n"))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private func waitUntilGone(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while Self.isMaster(masterPID, of: configDirectory) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }
}

// MARK: - The instance's files

extension PostfixUpstream {
    /// Creates the folders (root-owned 0755; `data` owned by postfix) and the certificate; returns its path.
    fileprivate static func prepare(_ directory: String, tlsHostname: String) throws -> String {
        let files = FileManager.default
        for folder in ["", "/conf", "/queue", "/data", "/tls"] {
            try files.createDirectory(
                atPath: directory + folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        }
        guard let owner = getpwnam("postfix")?.pointee else {
            throw PostfixUpstreamError(description: "user postfix missing")
        }
        guard chown("\(directory)/data", owner.pw_uid, owner.pw_gid) == 0 else {
            throw PostfixUpstreamError(description: "cannot chown \(directory)/data to postfix: errno \(errno)")
        }
        let made = try SelfSignedCertificate.make(hostname: tlsHostname, days: 30)
        let certificate = "\(directory)/tls/cert.pem"
        try made.certificate.write(toFile: certificate, atomically: true, encoding: .utf8)
        // smtpd reads the key as root, before it drops privileges.
        _ = files.createFile(
            atPath: "\(directory)/tls/key.pem", contents: Data(made.key.utf8), attributes: [.posixPermissions: 0o600])
        _ = files.createFile(atPath: "\(directory)/postfix.log", contents: nil)
        return certificate
    }

    /// `main.cf`: loopback, IPv4, relay for 127.0.0.0/8 only, no local
    /// delivery, no DNS, STARTTLS with the test certificate, everything to
    /// `relay` in plain SMTP, the log in a file; the SMTP-smuggling and
    /// pipelining hardening of Postfix ≥ 3.9, as the reference Postfix has.
    static func mainCF(
        directory: String, relay: String, tls: TLSLevel, myHostname: String, settings: [String: String]
    ) -> String {
        var parameters: [(String, String)] = [
            ("compatibility_level", "3.6"),
            ("queue_directory", "\(directory)/queue"),
            ("data_directory", "\(directory)/data"),
            ("mail_owner", "postfix"),
            ("setgid_group", "postdrop"),
            ("syslog_name", "postfix-upstream"),
            ("maillog_file", "\(directory)/postfix.log"),
            ("myhostname", myHostname),
            ("mydomain", "test"),
            ("myorigin", "$myhostname"),
            ("smtpd_banner", "$myhostname ESMTP Postfix"),
            ("biff", "no"),
            ("append_dot_mydomain", "no"),
            ("inet_interfaces", "127.0.0.1"),
            ("inet_protocols", "ipv4"),
            ("mynetworks", "127.0.0.0/8"),
            ("mydestination", ""),
            ("relay_domains", ""),
            ("local_recipient_maps", ""),
            ("local_transport", "error:5.1.1 no local delivery on this test relay"),
            ("alias_maps", ""),
            ("alias_database", ""),
            ("smtpd_relay_restrictions", "permit_mynetworks, reject"),
            ("relayhost", relay),
            ("smtp_dns_support_level", "disabled"),
            ("smtp_host_lookup", "native"),
            ("smtp_tls_security_level", "none"),
            ("smtpd_tls_security_level", tls.rawValue),
            ("smtpd_tls_cert_file", "\(directory)/tls/cert.pem"),
            ("smtpd_tls_key_file", "\(directory)/tls/key.pem"),
            ("smtpd_tls_loglevel", "1"),
            ("smtpd_tls_received_header", "yes"),
            ("smtpd_forbid_bare_newline", "normalize"),
            ("smtpd_forbid_bare_newline_exclusions", ""),
            ("smtpd_forbid_unauth_pipelining", "yes"),
            ("default_process_limit", "20"),
        ]
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) {
            if let index = parameters.firstIndex(where: { $0.0 == name }) {
                parameters[index].1 = value
            } else {
                parameters.append((name, value))
            }
        }
        return "# A throw-away Postfix for a Poshta test (PostfixUpstream.swift).\n"
            + parameters.map { "\($0.0) = \($0.1)\n" }.joined()
    }

    /// `master.cf`: Debian's services without chroot, one smtpd on
    /// 127.0.0.1:`port` (nothing on port 25), postlogd for `maillog_file`.
    static func masterCF(port: Int) -> String {
        """
        # service type  private unpriv  chroot  wakeup  maxproc command + args
        127.0.0.1:\(port) inet n - n - - smtpd
        pickup    unix  n       -       n       60      1       pickup
        cleanup   unix  n       -       n       -       0       cleanup
        qmgr      unix  n       -       n       300     1       qmgr
        tlsmgr    unix  -       -       n       1000?   1       tlsmgr
        rewrite   unix  -       -       n       -       -       trivial-rewrite
        bounce    unix  -       -       n       -       0       bounce
        defer     unix  -       -       n       -       0       bounce
        trace     unix  -       -       n       -       0       bounce
        verify    unix  -       -       n       -       1       verify
        flush     unix  n       -       n       1000?   0       flush
        proxymap  unix  -       -       n       -       -       proxymap
        proxywrite unix -       -       n       -       1       proxymap
        smtp      unix  -       -       n       -       -       smtp
        relay     unix  -       -       n       -       -       smtp
        showq     unix  n       -       n       -       -       showq
        error     unix  -       -       n       -       -       error
        retry     unix  -       -       n       -       -       error
        discard   unix  -       -       n       -       -       discard
        anvil     unix  -       -       n       -       1       anvil
        scache    unix  -       -       n       -       1       scache
        postlog   unix-dgram n  -       n       -       1       postlogd

        """
    }
}

// MARK: - Processes

extension PostfixUpstream {
    /// Runs `postfix -c <conf> <command>`.
    fileprivate static func postfix(_ directory: String, _ command: String, timeout: Duration = .seconds(30))
        async throws -> ExternalProcess.Result
    {
        try await ExternalProcess.run(executable, ["-c", "\(directory)/conf", command], timeout: timeout)
    }

    /// The pid in `<queue>/pid/master.pid`, if it is this instance's master.
    fileprivate static func readMasterPID(_ directory: String) -> Int32? {
        guard let text = try? String(contentsOfFile: "\(directory)/queue/pid/master.pid", encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
            isMaster(pid, of: "\(directory)/conf")
        else { return nil }
        return pid
    }

    /// True while `pid` is a live (not zombie) Postfix master started with
    /// `MAIL_CONFIG=<configDirectory>`: a pid reused by another process, or
    /// another instance's master, is never signalled.
    static func isMaster(_ pid: Int32, of configDirectory: String) -> Bool {
        guard pid > 0,
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"),
            stat[stat.index(after: close)...].split(separator: " ").first != "Z",
            let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
            let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
        else { return false }
        return executable == masterExecutable
            && environment.split(separator: 0).contains { $0.elementsEqual("MAIL_CONFIG=\(configDirectory)".utf8) }
    }

    /// A TCP port free on 127.0.0.1 now (bound to port 0, then closed).
    fileprivate static func freePort() async throws -> Int {
        let socket = try await LoopbackSocket(host: "127.0.0.1")
        let port = socket.port
        await socket.close()
        return port
    }
}

/// Why a ``PostfixUpstream`` could not start or did not log what was awaited.
public struct PostfixUpstreamError: Error, CustomStringConvertible {
    public var description: String
}
