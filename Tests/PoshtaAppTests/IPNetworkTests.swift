import NIOCore
import SMTPServer
import Testing

@Suite("IPNetwork")
struct IPNetworkTests {
    private func address(_ ip: String) throws -> SocketAddress {
        try SocketAddress(ipAddress: ip, port: 25)
    }

    @Test("an IPv4 network contains exactly the addresses under its prefix")
    func ipv4Containment() throws {
        let network = try #require(IPNetwork("127.0.0.0/8"))
        #expect(network.contains(try address("127.0.0.1")))
        #expect(network.contains(try address("127.255.255.255")))
        #expect(!network.contains(try address("128.0.0.1")))
        #expect(!network.contains(try address("10.0.0.1")))
        #expect(network.description == "127.0.0.0/8")
    }

    @Test("a bare IPv4 address is a /32 network holding only itself")
    func bareIPv4() throws {
        let network = try #require(IPNetwork("10.1.2.3"))
        #expect(network.description == "10.1.2.3/32")
        #expect(network.contains(try address("10.1.2.3")))
        #expect(!network.contains(try address("10.1.2.4")))
    }

    @Test("host bits are accepted and cleared in the canonical form")
    func hostBitsCleared() throws {
        let network = try #require(IPNetwork("192.168.77.9/16"))
        #expect(network.description == "192.168.0.0/16")
        #expect(network == IPNetwork("192.168.0.0/16"))
        #expect(network.contains(try address("192.168.200.1")))
        #expect(!network.contains(try address("192.169.0.1")))
    }

    @Test("prefix 0 contains every address of its family")
    func prefixZero() throws {
        let v4 = try #require(IPNetwork("0.0.0.0/0"))
        #expect(v4.contains(try address("1.2.3.4")))
        #expect(v4.contains(try address("255.255.255.255")))
        #expect(v4.description == "0.0.0.0/0")
        let v6 = try #require(IPNetwork("::/0"))
        #expect(v6.contains(try address("2001:db8::1")))
        #expect(v6.description == "::/0")
    }

    @Test("IPv6 networks match IPv6 peers by prefix")
    func ipv6Containment() throws {
        let loopback = try #require(IPNetwork("::1/128"))
        #expect(loopback.contains(try address("::1")))
        #expect(!loopback.contains(try address("::2")))
        #expect(loopback.description == "::1/128")

        let documentation = try #require(IPNetwork("2001:DB8:0:0:1::/32"))
        #expect(documentation.description == "2001:db8::/32")
        #expect(documentation.contains(try address("2001:db8:ffff::1")))
        #expect(!documentation.contains(try address("2001:db9::1")))

        let odd = try #require(IPNetwork("fe80::/10"))
        #expect(odd.contains(try address("febf::1")))
        #expect(!odd.contains(try address("fec0::1")))

        let wide = try #require(IPNetwork("2001:db8:1:2:3:4:5:6/100"))
        #expect(wide.description == "2001:db8:1:2:3:4::/100")
        #expect(wide.contains(try address("2001:db8:1:2:3:4:fff:1")))
        #expect(!wide.contains(try address("2001:db8:1:2:3:4:1000:0")))
    }

    @Test("a bare IPv6 address is a /128 network")
    func bareIPv6() throws {
        let network = try #require(IPNetwork("2001:db8::5"))
        #expect(network.description == "2001:db8::5/128")
        #expect(network.contains(try address("2001:db8::5")))
        #expect(!network.contains(try address("2001:db8::6")))
    }

    @Test("an IPv4-mapped IPv6 peer matches IPv4 networks")
    func mappedPeerMatchesIPv4() throws {
        let network = try #require(IPNetwork("127.0.0.0/8"))
        #expect(network.contains(try address("::ffff:127.0.0.1")))
        #expect(!network.contains(try address("::ffff:10.0.0.1")))
        // Not mapped: same low bits, different prefix.
        #expect(!network.contains(try address("::127.0.0.1")))
    }

    @Test("a mapped IPv6 network matches its IPv4 peer and its mapped form")
    func mappedNetwork() throws {
        let network = try #require(IPNetwork("::ffff:1.2.3.4/128"))
        #expect(network.description == "::ffff:1.2.3.4/128")
        #expect(network.contains(try address("::ffff:1.2.3.4")))
        #expect(network.contains(try address("1.2.3.4")))
        #expect(!network.contains(try address("1.2.3.5")))
    }

    @Test("IPv4 networks do not match IPv6 peers, nor IPv6 networks IPv4 peers")
    func familiesDoNotMix() throws {
        #expect(!(try #require(IPNetwork("0.0.0.0/0"))).contains(try address("2001:db8::1")))
        #expect(!(try #require(IPNetwork("::1/128"))).contains(try address("127.0.0.1")))
    }

    @Test("unix socket peers are never contained")
    func unixSocket() throws {
        let network = try #require(IPNetwork("0.0.0.0/0"))
        let peer = try SocketAddress(unixDomainSocketPath: "/tmp/poshta-test.sock")
        #expect(!network.contains(peer))
        #expect(!(try #require(IPNetwork("::/0"))).contains(peer))
    }

    @Test("invalid networks are rejected", arguments: [
        "", "/8", "127.0.0.0/", "127.0.0.0/33", "::1/129", "127.0.0.0/-1", "127.0.0.0/+8",
        "127.0.0.0/8/8", "127.0.0.0/a", "127.0.0", "127.0.0.256", "localhost", "1.2.3.4 ",
        "::1::2", "[::1]/128", "127.0.0.0/0008",
    ])
    func invalid(_ text: String) {
        #expect(IPNetwork(text) == nil)
    }

    @Test("the largest prefixes are valid")
    func maximumPrefixes() throws {
        #expect(IPNetwork("1.2.3.4/32")?.description == "1.2.3.4/32")
        #expect(IPNetwork("::1/128")?.description == "::1/128")
        #expect(IPNetwork("1.2.3.4/32") == IPNetwork("1.2.3.4"))
    }
}
