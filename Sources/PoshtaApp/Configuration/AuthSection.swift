/// `[auth]`: where submission users and their password hashes live.
public struct AuthSection: Sendable, Equatable {
    /// The users file written by `poshta user add`, absolute (key `users_file`, default "users").
    public var usersFile: String
}

extension AuthSection {
    static let keys = ["users_file"]

    init(reading reader: TOMLTableReader) throws(ConfigurationError) {
        try reader.checkKeys(Self.keys, in: "[auth]")
        usersFile = try reader.path("users_file", default: "users")
    }
}
