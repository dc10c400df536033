import SMTPProtocol
import Spool

/// What one attempt did for one recipient, before the retry schedule
/// turns a temporary failure into a retry or an expiry.
struct RecipientResult: Sendable {
    enum Verdict: Sendable {
        case sent
        case bounced
        case deferred
    }

    var recipient: SpooledRecipient
    var verdict: Verdict
    var status: EnhancedStatusCode
    /// `host[ip]:port`, `capture`, or `none`.
    var relay: String
    /// The text in `status=sent (…)`: the remote reply or our reason.
    var text: String
    /// The server that answered, for the DSN's Remote-MTA.
    var remoteMTA: String?
    /// The server's reply, for the DSN's Diagnostic-Code.
    var reply: SMTPReply?
    /// Seconds spent connecting (DNS, greeting, TLS, AUTH) and sending.
    var connectTime: Double = 0
    var transferTime: Double = 0
}
