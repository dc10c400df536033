import Testing

@testable import SMTPProtocol

@Suite("AUTH and STARTTLS in the server state machine")
struct AuthenticationStateTests {
    /// `\0bob\0secret` in base64.
    static let plainBob = SASLBase64.encode("\u{0}bob\u{0}secret")

    func machine(
        encrypted: Bool = true, withoutTLS: Bool = false, submission: Bool = false, mayRelay: Bool = false
    ) -> SMTPServerStateMachine {
        var machine = SMTPServerStateMachine(
            configuration: .init(
                hostname: "mx.example.com", maxMessageSize: 10_000, maxRecipients: 3, maxErrors: 10,
                offersStartTLS: true, authMechanisms: ["PLAIN", "LOGIN"], authWithoutTLS: withoutTLS,
                requiresAuthentication: submission),
            clientMayRelay: mayRelay, isEncrypted: encrypted)
        machine.send("EHLO client.example.com")
        return machine
    }

    @Test("AUTH before TLS is refused with 538 5.7.11, unless the listener allows it in clear")
    func needsTLS() {
        var clear = machine(encrypted: false)
        #expect(clear.send("AUTH PLAIN \(Self.plainBob)").status == "538 5.7.11")
        var allowed = machine(encrypted: false, withoutTLS: true)
        #expect(allowed.send("AUTH PLAIN \(Self.plainBob)") == .authenticate(mechanism: "PLAIN", user: "bob", password: "secret"))
    }

    @Test("AUTH PLAIN with an initial response asks for a check; success is 235 and allows relaying")
    func plainInitialResponse() {
        var machine = machine()
        #expect(machine.send("AUTH PLAIN \(Self.plainBob)") == .authenticate(mechanism: "PLAIN", user: "bob", password: "secret"))
        let done = machine.authenticationFinished(user: "bob", succeeded: true)
        #expect(done.status == "235 2.7.0")
        #expect(machine.authenticatedUser == "bob")
        #expect(machine.clientMayRelay)
        #expect(machine.send("AUTH PLAIN \(Self.plainBob)").status == "503 5.5.1")
        let ehlo = machine.send("EHLO again").replies.first?.lines ?? []
        #expect(!ehlo.contains { $0.hasPrefix("AUTH") })
    }

    @Test("AUTH PLAIN without an initial response gets an empty 334 and reads the next line")
    func plainChallenge() {
        var machine = machine()
        let challenge = machine.send("AUTH PLAIN")
        #expect(challenge.replies.first?.encoded == Array("334 \r\n".utf8))
        #expect(machine.send(Self.plainBob) == .authenticate(mechanism: "PLAIN", user: "bob", password: "secret"))
    }

    @Test("AUTH LOGIN asks for the user name, then the password, in base64")
    func login() {
        var machine = machine()
        #expect(machine.send("AUTH LOGIN").replies.first?.encoded == Array("334 VXNlcm5hbWU6\r\n".utf8))
        #expect(machine.send(SASLBase64.encode("bob")).replies.first?.encoded == Array("334 UGFzc3dvcmQ6\r\n".utf8))
        #expect(machine.send(SASLBase64.encode("secret")) == .authenticate(mechanism: "LOGIN", user: "bob", password: "secret"))
    }

    @Test("AUTH LOGIN with the user name as initial response goes straight to the password")
    func loginInitialResponse() {
        var machine = machine()
        #expect(machine.send("AUTH LOGIN \(SASLBase64.encode("bob"))").replies.first?.lines == ["UGFzc3dvcmQ6"])
    }

    @Test("a client that answers * cancels the exchange: 501 5.7.0, and commands work again")
    func cancel() {
        var machine = machine()
        machine.send("AUTH LOGIN")
        #expect(machine.send("*").status == "501 5.7.0")
        #expect(machine.send("NOOP").status == "250 2.0.0")
    }

    @Test("a response that is not base64 is a syntax error")
    func badBase64() {
        var machine = machine()
        machine.send("AUTH PLAIN")
        #expect(machine.send("not base64!").replies.first?.code == 501)
    }

    @Test("wrong credentials get 535 5.7.8 and count as an error")
    func failure() {
        var machine = machine()
        machine.send("AUTH PLAIN \(Self.plainBob)")
        #expect(machine.authenticationFinished(user: "bob", succeeded: false).status == "535 5.7.8")
        #expect(machine.errorCount == 1)
        #expect(machine.authenticatedUser == nil)
        #expect(!machine.clientMayRelay)
    }

    @Test("an unknown mechanism gets 504 5.5.4; AUTH in a transaction gets 503 5.5.1")
    func wrongUse() {
        var machine = machine(mayRelay: true)
        #expect(machine.send("AUTH CRAM-MD5").status == "504 5.5.4")
        machine.send("MAIL FROM:<a@b.example>")
        #expect(machine.send("AUTH PLAIN \(Self.plainBob)").status == "503 5.5.1")
    }

    @Test("on a submission listener MAIL needs AUTH first: 530 5.7.0")
    func submissionNeedsAuth() {
        var machine = machine(submission: true)
        #expect(machine.send("MAIL FROM:<bob@shop.example>").status == "530 5.7.0")
        machine.send("AUTH PLAIN \(Self.plainBob)")
        _ = machine.authenticationFinished(user: "bob", succeeded: true)
        #expect(machine.send("MAIL FROM:<bob@shop.example>").status == "250 2.1.0")
        #expect(machine.send("RCPT TO:<anyone@example.net>").status == "250 2.1.5")
    }

    @Test("an authenticated user may only use the senders the rule allows: 553 5.7.1 otherwise")
    func senderRestriction() {
        var machine = machine(submission: true)
        machine.senderAllowed = { sender, user in sender == "\(user)@shop.example" }
        machine.send("AUTH PLAIN \(Self.plainBob)")
        _ = machine.authenticationFinished(user: "bob", succeeded: true)
        #expect(machine.send("MAIL FROM:<ceo@shop.example>").status == "553 5.7.1")
        #expect(machine.send("MAIL FROM:<bob@shop.example>").status == "250 2.1.0")
    }

    @Test("after STARTTLS the session starts over: EHLO again, no STARTTLS, no second STARTTLS")
    func startOver() {
        var machine = machine(encrypted: false, mayRelay: true)
        #expect(machine.send("STARTTLS").status == "220 2.0.0")
        machine.tlsStarted()
        #expect(machine.heloName == nil)
        #expect(machine.send("MAIL FROM:<a@b.example>").status == "503 5.5.1")
        let ehlo = machine.send("EHLO client.example.com").replies.first?.lines ?? []
        #expect(!ehlo.contains("STARTTLS"))
        #expect(ehlo.contains("AUTH PLAIN LOGIN"))
        #expect(machine.send("STARTTLS").status == "503 5.5.1")
    }
}
