/// A configuration file that cannot be used: which file, which key, which line, and why.
///
/// `description` reads like a compiler diagnostic:
/// `conf/poshta.toml:12: listener[2].mode: "foo" is not valid; expected one of relay, submission`.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as it was named to `load` or `parse`.
    public var file: String
    /// The key, named by its path: `server.hostname`, `listener[2].mode`, `delivery.relays[1].host`.
    public var key: String?
    /// The 1-based line the key (or the syntax error) is on, when known.
    public var line: Int?
    /// What is wrong, and what would be valid.
    public var message: String

    public init(file: String, key: String? = nil, line: Int? = nil, message: String) {
        self.file = file
        self.key = key
        self.line = line
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let key, !key.isEmpty { text += "\(key): " }
        return text + message
    }
}
