/// `[auth]`: submission users, the AUTH brute-force throttle, and which
/// senders an authenticated user may use.
public struct AuthSection: Sendable, Equatable {
    /// The users file written by `poshta user add`, absolute (key `users_file`, default "users").
    public var usersFile: String
    /// Failed AUTH attempts from one address within `failure_window` before
    /// it is disconnected and refused for `cool_down` (key `max_failures`, default 5).
    public var maxFailures: Int
    /// Seconds over which failures count (key `failure_window`, default 600).
    public var failureWindow: Int
    /// Seconds an address is refused after too many failures (key `cool_down`, default 600).
    public var coolDown: Int
    /// An authenticated user may only use its own addresses as MAIL FROM:
    /// its name when that is an address, and the senders listed for it in
    /// the users file (key `restrict_senders`, default true).
    public var restrictSenders: Bool
}

extension AuthSection {
    static let keys = ["users_file", "max_failures", "failure_window", "cool_down", "restrict_senders"]

    init(reading reader: TOMLTableReader) throws(ConfigurationError) {
        try reader.checkKeys(Self.keys, in: "[auth]")
        usersFile = try reader.path("users_file", default: "users")
        maxFailures = try reader.positiveInt("max_failures", default: 5)
        failureWindow = try reader.positiveInt("failure_window", default: 600)
        coolDown = try reader.positiveInt("cool_down", default: 600)
        restrictSenders = try reader.bool("restrict_senders", default: true)
    }
}
