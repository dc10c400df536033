public import Logging
import Synchronization

/// The submission users as the server sees them: the users file, re-read when
/// it changes, and password checks that never run on the caller's thread.
///
/// The file is checked at most once a second (one `stat`: inode, size,
/// mtime), before a password check and when names are listed; a change is
/// picked up without a restart or a signal, as `poshta user add` expects.
/// A file that stops parsing is logged and the last good users stay; a
/// removed file means no users.
public final class UserDatabase: Sendable {
    private struct State {
        var users: [String: UserRecord] = [:]
        var names: [String] = []
        /// What an unknown name is checked against, so that it costs what a
        /// known one does. Random, so no password matches it.
        var dummy: PasswordHash
        var identity: FileIdentity?
        var checked: ContinuousClock.Instant?
    }

    private let path: String
    private let logger: Logger
    private let checkInterval: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state: Mutex<State>
    private let workers = ScryptWorkers(label: "poshta.accounts.scrypt")

    /// Reads the users file now (a missing file means no users; a bad one is
    /// logged and means no users until it is fixed).
    public convenience init(path: String, logger: Logger) {
        self.init(path: path, logger: logger, checkInterval: .seconds(1), now: { .now })
    }

    init(path: String, logger: Logger, checkInterval: Duration, now: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.path = path
        self.logger = logger
        self.checkInterval = checkInterval
        self.now = now
        state = Mutex(State(dummy: Self.dummy(cost: .standard)))
        refreshIfDue()
    }

    /// True when the user exists and the password matches.
    public func verify(name: String, password: String) async -> Bool {
        await authenticated(name: name, password: password) != nil
    }

    /// The user when it exists, has a console role and the password
    /// matches; nil otherwise.
    public func verifyConsole(name: String, password: String) async -> UserRecord? {
        guard let user = await authenticated(name: name, password: password), user.role != nil else { return nil }
        return user
    }

    /// The user when it exists and the password matches.
    ///
    /// Runs scrypt on a dedicated thread (DispatchQueue), never on the calling
    /// task's thread: Swift concurrency runs on the network event loops here.
    /// An unknown user still costs one scrypt (against a fixed dummy hash) so
    /// timing does not reveal which names exist.
    private func authenticated(name: String, password: String) async -> UserRecord? {
        await workers.run { [self] in
            refreshIfDue()
            let (record, dummy) = state.withLock { ($0.users[name], $0.dummy) }
            guard let record else {
                _ = dummy.verify(password)
                return nil
            }
            return record.hash.verify(password) ? record : nil
        }
    }

    /// The user as the file says now, when it has a console role (nil: no
    /// such user, or no role). A signed-in session checks it on every
    /// request, so that a user removed, demoted or given a new password in
    /// the file loses the console at once; the file is looked at (one
    /// `stat`) at most once a second, and read again only when it changed.
    public func consoleUser(_ name: String) -> UserRecord? {
        refreshIfDue()
        return state.withLock { $0.users[name].flatMap { $0.role == nil ? nil : $0 } }
    }

    /// Whether this authenticated user may use `sender` (an address without
    /// brackets; "" = null sender, always allowed) as MAIL FROM: its own name
    /// when the name is an address, any address listed in its senders, any
    /// address at a listed "@domain"; case-insensitive domains.
    ///
    /// No I/O: uses the users as last read (at most a second older than the
    /// `verify` that authenticated this user), so it may run on an event loop.
    public func mayUse(sender: String, user: String) -> Bool {
        if sender.isEmpty { return true }
        guard let record = state.withLock({ $0.users[user] }) else { return false }
        return record.mayUse(sender: sender)
    }

    /// The user names in file order. May read the file: not for an event loop.
    public func userNames() -> [String] {
        refreshIfDue()
        return state.withLock { $0.names }
    }

    /// Re-reads the file when the last check is older than the interval and
    /// the file's identity changed. The slot is claimed under the lock and
    /// the I/O done outside it, so that verifications do not queue on it.
    private func refreshIfDue() {
        let instant = now()
        let (due, known) = state.withLock { state -> (Bool, FileIdentity?) in
            if let checked = state.checked, instant - checked < checkInterval { return (false, nil) }
            state.checked = instant
            return (true, state.identity)
        }
        guard due else { return }
        let current = FileIO.identity(of: path)
        guard current != known else { return }
        guard current != nil else {
            state.withLock { state in
                state.users = [:]
                state.names = []
                state.identity = nil
            }
            if known != nil { logger.warning("users file \(path) is gone: no users can authenticate") }
            return
        }
        do {
            let records = try UsersFile.read(path: path)
            let dummy = Self.dummy(cost: records.first?.hash.cost ?? .standard)
            state.withLock { state in
                state.users = Dictionary(records.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
                state.names = records.map(\.name)
                state.dummy = dummy
                state.identity = current
            }
            logger.info("users file \(path): \(records.count) user\(records.count == 1 ? "" : "s")")
            if let mode = current?.mode, mode & 0o077 != 0 {
                logger.warning("users file \(path) is readable by others (mode \(String(mode, radix: 8))): chmod 600 it")
            }
        } catch {
            // Remember this version so that the error is logged once, not every second.
            state.withLock { $0.identity = current }
            logger.error("users file not reloaded, keeping the users read before: \(error)")
        }
    }

    /// A hash no password matches, with the given cost.
    private static func dummy(cost: PasswordHash.Cost) -> PasswordHash {
        var generator = SystemRandomNumberGenerator()
        let random = { (count: Int) in (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) } }
        return PasswordHash(cost: cost, salt: random(PasswordHash.saltByteCount), key: random(PasswordHash.keyByteCount))
    }
}
