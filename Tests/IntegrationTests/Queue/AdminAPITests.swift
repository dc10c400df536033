import Foundation
import PoshtaTestSupport
import SMTPProtocol
import Testing

/// The admin HTTP API of the real binary, asked with curl: the token guards
/// every endpoint, `/metrics` is Prometheus text that Prometheus' own
/// Python parser reads, and its counters follow the mail.
@Suite("admin API: bearer token, JSON endpoints, /metrics")
struct AdminAPITests {
    struct Running {
        let directory: TemporaryDirectory
        let daemon: DaemonProcess
        let port: Int
        let url: String
        let token: String
    }

    private func start(suspended: Bool = false) async throws -> Running {
        let directory = try TemporaryDirectory(prefix: "poshta-admin")
        var configuration = DaemonConfiguration(spool: "spool")
        configuration.suspended = suspended
        let file = try configuration.write(in: directory)
        let daemon = try DaemonProcess(configurationFile: file, logFile: directory.path + "/poshta.log")
        let port = try #require(try await daemon.waitForPort(), "log:\n\(daemon.log)")
        let url = try #require(try await daemon.waitForAdminURL(), "log:\n\(daemon.log)")
        let tokenFile = directory.path + "/admin.token"
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return Running(directory: directory, daemon: daemon, port: port, url: url, token: token)
    }

    private func send(_ running: Running, to recipient: String) async throws -> String {
        let client = try await TestSMTPClient.afterEHLO(port: running.port)
        let reply = try await client.sendMail(
            from: "shop@shop.example", to: [recipient], message: "Subject: metrics\r\n\r\nHello.\r\n")
        await client.close()
        return try #require(reply.queueID, "\(reply)")
    }

    @Test("no token or a wrong one: 401 with WWW-Authenticate and a JSON sentence, and nothing changes")
    func wrongToken() async throws {
        let running = try await start(suspended: true)
        let id = try await send(running, to: "ana@example.net")
        let attempts: [(String?, String)] = [(nil, "needs the header Authorization: Bearer"), ("0123456789abcdef0123", "the bearer token is wrong")]
        for (token, sentence) in attempts {
            let refused = try await curl(running.url + "/v1/queue/delete", token: token, method: "POST", body: "{\"all\":true}")
            #expect(refused.status == 401)
            #expect(refused.headers.lowercased().contains("www-authenticate: bearer realm=\"poshta\""))
            let error = try JSONSerialization.jsonObject(with: Data(refused.body.utf8)) as? [String: String]
            #expect(error?["error"]?.contains(sentence) == true, "\(refused.body)")
            let metrics = try await curl(running.url + "/metrics", token: token)
            #expect(metrics.status == 401)
            // The router serves these as /v1/queue and /metrics: they need the token just the same.
            for path in ["//v1/queue", "/v1//queue", "//metrics", "/metrics/", "/v1/"] {
                let sneaked = try await curl(running.url + path, token: token)
                #expect(sneaked.status == 401, "\(path): \(sneaked.status) \(sneaked.body.prefix(200))")
            }
        }
        let listed = try await curl(running.url + "/v1/queue", token: running.token)
        #expect(listed.status == 200)
        #expect(listed.body.contains("\"id\":\"\(id)\""))
        #expect(listed.body.contains("\"state\":\"deferred\"") || listed.body.contains("\"state\":\"queued\""))

        let empty = try await curl(running.url + "/v1/queue/hold", token: running.token, method: "POST", body: "{\"filter\":{}}")
        #expect(empty.status == 400)
        #expect(empty.body.contains("the filter selects every message"))
        let badState = try await curl(running.url + "/v1/queue?state=sent", token: running.token)
        #expect(badState.status == 400)
        #expect(badState.body.contains("state: \\\"sent\\\" is not one of queued, deferred, active, hold"))
        let unknown = try await curl(running.url + "/v1/queue/0000000000Z", token: running.token)
        #expect(unknown.status == 404)
        running.daemon.signal(SIGTERM)
        _ = try await running.daemon.waitForExit()
    }

    @Test("the listing comes in pages: limit, total, and next to continue after the last message")
    func pages() async throws {
        let running = try await start(suspended: true)
        var ids: [String] = []
        for recipient in ["a@example.net", "b@example.net", "c@example.net"] { ids.append(try await send(running, to: recipient)) }
        let first = try await curl(running.url + "/v1/queue?limit=2", token: running.token)
        let page = try #require(try JSONSerialization.jsonObject(with: Data(first.body.utf8)) as? [String: Any])
        #expect((page["messages"] as? [[String: Any]])?.map { $0["id"] as? String } == Array(ids.prefix(2)))
        #expect(page["total"] as? Int == 3)
        let next = try #require(page["next"] as? [String: Any], "\(first.body)")
        #expect(next["id"] as? String == ids[1])
        // The number as the daemon wrote it: JSONSerialization may round it.
        let after = try #require(first.body.range(of: "\"next\":{\"arrival\":"), "\(first.body)")
        let arrival = first.body[after.upperBound...].prefix { $0 != "," && $0 != "}" }
        let second = try await curl(
            running.url + "/v1/queue?limit=2&after_arrival=\(arrival)&after_id=\(ids[1])", token: running.token)
        let rest = try #require(try JSONSerialization.jsonObject(with: Data(second.body.utf8)) as? [String: Any])
        #expect((rest["messages"] as? [[String: Any]])?.map { $0["id"] as? String } == [ids[2]])
        #expect(rest["next"] == nil)
        let lonely = try await curl(running.url + "/v1/queue?after_id=\(ids[1])", token: running.token)
        #expect(lonely.status == 400)
        #expect(lonely.body.contains("after_arrival and after_id go together"))
        running.daemon.signal(SIGTERM)
        _ = try await running.daemon.waitForExit()
    }

