import DKIM
import Foundation
import MIME
import PoshtaTestSupport
import Testing

/// DKIM from the running daemon: every message it spools is signed by the
/// keys of its From domain — RSA and Ed25519 side by side — and dkimpy
/// verifies what arrived, with the keys served as DNS TXT records; the
/// DSNs it writes are signed too. `poshta dkim keygen` and `check` run as
/// the real binary against a real DNS server (dnsmasq).
@Suite("DKIM signing in the daemon, keygen and check")
struct DKIMSigningTests {
    /// Two keys for romashka.example and one for the daemon's own name (its DSNs), written as PEM files.
    static func keys(
        in folder: TemporaryDirectory,
        _ wanted: [(domain: String, selector: String, algorithm: DKIMKey.Algorithm)] = [
            ("romashka.example", "rsa2026", .rsaSHA256), ("romashka.example", "ed2026", .ed25519SHA256),
            ("mail.test", "bounces", .ed25519SHA256),
        ]
    ) throws -> (config: String, records: [String: String]) {
        var config = "\n[dkim]\n"
        var records: [String: String] = [:]
        for (domain, selector, algorithm) in wanted {
            let key = try DKIMKey.generate(algorithm)
            let file = try folder.write(key.pem, to: "\(domain).\(selector).key")
            config += "[[dkim.key]]\ndomain = \"\(domain)\"\nselector = \"\(selector)\"\nalgorithm = \"\(algorithm.rawValue)\"\nkey_file = \"\(file)\"\n"
            records["\(selector)._domainkey.\(domain)."] = DKIMRecord(key: key).text
        }
        return (config, records)
    }

