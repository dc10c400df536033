import MIME
import Testing

/// The conformance checker itself: it passes a well-formed message and
/// names each rule a broken one breaks (so that the tests using it can fail).
@Suite("OutboundConformance: RFC 5322 and MIME rules for mail Poshta builds")
struct OutboundConformanceTests {
    static let good = [
        "From: =?utf-8?b?0KDQvtC80LDRiNC60LA=?= <shop@romashka.example>", "To: maria@example.bg",
        "Subject: =?utf-8?q?=D0=9F=D0=BE=D1=80=D1=8A=D1=87=D0=BA=D0=B0?=", "Date: Mon, 23 Nov 2026 10:00:00 +0000",
        "Message-ID: <1@romashka.example>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable", "", "=D0=97=D0=B4=D1=80=D0=B0=D0=B2=D0=B5=D0=B9=D1=82=D0=B5!", "",
    ].joined(separator: "\r\n")

    @Test("a well-formed message has no problems; MIMEBuilder's output neither")
    func good() throws {
        #expect(OutboundConformance.problems(in: Array(Self.good.utf8)) == [])
        var builder = MIMEBuilder(
            from: .init("shop@romashka.example", displayName: "Чаена къща „Ромашка“"),
            to: [.init("maria@example.bg", displayName: "Мария Иванова")],
            subject: String(repeating: "Поръчка № RM-10482 е платена – благодарим Ви! ", count: 4),
            body: .alternative(text: String(repeating: "Ж", count: 3_000), html: "<p>" + String(repeating: "ж", count: 5_000) + "</p>"))
        builder.date = "Mon, 23 Nov 2026 10:00:00 +0000"
        builder.messageID = "<2@romashka.example>"
        #expect(OutboundConformance.problems(in: try builder.build()) == [])
    }

    @Test("each broken rule is named", arguments: [
        ("To: maria@example.bg\r\n", "To: Мария <maria@example.bg>\r\n", "raw byte"),
        ("Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n", "", "0 date field(s)"),
        ("Message-ID: <1@romashka.example>\r\n", "Message-ID: <1@romashka.example>\r\nMessage-ID: <2@x>\r\n", "2 message-id field(s)"),
        ("MIME-Version: 1.0\r\n", "", "Content-Type without MIME-Version"),
        ("=D0=97", "Ж", "the body is not 7-bit"),
        ("To: maria@example.bg\r\n", "To: maria@example.bg\n", "bare LF"),
        ("=?utf-8?q?=D0=9F=D0=BE=D1=80=D1=8A=D1=87=D0=BA=D0=B0?=", "=?utf-8?q?=D0=9F=D0?= =?utf-8?q?=BE?=", "not whole UTF-8"),
        ("=?utf-8?b?0KDQvtC80LDRiNC60LA=?=", "=?utf-8?b?0KDQvtC80LDRiNC60LA?=", "does not decode"),
    ])
    func broken(original: String, replacement: String, problem: String) {
        let message = Self.good.replacingOccurrences(of: original, with: replacement)
        #expect(message != Self.good)
        let problems = OutboundConformance.problems(in: Array(message.utf8))
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }

    @Test("a line over 998 octets is named")
    func longLine() {
        let message = Self.good.replacingOccurrences(of: "Subject: =?", with: "X-Long: " + String(repeating: "a", count: 1_000) + "\r\nSubject: =?")
        #expect(OutboundConformance.problems(in: Array(message.utf8)).contains { $0.contains("octets (at most 998)") })
    }
}
