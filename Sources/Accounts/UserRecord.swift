/// One user of the users file: a name, a password hash and the envelope
/// senders the user may use.
///
/// A user whose name is an address (`shop@b.example`) may always send as that
/// address; `senders` adds more: whole addresses (`sales@b.example`) or whole
/// domains (`@b.example`, the domain itself, not its subdomains). A user
/// whose name is not an address and who lists no senders may use only the
/// null sender `<>`. Postfix calls this `smtpd_sender_login_maps`; here it
/// lives in the users file so that one file says everything about a user.
///
/// A user with a `role` may also sign in to the web console.
public struct UserRecord: Sendable, Hashable {
    /// What a user may do in the web console.
    public enum Role: String, Sendable, CaseIterable {
        /// The shop owner: notifications, automations, templates, coupons and catalog.
        case owner
        /// The sysadmin: everything the owner may, and the queue.
        case admin
    }

    /// 1 to 64 of `A-Z a-z 0-9 . _ @ + -`: no `:` (the field separator), no
    /// spaces or control characters that could confuse a log line.
    public var name: String
    public var hash: PasswordHash
    /// Addresses (`a@b.example`) or domains (`@b.example`) usable as MAIL FROM.
    public var senders: [String]
    /// nil: a submission user only, who may not sign in to the console.
    public var role: Role?

    public init(name: String, hash: PasswordHash, senders: [String] = [], role: Role? = nil) {
        self.name = name
        self.hash = hash
        self.senders = senders
        self.role = role
    }

    /// Whether `name` may be a user name (see `name`).
    public static func isValidName(_ name: String) -> Bool {
        let bytes = name.utf8
        return (1...64).contains(bytes.count) && bytes.allSatisfy(isNameByte)
    }

    /// Whether `sender` may be listed in `senders`: `local@domain` or
    /// `@domain`, with a domain of letters, digits, `-` and `.` and a local
    /// part without spaces, `,`, `:`, `<`, `>` or control characters.
    /// Deliberately narrower than RFC 5321 (no quoted local parts): the list
    /// grants rights, so what it says must be plain to read.
    public static func isValidSender(_ sender: String) -> Bool {
        guard sender.utf8.count <= 254, let at = sender.utf8.lastIndex(of: 0x40) else { return false }
        let local = sender.utf8[..<at]
        let domain = sender.utf8[sender.utf8.index(after: at)...]
        let localOK = local.allSatisfy { byte in
            byte > 0x20 && byte < 0x7F && !",:<>\"\\@".utf8.contains(byte)
        }
        let domainOK = !domain.isEmpty && domain.first != 0x2E && domain.last != 0x2E
            && domain.allSatisfy { isDomainByte($0) }
        return localOK && domainOK
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true  // 0-9 A-Z a-z
        case 0x2E, 0x5F, 0x40, 0x2B, 0x2D: true  // . _ @ + -
        default: false
        }
    }

    private static func isDomainByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E: true
        default: false
        }
    }
}
