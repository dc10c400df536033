public import SMTPProtocol

/// Step-up helpers: greeted → EHLO → in a transaction → in DATA, as go-smtp's
/// server tests do, so that each test starts from the state it is about.
extension TestSMTPClient {
    /// Connects and reads the greeting, which must be 220.
    public static func greeted(
        host: String = "127.0.0.1", port: Int, from localAddress: String? = nil, timeout: Duration = .seconds(10)
    ) async throws -> TestSMTPClient {
        let client = try await connect(host: host, port: port, from: localAddress)
        let greeting = try await client.reply(timeout: timeout)
        guard greeting.code == 220 else {
            await client.close()
            throw Failure(description: "expected a 220 greeting, got \(greeting)")
        }
        return client
    }

    /// Connects, reads the greeting and says EHLO; both must succeed.
    public static func afterEHLO(
        host: String = "127.0.0.1", port: Int, from localAddress: String? = nil, ehlo: String = "client.test"
    ) async throws -> TestSMTPClient {
        let client = try await greeted(host: host, port: port, from: localAddress)
        try await client.expect("EHLO \(ehlo)", code: 250)
        return client
    }

    /// Sends a command and throws unless its reply has `code`; returns the reply.
    @discardableResult
    public func expect(_ line: String, code: Int, timeout: Duration = .seconds(10)) async throws -> SMTPReply {
        let reply = try await command(line, timeout: timeout)
        guard reply.code == code else {
            throw Failure(description: "\(line.prefix(60)): expected \(code), got \(reply)")
        }
        return reply
    }

    /// MAIL, RCPT… and DATA, each of which must succeed; afterwards the
    /// server waits for the message.
    public func beginData(from sender: String, to recipients: [String]) async throws {
        try await expect("MAIL FROM:<\(sender)>", code: 250)
        for recipient in recipients { try await expect("RCPT TO:<\(recipient)>", code: 250) }
        try await expect("DATA", code: 354)
    }

    /// Waits `duration` and returns the reply that arrived meanwhile, if any
    /// (nil also when the connection was closed without a reply).
    public func unexpectedReply(within duration: Duration) async -> SMTPReply? {
        try? await reply(timeout: duration)
    }
}

extension SMTPReply {
    /// The queue id at the end of `250 2.0.0 Ok: queued as ID`.
    public var queueID: String? {
        guard code == 250, let last = lines.last, last.contains("queued as ") else { return nil }
        return last.split(separator: " ").last.map(String.init)
    }

    /// "552 5.3.4": the code and the enhanced code, for compact checks.
    public var codes: String { "\(code) \(enhancedCode.map(\.description) ?? "-")" }
}
