import Delivery
import PoshtaTestSupport
import Testing

@Suite("Resolver configuration")
struct ResolverConfigurationTests {
    @Test("resolv.conf: nameservers in order, IPv6 with scope, comments, options")
    func resolvConf() throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write(
            """
            # written by hand
            ; another comment
            search example.com
            nameserver 192.0.2.53
            nameserver\t2001:db8::53
              nameserver fe80::1%eth0   # link-local
            nameserver not-an-address
            nameserver 192.0.2.54
            options ndots:2 timeout:3 rotate attempts:4

            """, to: "resolv.conf")
        let configuration = try ResolverConfiguration.system(resolvConf: file)
        #expect(configuration.nameservers.map(\.description) == ["192.0.2.53:53", "[2001:db8::53]:53", "[fe80::1]:53"])
        #expect(configuration.timeout == .seconds(3))
        #expect(configuration.attempts == 4)
    }

    @Test("resolv.conf: more than three nameservers are ignored, options are capped like glibc")
    func limits() throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write(
            (1...5).map { "nameserver 192.0.2.\($0)\n" }.joined() + "options timeout:99 attempts:0\n", to: "resolv.conf")
        let configuration = try ResolverConfiguration.system(resolvConf: file)
        #expect(configuration.nameservers.map(\.host) == ["192.0.2.1", "192.0.2.2", "192.0.2.3"])
        #expect(configuration.timeout == .seconds(30))
        #expect(configuration.attempts == 1)
    }

    @Test("resolv.conf without nameserver, or missing, means 127.0.0.1:53 with 5 s and 2 attempts")
    func defaults() throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write("# nothing here\nsearch example.com\n", to: "resolv.conf")
        for configuration in [
            try ResolverConfiguration.system(resolvConf: file),
            try ResolverConfiguration.system(resolvConf: "\(folder.path)/missing.conf"),
        ] {
            #expect(configuration.nameservers == [Nameserver(host: "127.0.0.1", port: 53)])
            #expect(configuration.timeout == .seconds(5))
            #expect(configuration.attempts == 2)
        }
    }

    @Test(
        "a configured nameserver is an IP address with an optional port",
        arguments: [
            ("127.0.0.1:5353", "127.0.0.1", 5353),
            ("127.0.0.1", "127.0.0.1", 53),
            ("[::1]:53", "::1", 53),
            ("[::1]", "::1", 53),
            ("::1", "::1", 53),
            ("[fe80::1%lo]:5300", "fe80::1", 5300),
        ])
    func nameserver(_ text: String, _ host: String, _ port: Int) throws {
        let configuration = try ResolverConfiguration(nameserver: text)
        #expect(configuration.nameservers == [Nameserver(host: host, port: port)])
    }

    @Test(
        "anything else is refused with a reason",
        arguments: ["", "dns.example:53", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:x", "[::1", "[::1]x", "300.0.0.1"])
    func invalidNameserver(_ text: String) {
        #expect(throws: ResolverConfigurationError.invalidNameserver(text)) {
            try ResolverConfiguration(nameserver: text)
        }
    }
}
