import NIOCore

/// The client's side of a transaction, one step per reply it owes the server.
enum SMTPStep: Equatable, CustomStringConvertible {
    case greeting, ehlo, starttls, auth, rset, mail, rcpt, data, dataEnd, quit

    var description: String {
        switch self {
        case .greeting: "greeting"
        case .ehlo: "EHLO"
        case .starttls: "STARTTLS"
        case .auth: "AUTH"
        case .rset: "RSET"
        case .mail: "MAIL"
        case .rcpt: "RCPT"
        case .data: "DATA"
        case .dataEnd: "end of data"
        case .quit: "QUIT"
        }
    }
}

/// Every command line the client sends, encoded once per run.
struct CommandSet: Sendable {
    let ehlo: ByteBuffer
    let rset: ByteBuffer
    let mail: ByteBuffer
    let mailWithSize: ByteBuffer
    let rcpt: ByteBuffer
    let data: ByteBuffer
    let quit: ByteBuffer
    let starttls: ByteBuffer
    /// `AUTH PLAIN` with its initial response, when `--auth` is given.
    let auth: ByteBuffer?
    /// The body of a transaction abandoned after `354`: just the terminating dot.
    let lonelyDot: ByteBuffer

    init(helo: String, from: String, to: String, messageSize: Int, auth credentials: Credentials? = nil) {
        ehlo = ByteBuffer(string: "EHLO \(helo)\r\n")
        rset = ByteBuffer(string: "RSET\r\n")
        mail = ByteBuffer(string: "MAIL FROM:<\(from)>\r\n")
        mailWithSize = ByteBuffer(string: "MAIL FROM:<\(from)> SIZE=\(messageSize)\r\n")
        rcpt = ByteBuffer(string: "RCPT TO:<\(to)>\r\n")
        data = ByteBuffer(string: "DATA\r\n")
        quit = ByteBuffer(string: "QUIT\r\n")
        starttls = ByteBuffer(string: "STARTTLS\r\n")
        auth = credentials.map { ByteBuffer(string: "AUTH PLAIN \($0.plainResponse)\r\n") }
        lonelyDot = ByteBuffer(string: ".\r\n")
    }

    /// The command that opens `step`, or nil for steps that are not commands.
    func command(for step: SMTPStep, withSize: Bool) -> ByteBuffer? {
        switch step {
        case .ehlo: ehlo
        case .rset: rset
        case .mail: withSize ? mailWithSize : mail
        case .rcpt: rcpt
        case .data: data
        case .quit: quit
        case .starttls: starttls
        case .auth: auth
        case .greeting, .dataEnd: nil
        }
    }
}
