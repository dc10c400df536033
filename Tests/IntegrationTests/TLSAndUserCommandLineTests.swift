import Foundation
import PoshtaApp
import PoshtaTestSupport
import SMTPProtocol
import Testing

@Suite("poshta tls selfsigned, check-config's certificate warnings and poshta user, run as the real binary")
struct TLSAndUserCommandLineTests {
    static let binary = DaemonProcess.binary

    /// A submission listener with implicit TLS, `[tls]` and `[auth]` at their
    /// defaults (tls/cert.pem, tls/key.pem, users) beside the file.
    static func configuration(in directory: TemporaryDirectory) throws -> String {
        var configuration = DaemonConfiguration(spool: directory.path + "/spool")
        configuration.listenerSettings = "mode = \"submission\"\ntls = \"implicit\"\n"
        return try configuration.write(in: directory)
    }

    static func permissions(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    @Test("tls selfsigned writes a private key (mode 0600) and a certificate, and replaces them only with --force")
    func selfSigned() async throws {
        let directory = try TemporaryDirectory()
        let file = try Self.configuration(in: directory)
        let key = directory.path + "/tls/key.pem"
        let certificate = directory.path + "/tls/cert.pem"
        let arguments = ["tls", "selfsigned", "--config", file, "--hostname", "mail.test"]

        let made = try await ExternalProcess.run(Self.binary, arguments)
        #expect(made.status == 0, "stderr:\n\(made.error)")
        #expect(Self.permissions(key) == 0o600)
        let keyText = try String(contentsOfFile: key, encoding: .utf8)
        let certificateText = try String(contentsOfFile: certificate, encoding: .utf8)
        #expect(keyText.hasPrefix("-----BEGIN ") && keyText.contains("PRIVATE KEY-----"))
        #expect(certificateText.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(!made.output.contains("PRIVATE KEY"), "the key was printed")
        // A fresh certificate for [server] hostname: nothing to warn about.
        let checked = try await ExternalProcess.run(Self.binary, ["check-config", "--config", file])
        #expect(checked.status == 0, "stderr:\n\(checked.error)")
        #expect(!checked.output.contains("warning:"), "stdout:\n\(checked.output)")

        let refused = try await ExternalProcess.run(Self.binary, arguments)
        #expect(refused.status == 1)
        #expect(refused.error.contains("exists already") && refused.error.contains("--force"), "stderr:\n\(refused.error)")
        #expect(try String(contentsOfFile: key, encoding: .utf8) == keyText)
        #expect(try String(contentsOfFile: certificate, encoding: .utf8) == certificateText)

        let forced = try await ExternalProcess.run(Self.binary, arguments + ["--force"])
        #expect(forced.status == 0, "stderr:\n\(forced.error)")
        #expect(try String(contentsOfFile: key, encoding: .utf8) != keyText)
        #expect(try String(contentsOfFile: certificate, encoding: .utf8) != certificateText)
        #expect(Self.permissions(key) == 0o600)
    }

    struct CertificateCase: Sendable, CustomTestStringConvertible {
        var hostname: String
        var days: Int
        var warning: String
        var testDescription: String { "\(hostname), \(days) days" }
    }

    @Test(
        "check-config warns about a certificate that expires within 14 days or names another host",
        arguments: [
            CertificateCase(hostname: "mail.test", days: 5, warning: "the certificate expires in "),
            CertificateCase(
                hostname: "other.test", days: 90,
                warning: "the certificate is for other.test, not for [server] hostname mail.test"),
        ])
    func certificateWarnings(_ certificateCase: CertificateCase) async throws {
        let directory = try TemporaryDirectory()
        let file = try Self.configuration(in: directory)
        let made = try SelfSignedCertificate.make(hostname: certificateCase.hostname, days: certificateCase.days)
        try FileManager.default.createDirectory(atPath: directory.path + "/tls", withIntermediateDirectories: true)
        try directory.write(made.certificate, to: "tls/cert.pem")
        try directory.write(made.key, to: "tls/key.pem")

        let result = try await ExternalProcess.run(Self.binary, ["check-config", "--config", file])
        #expect(result.status == 0, "stderr:\n\(result.error)")
        let warnings = result.output.split(separator: "\n").filter { $0.hasPrefix("warning:") }
        #expect(warnings.count == 1, "stdout:\n\(result.output)")
        #expect(warnings.first?.contains(certificateCase.warning) == true, "stdout:\n\(result.output)")
        #expect(warnings.first?.contains("tls/cert.pem") == true, "the warning does not name the file")
    }

    @Test("user add, list, passwd and remove edit the users file; a running daemon takes the new password without a signal")
    func userLifecycle() async throws {
        let first = "first-Secret-41"
        let second = "second-Secret-42"
        let name = "shop@shop.example"
        let directory = try TemporaryDirectory()
        let file = try Self.configuration(in: directory)
        let firstFile = try directory.write(first + "\n", to: "first.password")
        let secondFile = try directory.write(second + "\n", to: "second.password")
        let usersFile = directory.path + "/users"
        var printed = ""
        func poshta(_ arguments: String...) async throws -> ExternalProcess.Result {
            let result = try await ExternalProcess.run(Self.binary, arguments + ["--config", file])
            printed += result.output + result.error
            return result
        }
        #expect(try await poshta("tls", "selfsigned", "--hostname", "mail.test").status == 0)

        let added = try await poshta("user", "add", name, "--password-file", firstFile)
        #expect(added.status == 0, "stderr:\n\(added.error)")
        #expect(Self.permissions(usersFile) == 0o600)
        let again = try await poshta("user", "add", name, "--password-file", firstFile)
        #expect(again.status == 1 && again.error.contains("exists already"), "stderr:\n\(again.error)")
        let listed = try await poshta("user", "list")
        #expect(listed.status == 0)
        // Secrets and hashes are looked for outside #expect, whose failure
        // report would show the text searched.
        let listsOnlyTheName = listed.output == name + "\n"
        #expect(listsOnlyTheName, "user list printed \(listed.output.split(separator: "\n").count) line(s), not just the name")
        let stored = try String(contentsOfFile: usersFile, encoding: .utf8)
        let storesHash = stored.contains("\n\(name):$scrypt$")
        let storesPassword = stored.contains(first)
        #expect(storesHash && !storesPassword)

        let daemon = try DaemonProcess(configurationFile: file, logFile: directory.path + "/poshta.log")
        let port = try #require(try await daemon.waitForPort(), "no listening line:\n\(daemon.log)")
        let client = try await TestSMTPClient.implicitTLSAfterEHLO(port: port)
        #expect(try await client.peerCommonName() == "mail.test")
        #expect(try await client.authPlain(user: name, password: first).codes == "235 2.7.0")
        await client.close()

        let changed = try await poshta("user", "passwd", name, "--password-file", secondFile)
        #expect(changed.status == 0, "stderr:\n\(changed.error)")
        // The daemon looks at the users file at most once a second.
        try await Task.sleep(for: .milliseconds(1100))
        let afterPasswd = try await TestSMTPClient.implicitTLSAfterEHLO(port: port)
        #expect(try await afterPasswd.authPlain(user: name, password: second).codes == "235 2.7.0")
        await afterPasswd.close()

        let removed = try await poshta("user", "remove", name)
        #expect(removed.status == 0, "stderr:\n\(removed.error)")
        let empty = try await poshta("user", "list")
        #expect(empty.status == 0 && empty.output.isEmpty, "stdout:\n\(empty.output)")
        #expect(empty.error.contains("no users"), "stderr:\n\(empty.error)")

        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        let printedPassword = [first, second].contains { printed.contains($0) }
        let loggedPassword = [first, second].contains { daemon.log.contains($0) }
        let printedHash = printed.contains("$scrypt$")
        #expect(!printedPassword, "a poshta command printed a password")
        #expect(!loggedPassword, "the daemon logged a password")
        #expect(!printedHash, "a poshta command printed a hash")
    }

    @Test("user add --role: the role is kept in the file, listed, named by check-config, and lets the user sign in to the console of the real daemon")
    func consoleRole() async throws {
        let directory = try TemporaryDirectory()
        var configuration = DaemonConfiguration(spool: directory.path + "/spool")
        configuration.extra = ""
        let file = try configuration.write(in: directory)
        let passwordFile = try directory.write("Чай-и-мед 7\n", to: "maria.password")
        func poshta(_ arguments: String...) async throws -> ExternalProcess.Result {
            try await ExternalProcess.run(Self.binary, arguments + ["--config", file])
        }
        let added = try await poshta("user", "add", "maria", "--role", "owner", "--password-file", passwordFile)
        #expect(added.status == 0 && added.output.contains("added user \"maria\" (console: owner)"), "\(added.output)\(added.error)")
        #expect(try await poshta("user", "add", "ivan", "--role", "root", "--password-file", passwordFile).status != 0)
        #expect(try await poshta("user", "add", "shop", "--password-file", passwordFile).status == 0)
        #expect(try await poshta("user", "list").output == "maria\t\towner\nshop\n")
        let stored = try String(contentsOfFile: directory.path + "/users", encoding: .utf8)
        #expect(stored.contains("\nmaria:$scrypt$") && stored.contains("::owner\n"))
        let checked = try await poshta("check-config")
        #expect(checked.output.contains("console users: maria (owner)\n"), "\(checked.output)")
        #expect(checked.output.contains("admin: http://127.0.0.1:0/ (web console; API under /v1)"), "\(checked.output)")

        // Sign in as a browser would: the form's token and its cookie, then the session cookie.
        let daemon = try DaemonProcess(configurationFile: file, logFile: directory.path + "/poshta.log")
        let url = try #require(try await daemon.waitForAdminURL(), "no admin line:\n\(daemon.log)")
        let jar = directory.path + "/cookies"
        let form = try await ExternalProcess.run("curl", ["-s", "-S", "-c", jar, "--max-time", "20", url + "/login"])
        let token = try #require(form.output.firstMatch(of: /name="csrf" value="([A-Za-z0-9_-]+)"/)?.1)
        let signIn = try await ExternalProcess.run(
            "curl", [
                "-s", "-S", "-b", jar, "-c", jar, "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--max-time", "20",
                "--data-urlencode", "csrf=\(token)", "--data-urlencode", "name=maria", "--data-urlencode", "password=Чай-и-мед 7",
                url + "/login",
            ])
        #expect(signIn.output == "303 \(url)/", "\(signIn.output) \(signIn.error)")
        let page = try await ExternalProcess.run("curl", ["-s", "-S", "-b", jar, "-L", "--max-time", "20", url + "/"])
        #expect(page.output.contains("id=\"notifications-form\"") || page.output.contains("nothing to show here"), "\(page.output.prefix(500))")
        #expect(page.output.contains("maria"))
        #expect(daemon.log.contains("console: maria (owner) signed in from 127.0.0.1"), "\(daemon.log)")

        // A new password ends the session signed in with the old one.
        let passwordFile2 = try directory.write("Чай-и-мед 8\n", to: "maria2.password")
        #expect(try await poshta("user", "passwd", "maria", "--password-file", passwordFile2).status == 0)
        try await Task.sleep(for: .milliseconds(1100))  // the daemon looks at the users file at most once a second
        let stale = try await ExternalProcess.run(
            "curl", ["-s", "-S", "-b", jar, "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--max-time", "20", url + "/notifications"])
        #expect(stale.output == "303 \(url)/login", "after passwd: \(stale.output)")
        let again = try await ExternalProcess.run("curl", ["-s", "-S", "-c", jar, "--max-time", "20", url + "/login"])
        let token2 = try #require(again.output.firstMatch(of: /name="csrf" value="([A-Za-z0-9_-]+)"/)?.1)
        let signIn2 = try await ExternalProcess.run(
            "curl", [
                "-s", "-S", "-b", jar, "-c", jar, "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--max-time", "20",
                "--data-urlencode", "csrf=\(token2)", "--data-urlencode", "name=maria", "--data-urlencode", "password=Чай-и-мед 8",
                url + "/login",
            ])
        #expect(signIn2.output == "303 \(url)/", "\(signIn2.output)")

        // The role taken away: her next page is the sign-in page, and she cannot sign in again.
        let demoted = try await poshta("user", "role", "maria", "none")
        #expect(demoted.status == 0 && demoted.output.contains("may no longer sign in"), "\(demoted.output)\(demoted.error)")
        #expect(try await poshta("user", "role", "maria", "root").status != 0)
        #expect(try await poshta("user", "role", "nobody", "admin").status == 1)
        try await Task.sleep(for: .milliseconds(1100))  // the daemon looks at the users file at most once a second
        let after = try await ExternalProcess.run(
            "curl", ["-s", "-S", "-b", jar, "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--max-time", "20", url + "/notifications"])
        #expect(after.output == "303 \(url)/login", "\(after.output)")
        #expect(try await poshta("user", "role", "maria", "admin").status == 0)
        #expect(try await poshta("user", "list").output == "maria\t\tadmin\nshop\n")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
