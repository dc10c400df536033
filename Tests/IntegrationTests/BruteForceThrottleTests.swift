import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("the AUTH brute-force throttle over loopback: slower failures, 421, cool-down")
struct BruteForceThrottleTests {
    static let user = "bob@shop.example"
    static let password = "right-password"

    /// Submission with STARTTLS; 4 failures block an address for 3 seconds.
    /// (Over implicit TLS the refusal at connect is lost: ImplicitTLSRefusalTests.)
    static let configuration = """
        [[listener]]
        address = "127.0.0.1:0"
        mode = "submission"
        tls = "starttls"

        [auth]
        max_failures = 4
        cool_down = 3

        """

    /// The reply to a wrong password and how long it took to come.
    func failOnce(_ client: TestSMTPClient) async throws -> (reply: SMTPReply, took: Duration) {
        let start = ContinuousClock.now
        let reply = try await client.authPlain(user: Self.user, password: "wrong-password")
        return (reply, ContinuousClock.now - start)
    }

    @Test("failures are answered 535 ever later; the fourth gets 421 and a cool-down that ends on time")
    func throttle() async throws {
        let server = try await TestDaemon(
            configuration: Self.configuration, tls: true, users: [(Self.user, Self.password, [])])
        let port = server.port()
        let attacker = try await TestSMTPClient.afterStartTLS(port: port, from: "127.0.0.1")

        // Delays of 0.5 s, 1 s and 2 s: each is at least that long. (Only
        // lower bounds: on a loaded machine — a full run has Chromium beside
        // it — the first answer alone has been seen to take 2.6 s.)
        var took: [Duration] = []
        for least in [Duration.milliseconds(500), .seconds(1), .seconds(2)] {
            let failure = try await failOnce(attacker)
            #expect(failure.reply.codes == "535 5.7.8")
            #expect(failure.took >= least - .milliseconds(10), "535 number \(took.count + 1) after \(failure.took)")
            took.append(failure.took)
        }

        let last = try await failOnce(attacker)
        let blockedAt = ContinuousClock.now
        #expect(last.reply.codes == "535 5.7.8")
        #expect(try await attacker.reply(timeout: .seconds(5)).codes == "421 4.7.0")
        #expect(await attacker.waitForClose(timeout: .seconds(5)))
        await attacker.close()

        // Refused at once, before any command, for the cool-down.
        let again = try await TestSMTPClient.connect(port: port, from: "127.0.0.1")
        let refusal = try await again.reply(timeout: .seconds(2))
        #expect(refusal.codes == "421 4.7.0", "got \(refusal)")
        #expect(await again.waitForClose(timeout: .seconds(5)))
        await again.close()

        // Another address is not blocked meanwhile.
        let neighbour = try await TestSMTPClient.afterStartTLS(port: port, from: "127.0.0.2")
        #expect(try await neighbour.authPlain(user: Self.user, password: Self.password).codes == "235 2.7.0")
        #expect(ContinuousClock.now - blockedAt < .seconds(3), "too slow to show the block was still on")
        await neighbour.close()

        // After the cool-down the address is greeted again and may log in.
        try await Task.sleep(until: blockedAt + .milliseconds(3500))
        let later = try await TestSMTPClient.afterStartTLS(port: port, from: "127.0.0.1")
        #expect(try await later.authPlain(user: Self.user, password: Self.password).codes == "235 2.7.0")
        #expect(try await later.command("MAIL FROM:<\(Self.user)>").code == 250)
        await later.close()

        #expect(server.logs.matching("too many AUTH failures").count == 1)
        #expect(server.logs.matching("refused: in the cool-down").count == 1)
        // Worked out before #expect, whose failure report would show the lines.
        let passwordLogged = server.logs.all.contains { $0.contains("wrong-password") || $0.contains(Self.password) }
        #expect(!passwordLogged, "a password was logged")
        try await server.stop()
    }
}
