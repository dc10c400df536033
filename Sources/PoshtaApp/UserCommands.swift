public import Accounts

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The logic of `poshta user add|remove|list|passwd`: edits the users file
/// named by `[auth] users_file` in the configuration.
///
/// Passwords come from the first line of `--password-file` or from the
/// terminal (asked twice, without echo), never from the command line, where
/// `ps` and shell history would show them. No password and no hash is ever
/// printed. Changes are picked up by a running daemon within a second.
///
/// Exit statuses: 0 done; 1 refused or failed (the user exists or does not,
/// the users file cannot be read or written); 64 bad input (name, sender,
/// empty or mismatched password, no terminal); 66 the password file cannot
/// be read; 78 the configuration cannot be loaded.
public enum UserCommands {
    /// Adds a user. Refuses an existing name. `senders` are addresses or
    /// `@domains` the user may use as MAIL FROM besides its own name.
    /// `role` lets the user sign in to the web console.
    public static func add(
        configurationPath: String, name: String, passwordFile: String?, senders: [String] = [],
        role: UserRecord.Role? = nil, cost: PasswordHash.Cost = .standard
    ) -> Int32 {
        run(.standard) { console throws(Failure) in
            try add(configurationPath, name, passwordFile, senders, cost, console, role: role)
        }
    }

    /// Removes a user.
    public static func remove(configurationPath: String, name: String) -> Int32 {
        run(.standard) { console throws(Failure) in try remove(configurationPath, name, console) }
    }

    /// Prints the user names, each with its senders after a tab; never hashes.
    public static func list(configurationPath: String) -> Int32 {
        run(.standard) { console throws(Failure) in try list(configurationPath, console) }
    }

    /// Sets a new password for an existing user; keeps its senders.
    public static func passwd(
        configurationPath: String, name: String, passwordFile: String?, cost: PasswordHash.Cost = .standard
    ) -> Int32 {
        run(.standard) { console throws(Failure) in try passwd(configurationPath, name, passwordFile, cost, console) }
    }

    /// Gives a user a console role, or takes it away (`role` nil); keeps the password and senders.
    public static func setRole(configurationPath: String, name: String, role: UserRecord.Role?) -> Int32 {
        run(.standard) { console throws(Failure) in try setRole(configurationPath, name, role, console) }
    }

    // MARK: - The commands, with their output injected (tests pass their own console)

    static func add(
        _ configurationPath: String, _ name: String, _ passwordFile: String?, _ senders: [String],
        _ cost: PasswordHash.Cost, _ console: Console, role: UserRecord.Role? = nil
    ) throws(Failure) {
        let path = try usersFile(configurationPath)
        guard UserRecord.isValidName(name) else {
            throw Failure(64, "\"\(name)\" is not a valid user name: use 1 to 64 of A-Z a-z 0-9 . _ @ + -")
        }
        for sender in senders where !UserRecord.isValidSender(sender) {
            throw Failure(64, "sender \"\(sender)\" is neither an address (a@b.example) nor a domain (@b.example)")
        }
        let exists = { (users: [UserRecord]) throws(Failure) in
            if users.contains(where: { $0.name == name }) {
                throw Failure(1, "user \"\(name)\" exists already in \(path)")
            }
        }
        // Checked before asking for the password and again under the lock,
        // which is not held while someone types.
        try exists(try readUsers(path))
        let newHash = try hash(try newPassword(for: name, from: passwordFile, console), cost)
        try withLockedFolder(of: path) { () throws(Failure) in
            var users = try readUsers(path)
            try exists(users)
            users.append(UserRecord(name: name, hash: newHash, senders: senders, role: role))
            try writeUsers(users, path)
        }
        console.out("added user \"\(name)\"\(role.map { " (console: \($0.rawValue))" } ?? "") to \(path)")
    }

    static func remove(_ configurationPath: String, _ name: String, _ console: Console) throws(Failure) {
        let path = try usersFile(configurationPath)
        try withLockedFolder(of: path) { () throws(Failure) in
            var users = try readUsers(path)
            guard let index = users.firstIndex(where: { $0.name == name }) else {
                throw Failure(1, "no user \"\(name)\" in \(path)")
            }
            users.remove(at: index)
            try writeUsers(users, path)
        }
        console.out("removed user \"\(name)\" from \(path)")
    }