    @Test("the token file is made with mode 0600")
    func tokenFileMode() async throws {
        let running = try await start()
        let attributes = try FileManager.default.attributesOfItem(atPath: running.directory.path + "/admin.token")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(running.token.count == 64)
        running.daemon.signal(SIGTERM)
        _ = try await running.daemon.waitForExit()
    }

    /// The samples of a Prometheus text exposition, parsed by prometheus_client.
    private func parse(_ text: String) async throws -> [String: Double] {
        let script = """
            import sys, json
            from prometheus_client.parser import text_string_to_metric_families
            samples = {}
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
                    samples[s.name + ("{" + labels + "}" if labels else "")] = s.value
            print(json.dumps(samples))
            """
        let result = try await ExternalProcess.run("/usr/bin/python3", ["-c", script], input: text, timeout: .seconds(30))
        #expect(result.status == 0, "\(result.error)")
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Double]
        return try #require(object, "\(result.output)")
    }

    @Test("/metrics parses as Prometheus text and its counters move as mail flows")
    func metrics() async throws {
        let running = try await start()
        let before = try await parse(try await curl(running.url + "/metrics", token: running.token).body)
        let outbox = OutboxFolder(spool: running.directory.path + "/spool")
        var ids: Set<String> = []
        for recipient in ["a@example.net", "b@example.org"] { ids.insert(try await send(running, to: recipient)) }
        _ = try await outbox.waitFor(ids, timeout: .seconds(15))
        // The outcome is recorded just after the file is written.
        var after: [String: Double] = [:]
        let deadline = ContinuousClock.now + .seconds(10)
        repeat {
            after = try await parse(try await curl(running.url + "/metrics", token: running.token).body)
            if (after["poshta_recipients_delivered_total"] ?? 0) >= 2 { break }
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        #expect((after["poshta_messages_received_total"] ?? 0) - (before["poshta_messages_received_total"] ?? 0) == 2)
        #expect(after["poshta_recipients_delivered_total"] == 2)
        #expect(after["poshta_delivery_delay_seconds_count"] == 2)
        #expect(after["poshta_smtp_connections_total{direction=\"inbound\"}"] == 2)
        #expect(after["poshta_queue_recipients{state=\"queued\"}"] == 0)
        #expect(after["poshta_queue_messages"] == 0)
        running.daemon.signal(SIGTERM)
        _ = try await running.daemon.waitForExit()
    }

    @Test("a failed AUTH and a failed TLS handshake move their counters")
    func failureCounters() async throws {
        // In-process: the counters are shared with tests running beside
        // this one, which can only add to them; so "at least one more".
        let daemon = try await TestDaemon(
            configuration: """
                [[listener]]
                address = "127.0.0.1:0"
                mode = "relay"
                trusted_networks = ["127.0.0.9/32"]
                allow_plaintext_auth = true

                [[listener]]
                address = "127.0.0.1:0"
                tls = "implicit"

                """, tls: true, users: [("bob@shop.example", "right-password", [])])
        let url = try await daemon.adminURL()
        let token = try daemon.adminToken
        let before = try await parse(try await curl(url + "/metrics", token: token).body)

        let client = try await TestSMTPClient.afterEHLO(port: daemon.port(0))
        #expect(try await client.authPlain(user: "bob@shop.example", password: "wrong").code == 535)
        await client.close()
        // Plain text to the implicit-TLS port: the handshake fails.
        let plain = try await TestSMTPClient.connect(port: daemon.port(1))
        try await plain.send("EHLO client.test\r\n")
        // The server ends the connection once the handshake has failed;
        // closing first could turn its error into a plain reset.
        #expect(await plain.waitForClose(), "the server kept the connection after a failed handshake")
        await plain.close()

        let deadline = ContinuousClock.now + .seconds(10)
        var after: [String: Double] = [:]
        let tls = "poshta_tls_handshake_failures_total{direction=\"inbound\"}"
        repeat {
            after = try await parse(try await curl(url + "/metrics", token: token).body)
            if (after[tls] ?? 0) > (before[tls] ?? 0) { break }
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        #expect((after["poshta_auth_failures_total"] ?? 0) >= (before["poshta_auth_failures_total"] ?? 0) + 1)
        #expect((after[tls] ?? 0) >= (before[tls] ?? 0) + 1, "\(after.filter { $0.key.contains("tls") })")
        try await daemon.stop()
    }
}
