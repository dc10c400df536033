public import Accounts

/// A users file written for a test, as `poshta user add` writes it, with
/// the cheap test cost so that tests do not wait for scrypt.
public enum TestUsersFile {
    /// One user: a name, its password in clear, and the senders it may use.
    public typealias User = (name: String, password: String, senders: [String])

    /// Replaces the file at `path` with `users` (atomically, mode 0600);
    /// `roles` lets some of them sign in to the web console.
    public static func write(_ users: [User], roles: [String: UserRecord.Role] = [:], to path: String) throws {
        let records = try users.map { user in
            UserRecord(
                name: user.name, hash: try PasswordHash.make(password: user.password, cost: .fastForTests),
                senders: user.senders, role: roles[user.name])
        }
        try UsersFile.write(records, to: path)
    }
}
