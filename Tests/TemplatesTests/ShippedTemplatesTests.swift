import Foundation
import MIME
import PoshtaTestSupport
import Templates
import Testing

/// Every key of `conf/templates/` in every locale, rendered with its sample
/// data, built into a mail, and read back by Python's `email` package
/// (policy default): the subject decodes to what was rendered (Cyrillic
/// intact), both parts are there and decode, and the HTML is well-formed.
@Suite("the shipped templates: every key in every locale")
struct ShippedTemplatesTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let templates = repository + "/conf/templates"
    static let shop = ShopIdentity(
        name: "Чаена къща Ромашка", url: "https://romashka.example", logoURL: "https://romashka.example/logo.png",
        email: "hello@romashka.example", phone: "+359 2 123 4567", address: "ул. Шипка 12, 1504 София")

    @Test("33 keys, three locales; each renders, builds and parses")
    func everyKeyEveryLocale() async throws {
        let renderer = try await TemplateRenderer(directory: Self.templates, shop: Self.shop)
        #expect(renderer.keys.count == 33, "\(renderer.keys)")
        #expect(Set(renderer.locales).isSuperset(of: ["en", "bg", "mk"]), "\(renderer.locales)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("poshta-templates-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var manifest: [[String: String]] = []
        for key in renderer.keys {
            let sample = try Data(contentsOf: URL(fileURLWithPath: "\(Self.templates)/samples/\(key).json"))
            let data = try #require(try JSONSerialization.jsonObject(with: sample) as? [String: Any], "samples/\(key).json")
            for locale in ["en", "bg", "mk"] {
                let rendered = try renderer.render(
                    key, locale: locale, data: data, unsubscribeURL: "https://romashka.example/unsubscribe/abc")
                #expect(rendered.locale == locale)
                for part in [rendered.subject, rendered.text, rendered.html] {
                    #expect(!part.contains("{{") && !part.contains("}}"), "\(locale)/\(key): mustache left in output")
                }
                var builder = MIMEBuilder(
                    from: .init("shop@romashka.example", displayName: Self.shop.name),
                    to: [.init("maria@example.bg", displayName: "Мария Иванова")], subject: rendered.subject,
                    body: .alternative(text: rendered.text, html: rendered.html))
                builder.date = "Mon, 23 Nov 2026 10:00:00 +0000"
                builder.messageID = "<\(locale).\(key)@romashka.example>"
                let name = "\(locale)-\(key).eml"
                let bytes = try builder.build()
                // RFC 5322 and MIME as receivers check them (issue 9): no line over 998, 7-bit body, whole encoded words.
                #expect(OutboundConformance.problems(in: bytes) == [], "\(locale)/\(key)")
                try Data(bytes).write(to: folder.appendingPathComponent(name))
                manifest.append(["file": name, "subject": rendered.subject])
            }
        }
        // The X-Shop-Blocks and X-Shop-Layout fragments: the layout around a
        // body, the blocks before its </body>, checked like a mail of their own.
        let sample = try Data(contentsOf: URL(fileURLWithPath: "\(Self.templates)/samples/enrichment.json"))
        let data = try #require(try JSONSerialization.jsonObject(with: sample) as? [String: Any])
        for locale in ["en", "bg", "mk"] {
            let html = try renderer.renderFragment("wrapped.html", locale: locale, data: data)
            let blocks = try renderer.renderFragment("enrichment.html", locale: locale, data: data)
            let close = try #require(html.range(of: "</body>"))
            let text = try renderer.renderFragment("wrapped.text", locale: locale, data: data)
                + renderer.renderFragment("enrichment.text", locale: locale, data: data)
            for part in [html, blocks, text] {
                #expect(!part.contains("{{") && !part.contains("}}"), "\(locale) fragments: mustache left in output")
            }
            let subject = try #require(data["subject"] as? String)
            let builder = MIMEBuilder(
                from: .init("shop@romashka.example"), to: [.init("maria@example.bg")], subject: subject,
                body: .alternative(text: text, html: html.replacingCharacters(in: close, with: blocks + "</body>")))
            let name = "\(locale)-fragments.eml"
            try Data(try builder.build()).write(to: folder.appendingPathComponent(name))
            manifest.append(["file": name, "subject": subject])
        }
        try JSONSerialization.data(withJSONObject: manifest).write(to: folder.appendingPathComponent("manifest.json"))
        let result = try await ExternalProcess.run("/usr/bin/python3", ["-c", Self.checker, folder.path], timeout: .seconds(120))
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output == "checked \(manifest.count) messages\n", "\(result.output)")
    }

    /// Parses every message and checks it; prints one line per problem, then a count.
    static let checker = #"""
        import email, email.policy, json, sys, os
        from html.parser import HTMLParser
        VOID = {"area","base","br","col","embed","hr","img","input","link","meta","source","track","wbr"}
        class Balance(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.stack, self.problems = [], []
            def handle_starttag(self, tag, attrs):
                if tag not in VOID: self.stack.append(tag)
            def handle_startendtag(self, tag, attrs): pass
            def handle_endtag(self, tag):
                if tag in VOID: return
                if not self.stack or self.stack[-1] != tag:
                    self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
                    if tag in self.stack:
                        while self.stack and self.stack.pop() != tag: pass
                else:
                    self.stack.pop()
        folder = sys.argv[1]
        manifest = json.load(open(os.path.join(folder, "manifest.json")))
        bad = 0
        for entry in manifest:
            raw = open(os.path.join(folder, entry["file"]), "rb").read()
            message = email.message_from_bytes(raw, policy=email.policy.default)
            problems = []
            if message["Subject"] != entry["subject"]: problems.append(f"subject {message['Subject']!r} != {entry['subject']!r}")
            if message.defects: problems.append(f"defects {message.defects}")
            text = message.get_body(("plain",))
            html = message.get_body(("html",))
            if text is None or not text.get_content().strip(): problems.append("no text part")
            if html is None or not html.get_content().strip(): problems.append("no html part")
            if html is not None:
                checker = Balance()
                checker.feed(html.get_content()); checker.close()
                problems += checker.problems
                if checker.stack: problems.append(f"unclosed {checker.stack}")
            for problem in problems:
                bad += 1
                print(f"{entry['file']}: {problem}")
        print(f"checked {len(manifest)} messages")
        sys.exit(1 if bad else 0)
        """#
}
