/// The part of an address right of the "@": a domain name or an address literal.
///
/// - SeeAlso: RFC 5321 §4.1.2 (`Domain`, `address-literal`), §4.1.3
public enum MailDomain: Hashable, Sendable, CustomStringConvertible {
    /// A domain name as written; U-labels (UTF-8) only under SMTPUTF8.
    case name(String)
    /// `[192.0.2.1]`
    case ipv4(String)
    /// `[IPv6:2001:db8::1]`; the associated text is the address after the tag.
    case ipv6(String)
    /// `[tag:content]`, RFC 5321's General-address-literal.
    case general(tag: String, content: String)

    public var description: String {
        switch self {
        case .name(let name): name
        case .ipv4(let address): "[\(address)]"
        case .ipv6(let address): "[IPv6:\(address)]"
        case .general(let tag, let content): "[\(tag):\(content)]"
        }
    }
}

/// An address, `local-part@domain`, as it appears inside a path.
///
/// The local part is kept in its wire form: quoted when it was quoted, so that
/// encoding gives back the bytes that were parsed.
///
/// - SeeAlso: RFC 5321 §4.1.2 (`Mailbox`), RFC 6531 §3.3 (UTF-8 addresses)
public struct Mailbox: Hashable, Sendable, CustomStringConvertible {
    /// `Dot-string` or `Quoted-string`, exactly as written.
    public var localPart: String
    public var domain: MailDomain

    public init(localPart: String, domain: MailDomain) {
        self.localPart = localPart
        self.domain = domain
    }

    public var description: String { "\(localPart)@\(domain)" }

    /// True when every byte is ASCII; otherwise the address needs SMTPUTF8.
    public var isASCII: Bool { description.utf8.allSatisfy { $0 < 0x80 } }

    /// True when the local part is quoted (`"john smith"@example.com`).
    public var isQuoted: Bool { localPart.hasPrefix("\"") }

    /// True when the local part carries an old routing convention that would
    /// make a relay forward mail elsewhere: `user%host`, `host!user`, or a
    /// quoted `"user@host"`. Poshta refuses these; it never rewrites them.
    public var usesRoutingTricks: Bool {
        localPart.contains("%") || localPart.contains("!") || localPart.contains("@")
    }

    /// Same local part (compared exactly: RFC 5321 §2.4 leaves its case to
    /// the receiving host) and same domain (case-insensitive).
    public func isSameAddress(as other: Mailbox) -> Bool {
        localPart == other.localPart && domain.description.lowercased() == other.domain.description.lowercased()
    }

    /// The domain name in lower case, or nil for an address literal.
    public var domainName: String? {
        if case .name(let name) = domain { return name.lowercased() }
        return nil
    }
}

/// The argument of `MAIL FROM`: an address or the null path `<>` of bounces.
///
/// - SeeAlso: RFC 5321 §4.1.2 (`Reverse-path`), §4.5.5
public enum ReversePath: Hashable, Sendable, CustomStringConvertible {
    case null
    case mailbox(Mailbox)

    /// `<>` or `<local@domain>`.
    public var description: String {
        switch self {
        case .null: "<>"
        case .mailbox(let mailbox): "<\(mailbox)>"
        }
    }

    /// The address without brackets; empty for the null path.
    public var address: String {
        switch self {
        case .null: ""
        case .mailbox(let mailbox): mailbox.description
        }
    }
}

/// The argument of `RCPT TO`: an address, or the bare `<Postmaster>` every
/// server must accept.
///
/// - SeeAlso: RFC 5321 §4.1.2 (`Forward-path`), §4.5.1
public enum ForwardPath: Hashable, Sendable, CustomStringConvertible {
    case postmaster
    case mailbox(Mailbox)

    public var description: String {
        switch self {
        case .postmaster: "<Postmaster>"
        case .mailbox(let mailbox): "<\(mailbox)>"
        }
    }
}

extension Mailbox {
    /// `local@domain` checked as a RCPT TO path is checked (RFC 5321
    /// §4.1.2, RFC 6531 for UTF-8); nil when it is not such an address.
    /// For addresses that come from elsewhere than a session: the admin
    /// API, the configuration.
    public init?(address: String) {
        var parser = PathParser(Array("<\(address)>".utf8), at: 0)
        guard case .mailbox(let mailbox)? = try? parser.parsePath(), parser.index == address.utf8.count + 2 else {
            return nil
        }
        self = mailbox
    }
}
