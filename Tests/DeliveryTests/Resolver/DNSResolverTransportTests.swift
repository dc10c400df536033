import DNS
import Delivery
import PoshtaTestSupport
import Testing

/// The resolver against scripted servers on 127.0.0.1: silence, failures,
/// truncation, and answers that are not ours.
@Suite("DNS resolver transport")
struct DNSResolverTransportTests {
    static let host = try! DNSName("mx.shop.test")

    static func address(_ last: UInt8) -> DNSRecord {
        DNSRecord(name: host, ttl: 300, data: .a([127, 0, 0, last]))
    }

    @Test("a server that never answers is a temporary failure after attempts × timeout")
    func silence() async throws {
        let server = try await ScriptedDNSServer { _, _ in [] }
        let resolver = try Resolvers.make(server.nameserver, timeout: .milliseconds(300), attempts: 2)
        let started = ContinuousClock.now
        let route = await resolver.mailRoute(for: "shop.test")
        let elapsed = ContinuousClock.now - started
        #expect(route == .temporaryFailure("DNS lookup of MX for shop.test timed out (\(server.nameserver))"))
        #expect(await server.count(.udp, reaching: 2) == 2)
        // The upper bound is loose: the whole suite runs in parallel on two cores.
        #expect(elapsed >= .milliseconds(550) && elapsed < .seconds(15), "took \(elapsed)")
        await server.close()
    }

    @Test("SERVFAIL is a temporary failure and is not cached")
    func serverFailure() async throws {
        let server = try await ScriptedDNSServer { query, _ in
            [.message(ScriptedDNSServer.response(to: query, code: .serverFailure))]
        }
        let resolver = try Resolvers.make(server.nameserver, attempts: 2)
        let expected = MailRouteLookup.temporaryFailure(
            "DNS lookup of MX for shop.test failed with SERVFAIL (\(server.nameserver))")
        #expect(await resolver.mailRoute(for: "shop.test") == expected)
        #expect(await resolver.mailRoute(for: "shop.test") == expected)
        #expect(server.count(.udp) == 4)
        await server.close()
    }

    @Test("a truncated UDP answer is asked again over TCP, and the TCP answer is used")
    func truncation() async throws {
        let server = try await ScriptedDNSServer { query, transport in
            switch transport {
            case .udp: [.message(ScriptedDNSServer.response(to: query, answers: [Self.address(1)], truncated: true))]
            case .tcp: [.message(ScriptedDNSServer.response(to: query, answers: (1...40).map { Self.address($0) }))]
            }
        }
        let resolver = try Resolvers.make(server.nameserver)
        let answer = try await resolver.query(Self.host, .a)
        #expect(answer.addresses() == (1...40).map { "127.0.0.\($0)" })
        #expect(!answer.isTruncated)
        #expect(server.count(.udp) == 1 && server.count(.tcp) == 1)
        await server.close()
    }

    @Test("answers with another ID, another question, or from another port are ignored")
    func forgeries() async throws {
        let server = try await ScriptedDNSServer { query, _ in
            var wrongID = ScriptedDNSServer.response(to: query, answers: [Self.address(66)])
            wrongID.id &+= 1
            var wrongQuestion = ScriptedDNSServer.response(to: query, answers: [Self.address(67)])
            wrongQuestion.questions = [DNSQuestion(name: try! DNSName("other.test"), type: .a)]
            return [
                .message(wrongID),
                .message(wrongQuestion),
                .fromOtherPort(ScriptedDNSServer.response(to: query, answers: [Self.address(68)])),
                .message(ScriptedDNSServer.response(to: query, answers: [Self.address(1)])),
            ]
        }
        let log = LogCapture()
        let resolver = try Resolvers.make(server.nameserver, log: log)
        let answer = try await resolver.query(Self.host, .a)
        #expect(answer.addresses() == ["127.0.0.1"])
        #expect(server.count(.udp) == 1)
        #expect(log.matching("does not answer our query").count >= 2)
        await server.close()
    }

