/// How long the client waits at each step of a session.
///
/// The defaults are RFC 5321 §4.5.3.2's minimums; the connect timeout, which
/// the RFC leaves open, is Postfix's `smtp_connect_timeout`.
public struct SMTPClientTimeouts: Sendable, Hashable {
    public var connect: Duration = .seconds(30)
    /// §4.5.3.2.1: initial 220 message, 5 minutes.
    public var greeting: Duration = .seconds(300)
    /// §4.5.3.2.2–3: MAIL and RCPT, 5 minutes; also EHLO, STARTTLS, AUTH, RSET.
    public var command: Duration = .seconds(300)
    /// §4.5.3.2.4: DATA initiation (the 354), 2 minutes.
    public var dataInitiation: Duration = .seconds(120)
    /// §4.5.3.2.5: each block of data sent, 3 minutes.
    public var dataBlock: Duration = .seconds(180)
    /// §4.5.3.2.6: the reply to the final `.`, 10 minutes.
    public var dataTermination: Duration = .seconds(600)

    public init() {}

    /// Every step limited to `duration`; for tests of slow peers.
    public static func all(_ duration: Duration) -> SMTPClientTimeouts {
        var timeouts = SMTPClientTimeouts()
        timeouts.connect = duration
        timeouts.greeting = duration
        timeouts.command = duration
        timeouts.dataInitiation = duration
        timeouts.dataBlock = duration
        timeouts.dataTermination = duration
        return timeouts
    }
}