    static func list(_ configurationPath: String, _ console: Console) throws(Failure) {
        let path = try usersFile(configurationPath)
        let users = try readUsers(path)
        if users.isEmpty { console.err("poshta: no users in \(path)") }
        for user in users {
            var line = user.name
            if !user.senders.isEmpty || user.role != nil { line += "\t" + user.senders.joined(separator: ",") }
            if let role = user.role { line += "\t" + role.rawValue }
            console.out(line)
        }
    }

    static func passwd(
        _ configurationPath: String, _ name: String, _ passwordFile: String?, _ cost: PasswordHash.Cost,
        _ console: Console
    ) throws(Failure) {
        let path = try usersFile(configurationPath)
        let missing = Failure(1, "no user \"\(name)\" in \(path)")
        guard try readUsers(path).contains(where: { $0.name == name }) else { throw missing }
        let newHash = try hash(try newPassword(for: name, from: passwordFile, console), cost)
        try withLockedFolder(of: path) { () throws(Failure) in
            var users = try readUsers(path)
            guard let index = users.firstIndex(where: { $0.name == name }) else { throw missing }
            users[index].hash = newHash
            try writeUsers(users, path)
        }
        console.out("changed the password of \"\(name)\" in \(path)")
    }

    static func setRole(_ configurationPath: String, _ name: String, _ role: UserRecord.Role?, _ console: Console) throws(Failure) {
        let path = try usersFile(configurationPath)
        try withLockedFolder(of: path) { () throws(Failure) in
            var users = try readUsers(path)
            guard let index = users.firstIndex(where: { $0.name == name }) else {
                throw Failure(1, "no user \"\(name)\" in \(path)")
            }
            users[index].role = role
            try writeUsers(users, path)
        }
        console.out(
            role.map { "\"\(name)\" may sign in to the console as \($0.rawValue) (\(path))" }
                ?? "\"\(name)\" may no longer sign in to the console (\(path)); open sessions end at their next page")
    }

    // MARK: - Helpers

    /// A refusal: the exit status and the message for standard error.
    struct Failure: Error {
        var status: Int32
        var message: String
        init(_ status: Int32, _ message: String) {
            self.status = status
            self.message = message
        }
    }

    /// Where the commands' text goes and where a password prompt reads from.
    struct Console: Sendable {
        var out: @Sendable (String) -> Void
        var err: @Sendable (String) -> Void
        /// Shows the prompt and reads one line without echo; nil without a terminal.
        var readSecret: @Sendable (_ prompt: String) -> String?

        static let standard = Console(
            out: { print($0) }, err: { Commands.printError($0) }, readSecret: { Terminal.readSecret(prompt: $0) })
    }

    static func run(_ console: Console, _ body: (Console) throws(Failure) -> Void) -> Int32 {
        do {
            try body(console)
            return 0
        } catch {
            console.err("poshta: \(error.message)")
            return error.status
        }
    }

    private static func usersFile(_ configurationPath: String) throws(Failure) -> String {
        do {
            return try PoshtaConfiguration.load(path: configurationPath).auth.usersFile
        } catch {
            throw Failure(78, "\(error)")
        }
    }

    private static func readUsers(_ path: String) throws(Failure) -> [UserRecord] {
        do { return try UsersFile.read(path: path) } catch { throw Failure(1, "\(error)") }
    }

    private static func writeUsers(_ users: [UserRecord], _ path: String) throws(Failure) {
        do { try UsersFile.write(users, to: path) } catch { throw Failure(1, "\(error)") }
    }

    private static func hash(_ password: String, _ cost: PasswordHash.Cost) throws(Failure) -> PasswordHash {
        do { return try PasswordHash.make(password: password, cost: cost) } catch { throw Failure(1, "\(error)") }
    }

    /// The password from the file's first line, or asked twice on the terminal.
    private static func newPassword(for name: String, from file: String?, _ console: Console) throws(Failure) -> String {
        let password: String
        if let file {
            password = try firstLine(of: file)
            guard !password.isEmpty else { throw Failure(64, "the first line of \(file) is empty: no password") }
        } else {
            guard let first = console.readSecret("Password for \(name): ") else {
                throw Failure(64, "no terminal to ask for the password on; use --password-file FILE")
            }
            guard !first.isEmpty else { throw Failure(64, "empty password refused") }
            guard let second = console.readSecret("Again: "), second == first else {
                throw Failure(64, "the passwords did not match")
            }
            password = first
        }
        return password
    }

