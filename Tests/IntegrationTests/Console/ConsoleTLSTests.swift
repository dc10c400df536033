import Foundation
import PoshtaTestSupport
import Testing

/// `[admin] tls = true`: the console and the API speak HTTPS with the
/// `[tls]` certificate (a real TLS handshake with curl, the certificate
/// checked against the test's own CA-less self-signed one), the cookies are
/// Secure, and plain HTTP on that port gets no page.
@Suite("the console over TLS")
struct ConsoleTLSTests {
    @Test("HTTPS with the [tls] certificate: the sign-in page with a Secure cookie, the API with its token; plain HTTP is refused")
    func https() async throws {
        let daemon = try await TestDaemon(configuration: "[admin]\naddress = \"127.0.0.1:0\"\ntls = true\n", tls: true)
        let port = try #require(URL(string: try await daemon.adminURL())?.port)
        let certificate = daemon.directory.path + "/tls/cert.pem"
        // The certificate names mail.test; curl connects to the loopback port under that name.
        let resolve = ["--resolve", "mail.test:\(port):127.0.0.1", "--cacert", certificate]
        let page = try await ExternalProcess.run(
            "curl", ["-s", "-S", "-D", "-", "--max-time", "20"] + resolve + ["https://mail.test:\(port)/login"], timeout: .seconds(30))
        #expect(page.status == 0, "\(page.error)")
        #expect(page.output.hasPrefix("HTTP/1.1 200"), "\(page.output.prefix(300))")
        let cookie = try #require(page.output.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie: poshta_signin=") })
        #expect(cookie.hasSuffix("; Path=/; HttpOnly; SameSite=Strict; Secure"), "\(cookie)")
        #expect(page.output.contains("<html lang=\"en\">"))

        let api = try await ExternalProcess.run(
            "curl", ["-s", "-S", "--max-time", "20", "-H", "Authorization: Bearer \(try daemon.adminToken)"] + resolve
                + ["https://mail.test:\(port)/v1/stats"], timeout: .seconds(30))
        #expect(api.status == 0 && api.output.contains("\"messages\":0"), "\(api.output) \(api.error)")

        let plain = try await ExternalProcess.run(
            "curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", "http://127.0.0.1:\(port)/login"],
            timeout: .seconds(20))
        #expect(plain.output == "000" || plain.output.hasPrefix("4"), "plain HTTP got \(plain.output)")
        try await daemon.stop()
    }
}
