public import SMTPProtocol

/// A delivery attempt that ended before a transaction could finish: the
/// connection could not be made, broke, timed out, or the server refused to
/// talk. Carries what the log and the DSN need.
public struct SMTPClientError: Error, Sendable, CustomStringConvertible {
    /// How the session ended; decides retry and failover.
    public enum Kind: Sendable, Hashable {
        /// No connection (refused, unreachable, connect timeout, name not found).
        case connect
        /// The server was silent too long.
        case timeout
        /// The connection closed or broke in the middle of the session.
        case lostConnection
        /// STARTTLS was required and not offered, or the handshake or
        /// certificate check failed.
        case tls
        /// The server answered with a failure outside a transaction
        /// (greeting, EHLO/HELO, STARTTLS, AUTH); `reply` holds it.
        case refused
        /// The server's bytes were not SMTP replies.
        case protocolError
    }

    public var kind: Kind
    /// A sentence in Postfix's words for the log and the DSN, e.g.
    /// `connect to mx.example[192.0.2.1]:25: Connection refused`.
    public var message: String
    /// The server's reply when it gave one.
    public var reply: SMTPReply?
    /// RFC 3463 code for the DSN and the log.
    public var status: EnhancedStatusCode

    /// Every such failure is temporary: it concerns one server, and the
    /// next server or a later attempt may do better. Even a 5xx greeting or
    /// a 535 to AUTH is retried, as Postfix does (`smtp_skip_5xx_greeting`,
    /// `smtp_sasl_auth_soft_bounce`): a misconfigured relay must not bounce
    /// a shop's mail.
    public init(kind: Kind, message: String, reply: SMTPReply? = nil, status: EnhancedStatusCode) {
        self.kind = kind
        self.message = message
        self.reply = reply
        self.status = status
    }

    public var description: String { message }
}
