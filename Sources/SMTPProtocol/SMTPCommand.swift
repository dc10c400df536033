/// A client command, parsed. One case per verb Poshta knows.
///
/// - SeeAlso: RFC 5321 §4.1.1
public enum SMTPCommand: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// `EHLO domain` — RFC 5321 §4.1.1.1. The argument is kept as sent.
    case ehlo(String)
    /// `HELO domain` — RFC 5321 §4.1.1.1.
    case helo(String)
    /// `MAIL FROM:<path> [params]` — RFC 5321 §4.1.1.2.
    case mail(ReversePath, MailParameters)
    /// `RCPT TO:<path> [params]` — RFC 5321 §4.1.1.3.
    case rcpt(ForwardPath, [ESMTPParameter])
    /// `DATA` — RFC 5321 §4.1.1.4.
    case data
    /// `RSET` — RFC 5321 §4.1.1.5.
    case rset
    /// `VRFY string` — RFC 5321 §4.1.1.6.
    case vrfy(String)
    /// `EXPN string` — RFC 5321 §4.1.1.7.
    case expn(String)
    /// `HELP [string]` — RFC 5321 §4.1.1.8.
    case help(String?)
    /// `NOOP [string]` — RFC 5321 §4.1.1.9.
    case noop(String?)
    /// `QUIT` — RFC 5321 §4.1.1.10.
    case quit
    /// `STARTTLS` — RFC 3207.
    case startTLS
    /// `AUTH mechanism [initial-response]` — RFC 4954 §4.
    case auth(mechanism: String, initialResponse: String?)

    /// The verb as sent on the wire.
    public var verb: String {
        switch self {
        case .ehlo: "EHLO"
        case .helo: "HELO"
        case .mail: "MAIL"
        case .rcpt: "RCPT"
        case .data: "DATA"
        case .rset: "RSET"
        case .vrfy: "VRFY"
        case .expn: "EXPN"
        case .help: "HELP"
        case .noop: "NOOP"
        case .quit: "QUIT"
        case .startTLS: "STARTTLS"
        case .auth: "AUTH"
        }
    }

    /// The command line without CRLF, as a client sends it.
    public var line: String {
        switch self {
        case .ehlo(let domain): "EHLO \(domain)"
        case .helo(let domain): "HELO \(domain)"
        case .mail(let path, let parameters):
            (["MAIL FROM:\(path)"] + parameters.all.map(\.description)).joined(separator: " ")
        case .rcpt(let path, let parameters):
            (["RCPT TO:\(path)"] + parameters.map(\.description)).joined(separator: " ")
        case .vrfy(let text): "VRFY \(text)"
        case .expn(let text): "EXPN \(text)"
        case .help(let text): text.map { "HELP \($0)" } ?? "HELP"
        case .noop(let text): text.map { "NOOP \($0)" } ?? "NOOP"
        case .auth(let mechanism, let response): response.map { "AUTH \(mechanism) \($0)" } ?? "AUTH \(mechanism)"
        case .data, .rset, .quit, .startTLS: verb
        }
    }

    /// The line for logs and test failures: AUTH's credentials are redacted.
    public var description: String {
        if case .auth(let mechanism, let response) = self, response != nil { return "AUTH \(mechanism) <redacted>" }
        return line
    }

    public var debugDescription: String { description }

    /// The wire form: the line and CRLF.
    public var encoded: [UInt8] { Array(line.utf8) + [0x0D, 0x0A] }

    /// Whether a pipelining client must wait for this command's reply before
    /// sending more (RFC 2920 §3.1: EHLO, DATA, QUIT, STARTTLS, AUTH, …
    /// end a command group).
    public var endsPipelineGroup: Bool {
        switch self {
        case .ehlo, .helo, .data, .quit, .startTLS, .auth, .vrfy, .expn, .noop, .help: true
        case .mail, .rcpt, .rset: false
        }
    }
}
