public import Accounts

/// What the server needs to offer AUTH: the users, the brute-force throttle,
/// and whether authenticated users may only send as themselves.
public struct Authentication: Sendable {
    public var users: UserDatabase
    public var throttle: AuthThrottle
    /// An authenticated user may only use its own addresses as MAIL FROM.
    public var restrictSenders: Bool
    /// SASL mechanisms offered, in the order listed in EHLO.
    public var mechanisms: [String]

    public init(users: UserDatabase, throttle: AuthThrottle, restrictSenders: Bool, mechanisms: [String] = ["PLAIN", "LOGIN"]) {
        self.users = users
        self.throttle = throttle
        self.restrictSenders = restrictSenders
        self.mechanisms = mechanisms
    }
}
