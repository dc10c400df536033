/// Why a command line could not be parsed, with the reply the client gets.
///
/// - SeeAlso: RFC 5321 §4.2.2 (500, 501, 553, 555), RFC 3463 (5.5.x, 5.1.x)
public enum SMTPSyntaxError: Error, Hashable, Sendable, SMTPReplyConvertible {
    /// The verb is not one Poshta knows.
    case unrecognizedCommand
    /// The line holds a NUL, a bare CR or LF, or 8-bit bytes where none may be.
    case invalidCharacters(String)
    /// The verb is known but its arguments are wrong; the text says how.
    case badArguments(String)
    /// The sender (`MAIL`) address does not parse.
    case badSenderAddress(String)
    /// The recipient (`RCPT`) address does not parse.
    case badRecipientAddress(String)
    /// A source route (`<@a,@b:user@c>`): Poshta does not honour or rewrite them.
    case sourceRoute
    /// A MAIL or RCPT parameter is malformed (`SIZE=abc`, a repeated keyword).
    case badParameter(String)

    public var reply: SMTPReply {
        switch self {
        case .unrecognizedCommand: SMTPReply(500, "5.5.1", "Command unrecognized")
        case .invalidCharacters(let why): SMTPReply(500, "5.5.2", why)
        case .badArguments(let why): SMTPReply(501, "5.5.4", why)
        case .badSenderAddress(let why): SMTPReply(501, "5.1.7", "Bad sender address syntax: \(why)")
        case .badRecipientAddress(let why): SMTPReply(501, "5.1.3", "Bad recipient address syntax: \(why)")
        case .sourceRoute:
            SMTPReply(553, "5.7.1", "Source routes (<@host:user@domain>) are not accepted; send to the final address")
        case .badParameter(let why): SMTPReply(501, "5.5.4", why)
        }
    }
}