    /// dkimpy's verdict on each DKIM-Signature of `message`, top first, e.g. `["ed2026 valid", "rsa2026 valid"]`.
    static func verify(_ message: [UInt8], records: [String: String]) throws -> [String] {
        let script = """
            import dkim, json, re, sys
            records = json.loads(sys.argv[1])
            def dns(name, timeout=5):
                found = records.get(name.decode())
                return found.encode() if found else None
            message = sys.stdin.buffer.read()
            d = dkim.DKIM(message)
            count = len(re.findall(rb"(?im)^dkim-signature:", message.split(b"\\r\\n\\r\\n", 1)[0]))
            for index in range(count):
                try:
                    ok = d.verify(idx=index, dnsfunc=dns)
                except dkim.ValidationError:
                    ok = False  # e.g. "body hash mismatch": a changed message
                print(d.selector.decode(), "valid" if ok else "invalid")
            """
        let json = String(decoding: try JSONSerialization.data(withJSONObject: records), as: UTF8.self)
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
        let result = try ExternalProcess.runBlocking(python, ["-c", script, json], input: message)
        #expect(result.status == 0, "\(result.error.suffix(600))")
        return String(decoding: result.output, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test("a Bulgarian template mail is signed by both keys of its From domain; dkimpy verifies both; a changed copy fails")
    func templateMailSigned() async throws {
        let folder = try TemporaryDirectory(prefix: "poshta-dkim-keys")
        let (config, records) = try Self.keys(in: folder)
        let daemon = try await ShopMailTests.shopDaemon(extra: config)
        let reply = try await ShopMailTests.send(try ShopMailTests.orderPaid(locale: "bg"), to: ["maria@example.bg"], port: daemon.port())
        #expect(reply.code == 250, "\(reply)")
        let mail = try #require(try await daemon.waitForOutbox(count: 1).values.first)
        #expect(try Self.verify(mail, records: records).sorted() == ["ed2026 valid", "rsa2026 valid"])
        let text = String(decoding: mail, as: UTF8.self)
        #expect(text.hasPrefix("DKIM-Signature: v=1; a=ed25519-sha256;") || text.hasPrefix("DKIM-Signature: v=1; a=rsa-sha256;"))
        #expect(!text.contains("s=bounces"), "only the From domain's keys")
        let changed = Array(text.replacingOccurrences(of: "RM-10482", with: "RM-10483").utf8)
        let verdicts = try Self.verify(changed, records: records)
        #expect(verdicts.count == 2 && verdicts.allSatisfy { $0.hasSuffix(" invalid") }, "\(verdicts)")
        try await daemon.waitForLog("dkim=")
        try await daemon.stop()
    }

    @Test("a DSN is signed with the daemon's own domain key and verifies; mail from a domain without keys goes unsigned")
    func dsnSigned() async throws {
        var behavior = SinkBehavior()
        behavior.failures = [.unknownRecipient(localPart: "nobody")]
        let sink = try await SinkServer.start(behavior: behavior)
        let folder = try TemporaryDirectory(prefix: "poshta-dkim-keys")
        let (config, records) = try Self.keys(in: folder)
        let daemon = try await ShopMailTests.shopDaemon(
            extra: config + "\n[delivery]\n" + DeliveryFixture.quickRetries + "\nroute = \"relay\"\nrelays = [ \(DeliveryFixture.relay(sink)) ]\n")
        try await DeliveryFixture.submit(to: daemon, from: "shop@elsewhere.example", to: ["nobody@example.net"])
        let messages = try await sink.waitForMessages(1)
        let report = try #require(messages.first { $0.sender == "" })
        #expect(try Self.verify(report.data, records: records) == ["bounces valid"])
        // And Python's email package reads it as RFC 3464 says, without defects.
        let script = """
            import email, email.policy, sys
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
            defects = [d for part in m.walk() for d in part.defects]
            print(m.get_content_type(), m.get_param("report-type"), m["Auto-Submitted"], len(defects))
            """
        let parsed = try ExternalProcess.runBlocking("/usr/bin/python3", ["-c", script], input: report.data)
        #expect(String(decoding: parsed.output, as: UTF8.self) == "multipart/report delivery-status auto-replied 0\n", "\(parsed.error)")
        #expect(OutboundConformance.problems(in: report.data) == [])
        try await daemon.stop()
        await sink.stop()
    }

    @Test("relayed through a real Postfix over STARTTLS, a long body of dot lines arrives with both signatures still valid")
    func throughPostfix() async throws {
        let sink = try await SinkServer.start()
        let postfix = try await PostfixUpstream.start(relayingTo: sink, tls: .encrypt)
        let folder = try TemporaryDirectory(prefix: "poshta-dkim-keys")
        let (config, records) = try Self.keys(in: folder, [("shop.example", "rsa", .rsaSHA256), ("shop.example", "ed", .ed25519SHA256)])
        let daemon = try await DeliveryFixture.daemon("""
            route = "relay"
            relays = [ { host = "\(postfix.tlsHostname)", port = \(postfix.port), tls = "starttls" } ]
            ca_file = "\(postfix.certificateFile)"
            \(config)
            """)
        try await DeliveryFixture.submit(to: daemon, to: ["dana@example.net"], subject: "Order 1002", body: PostfixUpstreamTests.longBody)
        let messages = try await PostfixUpstreamTests.waitForRecipients(1, at: sink)
        let arrived = try #require(messages.first)
        #expect(arrived.text.contains("by \(postfix.myHostname) (Postfix)"), "it went through Postfix")
        #expect(try Self.verify(arrived.data, records: records).sorted() == ["ed valid", "rsa valid"])
        try await daemon.stop()
        await postfix.stop()
        await sink.stop()
    }

    @Test("keygen writes a 0600 key and prints the record; it never overwrites; check says ok, mismatch or not published")
    func keygenAndCheck() async throws {
        let folder = try TemporaryDirectory(prefix: "poshta-dkim-keygen")
        let file = try DaemonConfiguration(spool: "spool").write(in: folder)
        func poshta(_ arguments: [String]) async throws -> ExternalProcess.Result {
            try await ExternalProcess.run(DaemonProcess.binary, arguments + ["--config", file], timeout: .seconds(60))
        }
        let made = try await poshta(["dkim", "keygen", "--domain", "Romashka.example", "--selector", "mail2026"])
        #expect(made.status == 0, "\(made.error)")
        let keyFile = folder.path + "/dkim/romashka.example.mail2026.key"
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(made.output.contains("mail2026._domainkey.romashka.example.\tIN\tTXT\t( \"v=DKIM1; k=rsa; p=MII"), "\(made.output)")
        let key = try DKIMKey(pem: try String(contentsOfFile: keyFile, encoding: .utf8))
        let record = DKIMRecord(key: key)
        #expect(made.output.contains(record.zoneValue) && record.strings.count == 2)
        let again = try await poshta(["dkim", "keygen", "--domain", "romashka.example", "--selector", "mail2026"])
        #expect(again.status == 1 && again.error.contains("exists; keys are not overwritten"))
        let ed = try await poshta(["dkim", "keygen", "--domain", "romashka.example", "--selector", "ed", "--algorithm", "ed25519"])
        #expect(ed.output.contains("\"v=DKIM1; k=ed25519; p="), "\(ed.output)")

        // DNS: the RSA record as two strings; the Ed25519 selector's record is another key's.
        let other = DKIMRecord(key: try DKIMKey.generate(.ed25519SHA256))
        let dns = try await Dnsmasq(
            records: [
                .txt("mail2026._domainkey.romashka.example", record.strings.joined(separator: ",")),
                .txt("ed._domainkey.romashka.example", other.text),
            ], zone: "example")
        var configuration = DaemonConfiguration(spool: "spool")
        configuration.deliverySettings = "nameserver = \"\(dns.nameserver)\""
        configuration.extra = """

            [[dkim.key]]
            domain = "romashka.example"
            selector = "mail2026"
            [[dkim.key]]
            domain = "romashka.example"
            selector = "ed"
            algorithm = "ed25519-sha256"
            [[dkim.key]]
            domain = "romashka.example"
            selector = "missing"
            key_file = "\(keyFile)"

            """
        try configuration.write(in: folder)
        let checked = try await poshta(["dkim", "check", "--domain", "romashka.example"])
        #expect(checked.status == 1)
        #expect(checked.output.contains("mail2026._domainkey.romashka.example: ok"), "\(checked.output)\(checked.error)")
        #expect(checked.output.contains("ed._domainkey.romashka.example: MISMATCH"), "\(checked.output)")
        #expect(checked.output.contains("missing._domainkey.romashka.example: not published"), "\(checked.output)")
        await dns.stop()
    }
}
