/// Why the users file could not be read or written: the file, the line when
/// one line is at fault, and what is wrong with it.
///
/// The text never quotes a hash or anything else from a bad line except a
/// user name that is itself valid: a line that does not parse might be a
/// password pasted in the wrong place.
public struct UsersFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    /// 1-based; nil when the fault is not one line's (the file cannot be opened).
    public var line: Int?
    public var reason: String

    public init(path: String, line: Int? = nil, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    /// `/etc/poshta/users:3: the hash of "bob" is not an scrypt PHC string …`
    public var description: String {
        if let line { return "\(path):\(line): \(reason)" }
        return "\(path): \(reason)"
    }
}