    /// The first line of a file, without its line end (LF or CRLF).
    private static func firstLine(of path: String) throws(Failure) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw Failure(66, "cannot read the password file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        // A password line is short; stop at the first LF or after 64 KiB.
        while !bytes.contains(0x0A) && bytes.count < 65_536 {
            let count = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return read(descriptor, base, raw.count)
            }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw Failure(66, "cannot read the password file \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        var line = bytes.prefix(while: { $0 != 0x0A })
        if line.last == 0x0D { line.removeLast() }
        guard let text = String(validating: line, as: UTF8.self) else {
            throw Failure(64, "the password in \(path) is not UTF-8")
        }
        return text
    }

    /// Holds an exclusive flock(2) on the users file's folder while `body`
    /// reads, changes and rewrites the file, so that two `poshta user`
    /// commands at once cannot lose each other's change. The folder, not the
    /// file: the file is replaced by a rename, which would orphan a lock on it.
    private static func withLockedFolder(of path: String, _ body: () throws(Failure) -> Void) throws(Failure) {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let descriptor = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        // Best effort: a folder we cannot open fails at the write with a clearer message.
        if descriptor >= 0 { _ = flock(descriptor, LOCK_EX) }
        defer { if descriptor >= 0 { close(descriptor) } }
        try body()
    }
}

extension UserCommands {
    /// Reads a password from the controlling terminal without echo, the way
    /// getpass(3) does (obsolete in glibc, so done here with termios).
    enum Terminal {
        /// The prompt goes to the terminal, not to standard output, so that
        /// `poshta user add bob > log` still asks. Nil when there is no terminal.
        static func readSecret(prompt: String) -> String? {
            let descriptor = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            var original = termios()
            guard tcgetattr(descriptor, &original) == 0 else { return nil }
            var quiet = original
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ECHONL)  // the user's Enter still moves to the next line
            writeAll(descriptor, prompt)
            // Ctrl-C while echo is off would leave the shell blind: put the
            // terminal back in the signal handler too.
            echoRestore = (descriptor, original)
            let previousInterrupt = signal(SIGINT, restoreEchoAndExit)
            let previousTerminate = signal(SIGTERM, restoreEchoAndExit)
            defer {
                _ = tcsetattr(descriptor, TCSAFLUSH, &original)
                signal(SIGINT, previousInterrupt)
                signal(SIGTERM, previousTerminate)
                echoRestore = nil
            }
            guard tcsetattr(descriptor, TCSAFLUSH, &quiet) == 0 else { return nil }
            return readLine(descriptor)
        }

        /// One line up to LF (without it, nor a CR before it), at most 4 KiB;
        /// nil at end of input before any LF.
        private static func readLine(_ descriptor: Int32) -> String? {
            var line: [UInt8] = []
            var byte: UInt8 = 0
            while line.count < 4096 {
                let count = read(descriptor, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                guard count == 1 else { return nil }
                if byte == 0x0A { break }
                line.append(byte)
            }
            if line.last == 0x0D { line.removeLast() }
            return String(validating: line, as: UTF8.self)
        }

        private static func writeAll(_ descriptor: Int32, _ text: String) {
            var bytes = Array(text.utf8)
            var done = 0
            while done < bytes.count {
                let wrote = bytes.withUnsafeMutableBytes { raw -> Int in
                    guard let base = raw.baseAddress else { return 0 }
                    return write(descriptor, base + done, raw.count - done)
                }
                if wrote < 0 && errno == EINTR { continue }
                guard wrote > 0 else { return }
                done += wrote
            }
        }
    }
}

/// The terminal to put back if a signal ends the process during a prompt.
/// Global and unchecked because a C signal handler can capture nothing; it is
/// written only by the one thread that prompts, before and after the handler
/// is installed.
nonisolated(unsafe) private var echoRestore: (descriptor: Int32, settings: termios)?

private func restoreEchoAndExit(_ signal: Int32) {
    if var saved = echoRestore {
        _ = tcsetattr(saved.descriptor, TCSAFLUSH, &saved.settings)
        var newline: UInt8 = 0x0A
        _ = write(saved.descriptor, &newline, 1)  // async-signal-safe, unlike print
    }
    _exit(128 + signal)
}
