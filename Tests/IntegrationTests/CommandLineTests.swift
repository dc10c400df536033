import Foundation
import PoshtaApp
import PoshtaTestSupport
import Testing

@Suite("poshta check-config and poshta version, run as the real binary")
struct CommandLineTests {
    /// The repository's folder, from this file's place in it.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    struct BadFile: Sendable, CustomTestStringConvertible {
        var text: String
        var line: Int
        var key: String
        var testDescription: String { key }
    }

    static let badFiles = [
        BadFile(text: "[server]\nhostname = \"mail.test\"\nspool = \"spool\"\ncolour = \"blue\"\n", line: 4, key: "colour"),
        BadFile(
            text: "[server]\nspool = \"spool\"\n\n[[listener]]\naddress = \"127.0.0.1:2525\"\ntrusted_network = [\"10.0.0.0/8\"]\n",
            line: 6, key: "trusted_network"),
        BadFile(text: "[server]\nspool = \"spool\"\n\n[limits]\nmax_message_size = 1000\nmax_recipient = 5\n", line: 6, key: "max_recipient"),
    ]

    @Test("check-config on a file with an unknown key exits non-zero and names the file, the line and the key", arguments: badFiles)
    func unknownKey(_ bad: BadFile) async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(bad.text, to: "bad.toml")
        let result = try await ExternalProcess.run(DaemonProcess.binary, ["check-config", "--config", file])
        #expect(result.status != 0)
        #expect(result.error.contains("\(file):\(bad.line):"), "stderr:\n\(result.error)")
        #expect(result.error.contains(bad.key), "stderr:\n\(result.error)")
    }

    @Test("serve refuses a file with an unknown key before it binds anything")
    func serveRefusesUnknownKey() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("[server]\nspool = \"spool\"\nspoool = \"x\"\n", to: "bad.toml")
        let result = try await ExternalProcess.run(DaemonProcess.binary, ["serve", "--config", file], timeout: .seconds(20))
        #expect(result.status != 0)
        #expect(result.error.contains("\(file):3:"), "stderr:\n\(result.error)")
        #expect(result.error.contains("spoool"), "stderr:\n\(result.error)")
    }

    @Test("check-config on the repository's conf/poshta.toml exits 0")
    func shippedConfiguration() async throws {
        let file = Self.repository + "/conf/poshta.toml"
        let result = try await ExternalProcess.run(DaemonProcess.binary, ["check-config", "--config", file])
        #expect(result.status == 0, "stderr:\n\(result.error)")
        #expect(result.output.contains("ok"), "stdout:\n\(result.output)")
    }

    @Test("template check renders the shipped templates; preview prints one and writes its HTML and .eml")
    func templates() async throws {
        let file = Self.repository + "/conf/poshta.toml"
        let check = try await ExternalProcess.run(DaemonProcess.binary, ["template", "check", "--config", file])
        #expect(check.status == 0, "\(check.output)\(check.error)")
        #expect(check.output.hasSuffix("111 rendered (33 keys and 4 fragments × bg, en, mk), 0 failed\n"), "\(check.output)")

        let directory = try TemporaryDirectory(prefix: "poshta-preview")
        let html = directory.path + "/order_paid.html"
        let eml = directory.path + "/order_paid.eml"
        let preview = try await ExternalProcess.run(
            DaemonProcess.binary, ["template", "preview", "--config", file, "--locale", "bg", "--html", html, "--eml", eml, "order_paid"])
        #expect(preview.status == 0, "\(preview.error)")
        #expect(preview.output.hasPrefix("Subject: "))
        #expect(preview.output.contains("RM-10482"))
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<html") && page.contains("</html>"))
        let message = try String(contentsOfFile: eml, encoding: .utf8)
        #expect(message.contains("Content-Type: multipart/alternative;") && message.contains("Auto-Submitted: auto-generated"))

        let unknown = try await ExternalProcess.run(DaemonProcess.binary, ["template", "preview", "--config", file, "order_lost"])
        #expect(unknown.status == 1)
        #expect(unknown.error.contains("unknown template \"order_lost\""), "\(unknown.error)")
    }

    @Test("poshta version prints the version")
    func version() async throws {
        let result = try await ExternalProcess.run(DaemonProcess.binary, ["version"])
        #expect(result.status == 0)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "poshta \(PoshtaVersion.current)")
    }
}
