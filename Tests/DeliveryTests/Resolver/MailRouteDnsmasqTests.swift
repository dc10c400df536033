import Delivery
import PoshtaTestSupport
import Testing

/// The MX route against a real dnsmasq on 127.0.0.1, one per test.
@Suite("Mail route against dnsmasq", .enabled("dnsmasq is not installed") { Dnsmasq.isInstalled })
struct MailRouteDnsmasqTests {
    static let records: [Dnsmasq.Record] = [
        .mx("shop.test", host: "mx-b.shop.test", preference: 20),
        .mx("shop.test", host: "mx-a.shop.test", preference: 10),
        .host("mx-a.shop.test", addresses: ["::10", "127.0.0.10"]),
        .host("mx-b.shop.test", addresses: ["127.0.0.20"]),
        .host("plain.test", addresses: ["127.0.0.30", "::30"]),
        .raw("nomail.test", type: 15, hex: "000000"),
        .txt("textonly.test", "v=spf1 -all"),
        .mx("lost.test", host: "gone.lost.test", preference: 10),
        .cname("alias.test", target: "plain.test"),
        .cname("mail-alias.test", target: "shop.test"),
        .mx("via-alias.test", host: "mx-alias.via-alias.test", preference: 5),
        .cname("mx-alias.via-alias.test", target: "mx-b.shop.test"),
    ]

    @Test("MX hosts come in preference order with their addresses, IPv4 first")
    func mxOrder() async throws {
        let dnsmasq = try await Dnsmasq(records: Self.records)
        let resolver = try Resolvers.make(dnsmasq.nameserver)
        let route = await resolver.mailRoute(for: "shop.test")
        #expect(
            route
                == .hosts([
                    MailHost(name: "mx-a.shop.test", preference: 10, addresses: ["127.0.0.10", "::10"]),
                    MailHost(name: "mx-b.shop.test", preference: 20, addresses: ["127.0.0.20"]),
                ]))
        #expect(await resolver.mailRoute(for: "SHOP.Test.") == route, "case and a final dot do not matter")
        await dnsmasq.stop()
    }

    @Test("no MX but an address: the domain is its own mail host (implicit MX)")
    func implicitMX() async throws {
        let dnsmasq = try await Dnsmasq(records: Self.records)
        let resolver = try Resolvers.make(dnsmasq.nameserver)
        #expect(
            await resolver.mailRoute(for: "plain.test")
                == .hosts([MailHost(name: "plain.test", preference: 0, addresses: ["127.0.0.30", "::30"])]))
        await dnsmasq.stop()
    }

    @Test("null MX, NXDOMAIN, and NODATA each have their own outcome")
    func negativeOutcomes() async throws {
        let dnsmasq = try await Dnsmasq(records: Self.records)
        let resolver = try Resolvers.make(dnsmasq.nameserver)
        #expect(await resolver.mailRoute(for: "nomail.test") == .nullMX)
        #expect(await resolver.mailRoute(for: "nosuch.test") == .noSuchDomain)
        #expect(await resolver.mailRoute(for: "textonly.test") == .unroutable("textonly.test has no MX and no A or AAAA records"))
        #expect(
            await resolver.mailRoute(for: "lost.test")
                == .unroutable("no MX host of lost.test has an A or AAAA record (gone.lost.test)"))
        await dnsmasq.stop()
    }

    @Test("CNAMEs are followed: for the domain, for its MX, for an MX host")
    func cnames() async throws {
        let dnsmasq = try await Dnsmasq(records: Self.records)
        let resolver = try Resolvers.make(dnsmasq.nameserver)
        #expect(
            await resolver.mailRoute(for: "alias.test")
                == .hosts([MailHost(name: "alias.test", preference: 0, addresses: ["127.0.0.30", "::30"])]))
        #expect(await resolver.mailRoute(for: "mail-alias.test") == (await resolver.mailRoute(for: "shop.test")))
        #expect(
            await resolver.mailRoute(for: "via-alias.test")
                == .hosts([MailHost(name: "mx-alias.via-alias.test", preference: 5, addresses: ["127.0.0.20"])]))
        await dnsmasq.stop()
    }

    @Test("a name outside the served zone is REFUSED: a temporary failure naming the nameserver")
    func refused() async throws {
        let dnsmasq = try await Dnsmasq(records: Self.records)
        let resolver = try Resolvers.make(dnsmasq.nameserver, attempts: 2)
        #expect(
            await resolver.mailRoute(for: "example.org")
                == .temporaryFailure("DNS lookup of MX for example.org failed with REFUSED (\(dnsmasq.nameserver))"))
        await dnsmasq.stop()
    }

    @Test("the cache answers again once dnsmasq is gone")
    func cacheOutlivesServer() async throws {
        let dnsmasq = try await Dnsmasq(records: Self.records)
        let resolver = try Resolvers.make(dnsmasq.nameserver, timeout: .milliseconds(300))
        let first = await resolver.mailRoute(for: "shop.test")
        guard case .hosts(let hosts) = first else {
            Issue.record("no hosts: \(first)")
            return
        }
        #expect(hosts.count == 2)
        await dnsmasq.stop()
        #expect(await resolver.mailRoute(for: "shop.test") == first)
        #expect(await resolver.mailRoute(for: "Shop.TEST.") == first)
        // Not cached: asking for it now times out against the stopped server.
        guard case .temporaryFailure(let reason) = await resolver.mailRoute(for: "plain.test") else {
            Issue.record("plain.test should not be answered without the server")
            return
        }
        #expect(reason.contains("timed out"))
    }

    @Test("address literals need no DNS at all", arguments: [
        ("[127.0.0.1]", "127.0.0.1"),
        ("[IPv6:::1]", "::1"),
        ("[ipv6:2001:DB8:0:0::1]", "2001:db8::1"),
    ])
    func addressLiteral(_ domain: String, _ address: String) async throws {
        // A nameserver that is not there: any query would time out.
        let resolver = try Resolvers.make("127.0.0.1:9", timeout: .seconds(30))
        #expect(await resolver.mailRoute(for: domain) == .hosts([MailHost(name: domain, preference: 0, addresses: [address])]))
    }

    @Test("a literal that is not an address, or a name that is not a name, is unroutable", arguments: [
        "[127.0.0.256]", "[::1]", "[IPv6:127.0.0.1]", "[tag:stuff]", "", "a..b",
    ])
    func notRoutable(_ domain: String) async throws {
        let resolver = try Resolvers.make("127.0.0.1:9", timeout: .seconds(30))
        guard case .unroutable = await resolver.mailRoute(for: domain) else {
            Issue.record("\(domain) should be unroutable")
            return
        }
    }
}
