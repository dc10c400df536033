@testable import SMTPProtocol

/// Helpers shared by the SMTPProtocol tests: bytes from text, parsing a line
/// into a command or its error reply, and feeding a framer like a session.

/// The UTF-8 bytes of a string.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Shows CR, LF, NUL and other control characters visibly in test names.
func visible(_ text: String) -> String {
    text.unicodeScalars.map { scalar in
        switch scalar {
        case "\r": "\\r"
        case "\n": "\\n"
        case "\t": "\\t"
        case "\0": "\\0"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            "\\x" + String(scalar.value, radix: 16, uppercase: true)
        default: String(scalar)
        }
    }.joined()
}

/// Like `visible(_:)` for text; bytes that are not UTF-8 show as `\xFF`.
func visible(_ bytes: [UInt8]) -> String {
    if let text = String(validating: bytes, as: UTF8.self) { return visible(text) }
    return bytes.map { $0 < 0x80 ? visible(String(UnicodeScalar($0))) : "\\x" + String($0, radix: 16, uppercase: true) }
        .joined()
}

/// The command a line parses to, or the reply its syntax error carries.
func parseResult(_ line: [UInt8]) -> Result<SMTPCommand, SMTPSyntaxError> {
    Result { () throws(SMTPSyntaxError) -> SMTPCommand in try SMTPCommandParser.parse(line) }
}

func parseResult(_ line: String) -> Result<SMTPCommand, SMTPSyntaxError> { parseResult(bytes(line)) }

/// The reply a client gets for a line that does not parse; nil when it parses.
func errorReply(_ line: [UInt8]) -> SMTPReply? {
    if case .failure(let error) = parseResult(line) { return error.reply }
    return nil
}

func errorReply(_ line: String) -> SMTPReply? { errorReply(bytes(line)) }

extension SMTPServerFramer.Frame {
    static func command(_ line: String) -> Self { .command(bytes(line)) }
    static func complete(_ content: String) -> Self { .message(.complete(bytes(content))) }
}

/// Feeds the chunks to a fresh framer in order and collects every frame,
/// acting like the session: after a `DATA` command line it switches the
/// framer to reading the message.
func frames(
    _ chunks: [[UInt8]], maxMessageSize: Int = 1 << 20
) -> [SMTPServerFramer.Frame] {
    var framer = SMTPServerFramer()
    var collected: [SMTPServerFramer.Frame] = []
    for chunk in chunks {
        framer.append(chunk)
        while let frame = framer.next() {
            collected.append(frame)
            if case .command(let line) = frame, String(decoding: line, as: UTF8.self).uppercased() == "DATA" {
                framer.beginData(maxMessageSize: maxMessageSize)
            }
        }
    }
    return collected
}

/// The stream in one chunk.
func framesInOneChunk(_ stream: [UInt8], maxMessageSize: Int = 1 << 20) -> [SMTPServerFramer.Frame] {
    frames([stream], maxMessageSize: maxMessageSize)
}

/// The stream one byte at a time.
func framesByteByByte(_ stream: [UInt8], maxMessageSize: Int = 1 << 20) -> [SMTPServerFramer.Frame] {
    frames(stream.map { [$0] }, maxMessageSize: maxMessageSize)
}

/// The stream cut in two at `position`.
func framesSplit(_ stream: [UInt8], at position: Int, maxMessageSize: Int = 1 << 20) -> [SMTPServerFramer.Frame] {
    frames([Array(stream[..<position]), Array(stream[position...])], maxMessageSize: maxMessageSize)
}

/// A state machine with the tests' usual limits.
func makeMachine(
    mayRelay: Bool = true, maxMessageSize: Int = 10_000, maxRecipients: Int = 3, maxErrors: Int = 5,
    offersStartTLS: Bool = false, authMechanisms: [String] = []
) -> SMTPServerStateMachine {
    SMTPServerStateMachine(
        configuration: .init(
            hostname: "mx.example.com", maxMessageSize: maxMessageSize, maxRecipients: maxRecipients,
            maxErrors: maxErrors, offersStartTLS: offersStartTLS, authMechanisms: authMechanisms),
        clientMayRelay: mayRelay)
}

extension SMTPServerStateMachine {
    /// Sends one command line as the framer would hand it over.
    @discardableResult
    mutating func send(_ line: String) -> SMTPServerAction {
        receive(.command(bytes(line)))
    }

    /// Sends the lines in order and returns the action for the last one.
    @discardableResult
    mutating func send(_ lines: [String]) -> SMTPServerAction? {
        var last: SMTPServerAction?
        for line in lines { last = send(line) }
        return last
    }
}

extension SMTPServerAction {
    /// The replies the session sends for this action (none for `.spool` and `.authenticate`).
    var replies: [SMTPReply] {
        switch self {
        case .reply(let reply), .replyAndReadMessage(let reply), .replyAndStartTLS(let reply): [reply]
        case .replyAndClose(let replies): replies
        case .spool, .authenticate: []
        }
    }

    /// The first reply's code and enhanced code, `"250 2.1.0"`, for short expectations.
    var status: String? {
        guard let reply = replies.first else { return nil }
        return reply.enhancedCode.map { "\(reply.code) \($0)" } ?? "\(reply.code)"
    }

    var closesConnection: Bool {
        if case .replyAndClose = self { return true }
        return false
    }
}

extension SMTPReply {
    var status: String { enhancedCode.map { "\(code) \($0)" } ?? "\(code)" }
}
