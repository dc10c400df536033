/// The users file: one `name:hash[:sender,sender…[:role]]` a line, `#`
/// comments and blank lines allowed. The role (`owner` or `admin`) lets the
/// user sign in to the web console.
///
/// ```
/// # Poshta submission users
/// shop@b.example:$scrypt$ln=15,r=8,p=1$…$…
/// thunderbird-anna:$scrypt$ln=15,r=8,p=1$…$…:anna@b.example,@news.b.example
/// maria:$scrypt$ln=15,r=8,p=1$…$…::owner
/// ```
/// Like Dovecot's passwd-file, so it can be edited by hand, versioned and
/// filled from other tools (passlib writes the same hash strings). Spaces
/// around a line are ignored; inside it they are not allowed. A name may
/// appear once.
public enum UsersFile {
    /// The users in the file, in file order; `[]` when the file does not exist.
    /// A line that does not parse fails the whole read, with its number:
    /// skipping it would quietly lock that user out.
    public static func read(path: String) throws(UsersFileError) -> [UserRecord] {
        guard let bytes = try FileIO.readFile(path) else { return [] }
        return try parse(bytes, path: path)
    }

    /// Replaces the file with `users` atomically (temp file, fsync, rename,
    /// fsync of the folder), mode 0600. Comments in the old file are not
    /// kept; a header says so. Refuses records that would not read back
    /// (invalid names or senders, a name twice).
    public static func write(_ users: [UserRecord], to path: String) throws(UsersFileError) {
        try FileIO.writeAtomically(Array(try render(users, path: path).utf8), to: path)
    }

    static let header = """
        # Poshta users, one name:hash[:sender,sender...[:role]] a line (role: owner or admin, for the web console).
        # Written by `poshta user add|remove|passwd`; comments added here are not kept.

        """

    static func render(_ users: [UserRecord], path: String) throws(UsersFileError) -> String {
        var text = header
        var seen = Set<String>()
        for user in users {
            guard UserRecord.isValidName(user.name) else {
                throw UsersFileError(path: path, reason: "refusing to write an invalid user name")
            }
            guard seen.insert(user.name).inserted else {
                throw UsersFileError(path: path, reason: "refusing to write user \"\(user.name)\" twice")
            }
            guard user.senders.allSatisfy(UserRecord.isValidSender) else {
                throw UsersFileError(path: path, reason: "refusing to write an invalid sender for \"\(user.name)\"")
            }
            text += "\(user.name):\(user.hash.encoded)"
            if !user.senders.isEmpty || user.role != nil { text += ":" + user.senders.joined(separator: ",") }
            if let role = user.role { text += ":" + role.rawValue }
            text += "\n"
        }
        return text
    }

    static func parse(_ bytes: [UInt8], path: String) throws(UsersFileError) -> [UserRecord] {
        var users: [UserRecord] = []
        var lineOfName: [String: Int] = [:]
        for (index, rawLine) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            guard let text = String(validating: rawLine, as: UTF8.self) else {
                throw UsersFileError(path: path, line: number, reason: "not UTF-8")
            }
            let line = text.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let user = try parseLine(line, path: path, number: number)
            if let first = lineOfName[user.name] {
                throw UsersFileError(path: path, line: number, reason: "user \"\(user.name)\" is listed already on line \(first)")
            }
            lineOfName[user.name] = number
            users.append(user)
        }
        return users
    }

    private static func parseLine(_ line: Substring, path: String, number: Int) throws(UsersFileError) -> UserRecord {
        func failure(_ reason: String) -> UsersFileError { UsersFileError(path: path, line: number, reason: reason) }
        let fields = line.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...4).contains(fields.count) else {
            throw failure(
                fields.count < 2
                    ? "expected name:hash[:senders[:role]], found no ':'" : "too many ':' (expected name:hash[:senders[:role]])")
        }
        let name = String(fields[0])
        guard UserRecord.isValidName(name) else {
            throw failure("invalid user name (1 to 64 of A-Z a-z 0-9 . _ @ + -)")
        }
        guard let hash = PasswordHash(encoded: String(fields[1])) else {
            throw failure(
                "the hash of \"\(name)\" is not an scrypt hash ($scrypt$ln=N,r=N,p=N$salt$key) with an acceptable cost")
        }
        var senders: [String] = []
        var role: UserRecord.Role?
        if fields.count == 4 {
            guard let parsed = UserRecord.Role(rawValue: String(fields[3])) else {
                throw failure("the role of \"\(name)\" is \"\(fields[3])\"; a role is owner or admin")
            }
            role = parsed
        }
        if fields.count >= 3 && !fields[2].isEmpty {
            for (position, item) in fields[2].split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                let sender = String(item)
                guard UserRecord.isValidSender(sender) else {
                    throw failure(
                        "sender \(position + 1) of \"\(name)\" is neither an address (a@b.example) nor a domain (@b.example)")
                }
                senders.append(sender)
            }
        }
        return UserRecord(name: name, hash: hash, senders: senders, role: role)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and the CR of a CRLF line end.
    fileprivate func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
