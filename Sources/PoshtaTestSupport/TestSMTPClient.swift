import NIOCore
import NIOPosix
public import NIOSSL
public import SMTPProtocol

/// An SMTP client for tests that sends exactly the bytes it is given and
/// reads replies as the server wrote them — over a real TCP socket.
public final class TestSMTPClient: Sendable {
    /// Something the server did not do in time, or at all.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private let channel: any Channel
    private let inbox: Inbox

    private init(channel: any Channel, inbox: Inbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Connects (optionally from a given local address, e.g. 127.0.0.2;
    /// with `tls`, TLS from the first byte as on port 465).
    public static func connect(
        host: String = "127.0.0.1", port: Int, from localAddress: String? = nil, tls: Bool = false
    ) async throws -> TestSMTPClient {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
        if let localAddress {
            bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: localAddress, port: 0))
        }
        let inbox = Inbox()
        let channel = try await bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if tls { try channel.pipeline.syncOperations.addHandler(try Self.makeTLSHandler()) }
                try channel.pipeline.syncOperations.addHandler(InboxHandler(inbox: inbox))
            }
        }.connect(host: host, port: port).get()
        let client = TestSMTPClient(channel: channel, inbox: inbox)
        if tls { _ = try await inbox.waitForTLS(timeout: .seconds(10)) }
        return client
    }

    /// Starts TLS on this connection (after the server's 220 to STARTTLS) and
    /// waits for the handshake; returns the version, e.g. `tlsv13`.
    @discardableResult
    public func startTLS() async throws -> String {
        let handler = try Self.makeTLSHandler()
        let channel = self.channel
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(handler, position: .first)
        }.get()
        return try await inbox.waitForTLS(timeout: .seconds(10))
    }

    /// The certificate the server showed, once TLS is up.
    public func peerCertificate() async throws -> NIOSSLCertificate? {
        let channel = self.channel
        return try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate
        }.get()
    }

    /// Tests make their own certificates, so the client does not verify them.
    private static func makeTLSHandler() throws -> NIOSSLClientHandler {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return try NIOSSLClientHandler(context: NIOSSLContext(configuration: configuration), serverHostname: nil)
    }

    /// Sends raw bytes.
    public func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Sends text as UTF-8, unchanged (add "\r\n" yourself).
    public func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    /// Reads the next reply.
    public func reply(timeout: Duration = .seconds(10)) async throws -> SMTPReply {
        try await inbox.next(timeout: timeout)
    }

    /// Sends one command line (CRLF added) and reads its reply.
    public func command(_ line: String, timeout: Duration = .seconds(10)) async throws -> SMTPReply {
        try await send(line + "\r\n")
        return try await reply(timeout: timeout)
    }

    /// Greeting, EHLO, MAIL, RCPT…, DATA, the message (dot-stuffed here) and
    /// its final reply, which is returned.
    public func sendMail(from sender: String, to recipients: [String], message: String, ehlo: String = "client.test")
        async throws -> SMTPReply
    {
        _ = try await command("EHLO \(ehlo)")
        let mail = try await command("MAIL FROM:<\(sender)>")
        guard mail.code == 250 else { return mail }
        for recipient in recipients {
            let reply = try await command("RCPT TO:<\(recipient)>")
            guard reply.code == 250 else { return reply }
        }
        let data = try await command("DATA")
        guard data.code == 354 else { return data }
        try await send(Self.dotStuffed(message) + ".\r\n")
        return try await reply()
    }

    /// The text with CRLF line ends and leading dots doubled, ending in CRLF.
    public static func dotStuffed(_ message: String) -> String {
        var lines = message.replacingCRLF().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines.map { ($0.hasPrefix(".") ? "." : "") + $0 + "\r\n" }.joined()
    }

    /// True when the server closes the connection within the timeout.
    public func waitForClose(timeout: Duration = .seconds(10)) async -> Bool {
        await inbox.waitForClose(timeout: timeout)
    }

    public func close() async {
        try? await channel.close()
    }
}

extension String {
    fileprivate func replacingCRLF() -> String {
        var out = ""
        var previousCR = false
        for scalar in unicodeScalars {
            if previousCR && scalar == "\n" { previousCR = false; continue }
            previousCR = scalar == "\r"
            out.unicodeScalars.append(scalar == "\r" ? "\n" : scalar)
        }
        return out
    }
}
