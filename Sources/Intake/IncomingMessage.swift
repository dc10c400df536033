public import SMTPProtocol

/// The Intake module: like Postfix's cleanup(8), it finishes a received
/// message and puts it on the spool.
///
/// Input: an envelope and message bytes from a session (later also from the
/// admin API). Output: a spooled message with its queue id, or an error that
/// carries the SMTP reply. It adds `Received`, and `Message-ID` and `Date`
/// when missing; it never changes the body. It knows neither the server's
/// sockets nor delivery.

/// A message as a session received it, before Intake finishes it.
public struct IncomingMessage: Sendable {
    public var transaction: MailTransaction
    /// The content after dot-unstuffing, ending with CRLF (or empty).
    public var content: [UInt8]
    public var client: ClientDescription

    public init(transaction: MailTransaction, content: [UInt8], client: ClientDescription) {
        self.transaction = transaction
        self.content = content
        self.client = client
    }
}

/// Who handed over a message and how, for the Received header and the logs.
public struct ClientDescription: Sendable, Hashable {
    /// The peer's IP address as text (`127.0.0.1`, `::1`).
    public var address: String
    public var port: Int?
    public var heloName: String?
    /// True after EHLO, false after HELO.
    public var extended: Bool
    /// TLS protocol and cipher when the session is encrypted (next issue).
    public var tls: String?
    /// The AUTH identity (next issue).
    public var authenticatedUser: String?

    public init(
        address: String, port: Int?, heloName: String?, extended: Bool, tls: String? = nil,
        authenticatedUser: String? = nil
    ) {
        self.address = address
        self.port = port
        self.heloName = heloName
        self.extended = extended
        self.tls = tls
        self.authenticatedUser = authenticatedUser
    }

    /// `[127.0.0.1]` or `[IPv6:::1]`, as RFC 5321 writes address literals.
    public var addressLiteral: String { address.contains(":") ? "[IPv6:\(address)]" : "[\(address)]" }

    /// The `with` protocol of the Received header (RFC 3848, RFC 6531).
    public var protocolName: String {
        var name = extended ? "ESMTP" : "SMTP"
        if tls != nil { name += "S" }
        if authenticatedUser != nil { name += "A" }
        return name
    }
}
