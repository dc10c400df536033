import NIOSSL
public import SMTPProtocol

/// Step-up helpers for TLS and AUTH: greeted → EHLO → TLS → EHLO → logged in.
extension TestSMTPClient {
    /// Connects to a STARTTLS listener, says EHLO, upgrades with STARTTLS
    /// and says EHLO again (RFC 3207 §4.2: the session starts over).
    public static func afterStartTLS(
        host: String = "127.0.0.1", port: Int, from localAddress: String? = nil, ehlo: String = "client.test"
    ) async throws -> TestSMTPClient {
        let client = try await afterEHLO(host: host, port: port, from: localAddress, ehlo: ehlo)
        try await client.expect("STARTTLS", code: 220)
        try await client.startTLS()
        try await client.expect("EHLO \(ehlo)", code: 250)
        return client
    }

    /// Connects to an implicit-TLS listener (port 465 style), reads the 220
    /// greeting and says EHLO.
    public static func implicitTLSAfterEHLO(
        host: String = "127.0.0.1", port: Int, from localAddress: String? = nil, ehlo: String = "client.test"
    ) async throws -> TestSMTPClient {
        let client = try await connect(host: host, port: port, from: localAddress, tls: true)
        let greeting = try await client.reply()
        guard greeting.code == 220 else {
            await client.close()
            throw Failure(description: "expected a 220 greeting, got \(greeting)")
        }
        try await client.expect("EHLO \(ehlo)", code: 250)
        return client
    }

    /// `AUTH PLAIN` with an initial response; returns the reply. The
    /// credentials never appear in a thrown error or a reply.
    public func authPlain(user: String, password: String, timeout: Duration = .seconds(15)) async throws -> SMTPReply {
        try await command("AUTH PLAIN \(SASLBase64.encode("\u{0}\(user)\u{0}\(password)"))", timeout: timeout)
    }

    /// The common name in the subject of the certificate the server showed.
    public func peerCommonName() async throws -> String? {
        try await peerCertificate()?.subjectName.first { $0.type == .commonName }?.value
    }
}
