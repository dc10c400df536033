import Foundation
import PoshtaTestSupport
import Testing

/// A running daemon picks up edited templates without a restart, and keeps
/// the last good ones when an edit does not load.
@Suite("templates reload when their files change")
struct TemplateReloadTests {
    @Test("an edited subject is used for the next mail; a broken edit is refused and the old templates stay")
    func reload() async throws {
        let directory = try TemporaryDirectory(prefix: "poshta-reload")
        let templates = directory.path + "/templates"
        try FileManager.default.copyItem(atPath: ShopMailTests.repository + "/conf/templates", toPath: templates)
        let daemon = try await TestDaemon(
            configuration: """
                [shop]
                from = "shop@romashka.example"
                currency = "BGN"
                templates = "\(templates)"
                """)
        let data = try ShopMailTests.orderData()
        func send() async throws -> String {
            let client = try await TestSMTPClient.afterEHLO(port: daemon.port())
            let reply = try await client.sendMail(
                from: "shop@romashka.example", to: ["maria@example.bg"],
                message: "X-Shop-Template: order_paid\r\nX-Shop-Locale: bg\r\nContent-Type: application/json\r\n\r\n\(data)\r\n")
            await client.close()
            #expect(reply.code == 250, "\(reply)")
            return reply.description
        }
        func subjects(_ count: Int) async throws -> [String] {
            try await daemon.waitForOutbox(count: count).values.map { bytes in
                let text = String(decoding: bytes, as: UTF8.self)
                return text.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") } ?? ""
            }
        }
        _ = try await send()
        #expect(try await subjects(1).count == 1)

        let subjectFile = templates + "/bg/order_paid.subject.mustache"
        try "{{% CONTENT_TYPE: TEXT}}\nReload {{order.number}}\n".write(toFile: subjectFile, atomically: true, encoding: .utf8)
        try await daemon.waitForLog("templates reloaded from \(templates)")
        _ = try await send()
        #expect(try await subjects(2).contains("Subject: Reload RM-10482"))

        // An unclosed section does not parse: logged, and the edited-but-good set stays.
        try "{{% CONTENT_TYPE: TEXT}}\n{{#order}}Broken\n".write(toFile: subjectFile, atomically: true, encoding: .utf8)
        try await daemon.waitForLog("do not load; the old ones stay in use")
        _ = try await send()
        #expect(try await subjects(3).filter { $0 == "Subject: Reload RM-10482" }.count == 2)
        try await daemon.stop()
    }
}