    @Test("only forged answers: the lookup times out rather than take one")
    func onlyForgeries() async throws {
        let server = try await ScriptedDNSServer { query, _ in
            var wrongID = ScriptedDNSServer.response(to: query, answers: [Self.address(66)])
            wrongID.id &+= 1
            return [.message(wrongID), .fromOtherPort(ScriptedDNSServer.response(to: query, answers: [Self.address(68)]))]
        }
        let resolver = try Resolvers.make(server.nameserver, timeout: .milliseconds(300))
        let error = await #expect(throws: DNSResolverError.self) { try await resolver.query(Self.host, .a) }
        #expect(error?.isTimeout == true)
        await server.close()
    }

    @Test("nameservers are tried in turn: a silent first one, then one that answers")
    func rotation() async throws {
        let silent = try await ScriptedDNSServer { _, _ in [] }
        let answering = try await ScriptedDNSServer { query, _ in
            [.message(ScriptedDNSServer.response(to: query, answers: [Self.address(2)]))]
        }
        let resolver = try Resolvers.make(
            [try Nameserver(silent.nameserver), try Nameserver(answering.nameserver)], timeout: .milliseconds(300))
        #expect(try await resolver.query(Self.host, .a).addresses() == ["127.0.0.2"])
        #expect(await silent.count(.udp, reaching: 1) == 1 && answering.count(.udp) == 1)
        await silent.close()
        await answering.close()
    }

    @Test("MX ties keep answer order; a host that fails for now is left out, the others kept")
    func partialFailure() async throws {
        let names = ["mx3.shop.test", "mx1.shop.test", "mx2.shop.test", "broken.shop.test"]
        let server = try await ScriptedDNSServer { query, _ in
            let question = query.questions[0]
            if question.type == .mx {
                let shop = try! DNSName("shop.test")
                let records = names.map { DNSRecord(name: shop, ttl: 300, data: .mx(preference: 10, exchange: try! DNSName($0))) }
                return [.message(ScriptedDNSServer.response(to: query, answers: records))]
            }
            if question.name == (try! DNSName("broken.shop.test")) {
                return [.message(ScriptedDNSServer.response(to: query, code: .serverFailure))]
            }
            guard question.type == .a else { return [.message(ScriptedDNSServer.response(to: query))] }
            let last = UInt8(names.firstIndex { (try! DNSName($0)) == question.name }! + 1)
            return [.message(ScriptedDNSServer.response(to: query, answers: [DNSRecord(name: question.name, ttl: 300, data: .a([127, 0, 0, last]))]))]
        }
        let resolver = try Resolvers.make(server.nameserver)
        #expect(
            await resolver.mailRoute(for: "shop.test")
                == .hosts([
                    MailHost(name: "mx3.shop.test", preference: 10, addresses: ["127.0.0.1"]),
                    MailHost(name: "mx1.shop.test", preference: 10, addresses: ["127.0.0.2"]),
                    MailHost(name: "mx2.shop.test", preference: 10, addresses: ["127.0.0.3"]),
                ]))
        await server.close()
    }

    @Test("when every MX host fails for now, the route fails for now")
    func allHostsFail() async throws {
        let server = try await ScriptedDNSServer { query, _ in
            guard query.questions[0].type == .mx else {
                return [.message(ScriptedDNSServer.response(to: query, code: .serverFailure))]
            }
            let exchange = DNSRecord(name: try! DNSName("shop.test"), ttl: 300, data: .mx(preference: 10, exchange: Self.host))
            return [.message(ScriptedDNSServer.response(to: query, answers: [exchange]))]
        }
        let resolver = try Resolvers.make(server.nameserver)
        let route = await resolver.mailRoute(for: "shop.test")
        guard case .temporaryFailure(let reason) = route else {
            Issue.record("expected a temporary failure, got \(route)")
            return
        }
        #expect(reason.hasPrefix("DNS lookup of A for mx.shop.test failed with SERVFAIL"))
        await server.close()
    }

    @Test(
        "an IPv6 nameserver on ::1 works the same",
        .enabled("::1 cannot be bound on this machine (no IPv6 loopback)") { await LoopbackSocket.ipv6LoopbackAvailable() })
    func ipv6Nameserver() async throws {
        let server = try await ScriptedDNSServer(host: "::1") { query, _ in
            [.message(ScriptedDNSServer.response(to: query, answers: [Self.address(6)]))]
        }
        let resolver = try Resolvers.make(server.nameserver)
        #expect(try await resolver.query(Self.host, .a).addresses() == ["127.0.0.6"])
        await server.close()
    }
}
