import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("the users file is re-read while the daemon runs")
struct UsersFileReloadTests {
    @Test("a user added to the users file while the daemon runs can log in a moment later, without a signal")
    func userAddedWhileRunning() async throws {
        let anna = (name: "anna@shop.example", password: "anna-password", senders: [String]())
        let bert = (name: "bert@shop.example", password: "bert-password", senders: [String]())
        let server = try await TestDaemon(
            configuration: """
                [[listener]]
                address = "127.0.0.1:0"
                mode = "submission"
                tls = "implicit"

                """, tls: true, users: [anna])
        let port = server.port()

        let before = try await TestSMTPClient.implicitTLSAfterEHLO(port: port)
        #expect(try await before.authPlain(user: bert.name, password: bert.password).codes == "535 5.7.8")
        await before.close()

        try TestUsersFile.write([anna, bert], to: "\(server.directory.path)/users")
        // The database looks at the file at most once a second.
        try await Task.sleep(for: .milliseconds(1100))

        let after = try await TestSMTPClient.implicitTLSAfterEHLO(port: port)
        #expect(try await after.authPlain(user: bert.name, password: bert.password).codes == "235 2.7.0")
        #expect(try await after.command("MAIL FROM:<\(bert.name)>").code == 250)
        await after.close()
        let other = try await TestSMTPClient.implicitTLSAfterEHLO(port: port)
        #expect(try await other.authPlain(user: anna.name, password: anna.password).codes == "235 2.7.0")
        await other.close()
        #expect(server.logs.matching("users file").contains { $0.contains("2 users") })
        try await server.stop()
    }
}
