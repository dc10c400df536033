public import SMTPProtocol

/// How a `SinkServer` answers: what it advertises, whether it wants TLS or
/// AUTH, how slowly it replies, and which replies it fails on purpose.
///
/// Read again before every command, so `SinkServer.setBehavior(_:)` also
/// changes connections already open (a client that keeps its connection
/// sees the sink recover at its next command).
///
/// - SeeAlso: RFC 5321 §4.1.1 (commands), RFC 1870 (SIZE), RFC 2920 (PIPELINING),
///   RFC 3207 (STARTTLS), RFC 4954 (AUTH), RFC 6152 (8BITMIME), RFC 6531 (SMTPUTF8)
public struct SinkBehavior: Sendable {
    /// Whether and how the sink speaks TLS. The paths name PEM files, such as
    /// those `TestCertificate.write(in:hostname:)` makes.
    public enum TLS: Sendable, Hashable {
        case none
        /// Offers STARTTLS after EHLO (RFC 3207).
        case starttls(certificatePath: String, keyPath: String)
        /// TLS from the first byte, as on port 465 (RFC 8314 §3.3).
        case implicit(certificatePath: String, keyPath: String)

        var files: (certificatePath: String, keyPath: String)? {
            switch self {
            case .none: nil
            case .starttls(let certificate, let key), .implicit(let certificate, let key): (certificate, key)
            }
        }
    }

    /// The name in the greeting and the first EHLO line.
    public var hostname = "sink.test"
    public var tls: TLS = .none
    /// MAIL before STARTTLS gets `530 5.7.0`.
    public var requireTLS = false
    /// Offers AUTH PLAIN and LOGIN with this one account (under `.starttls`
    /// only once TLS is up); MAIL before AUTH then gets `530 5.7.0`.
    public var auth: (user: String, password: String)? = nil
    /// False: EHLO gets `502 5.5.1`, so that the client must fall back to HELO.
    public var ehlo = true
    /// Advertised in the EHLO reply; BODY=, SMTPUTF8 and SIZE= are refused
    /// (`555 5.5.4`) when the matching one is off.
    public var pipelining = true
    public var eightBitMIME = true
    public var smtpUTF8 = true
    /// `SIZE n` in the EHLO reply; a larger SIZE= or message gets `552 5.3.4`.
    /// Nil: no SIZE extension and no limit.
    public var size: Int? = 10_485_760
    /// More recipients than this in one transaction get `452 4.5.3` (RFC 5321 §4.5.3.1.8).
    public var maxRecipients: Int? = nil
    /// Replaces the `220` greeting; a reply other than 2xx is sent, then the
    /// connection closed (e.g. `421 4.7.0` to refuse at connect).
    public var greeting: SMTPReply? = nil
    /// Waited before each reply, greeting included (timeout tests).
    public var replyDelay: Duration = .zero
    /// Replies that fail on purpose; the first that matches a step wins.
    /// Their counts (`times`) start again when `setBehavior` is called.
    public var failures: [ScriptedFailure] = []

    public init(
        hostname: String = "sink.test", tls: TLS = .none, requireTLS: Bool = false,
        auth: (user: String, password: String)? = nil, failures: [ScriptedFailure] = []
    ) {
        self.hostname = hostname
        self.tls = tls
        self.requireTLS = requireTLS
        self.auth = auth
        self.failures = failures
    }

    /// Whether STARTTLS is offered on a connection that is not in TLS yet.
    var offersStartTLS: Bool {
        if case .starttls = tls { true } else { false }
    }

    /// Whether AUTH may be used now: not before STARTTLS when that is offered.
    func offersAuth(inTLS: Bool) -> Bool {
        auth != nil && (inTLS || !offersStartTLS)
    }

    /// The EHLO reply's lines.
    func ehloLines(inTLS: Bool) -> [String] {
        var lines = [hostname]
        if pipelining { lines.append("PIPELINING") }
        if let size { lines.append("SIZE \(size)") }
        if offersStartTLS && !inTLS { lines.append("STARTTLS") }
        if offersAuth(inTLS: inTLS) { lines.append("AUTH PLAIN LOGIN") }
        lines.append("ENHANCEDSTATUSCODES")
        if eightBitMIME { lines.append("8BITMIME") }
        if smtpUTF8 { lines.append("SMTPUTF8") }
        return lines
    }
}
