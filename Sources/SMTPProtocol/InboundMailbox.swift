/// A mailbox of Poshta's own that takes mail from anyone, with or without
/// a `+detail` (RFC 5233 subaddress): `unsubscribe@mail.shop.example` also
/// matches `unsubscribe+TOKEN@mail.shop.example`. The local part and the
/// domain compare without regard to case; the detail is kept as written.
public struct InboundMailbox: Sendable, Hashable {
    public var localPart: String
    public var domain: String

    public init(localPart: String, domain: String) {
        self.localPart = localPart
        self.domain = domain
    }

    /// `local@domain`; nil when the text has no "@" or an empty side.
    public init?(_ address: String) {
        guard let at = address.lastIndex(of: "@") else { return nil }
        let local = String(address[..<at])
        let domain = String(address[address.index(after: at)...])
        guard !local.isEmpty, !domain.isEmpty else { return nil }
        self.init(localPart: local, domain: domain)
    }

    public func matches(_ mailbox: Mailbox) -> Bool {
        guard case .name(let name) = mailbox.domain, name.lowercased() == domain.lowercased() else { return false }
        let local = mailbox.localPart.lowercased()
        let wanted = localPart.lowercased()
        return local == wanted || local.hasPrefix(wanted + "+")
    }
}
