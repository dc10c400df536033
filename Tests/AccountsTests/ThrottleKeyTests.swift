import NIOCore
import Testing

import Accounts

@Suite("AUTH throttle keys")
struct ThrottleKeyTests {
    @Test("IPv4 clients are counted by address", arguments: ["127.0.0.1", "192.0.2.77"])
    func ipv4(_ text: String) throws {
        #expect(ThrottleKey.key(for: try SocketAddress(ipAddress: text, port: 25)) == text)
    }

    @Test("IPv6 clients are counted by their /64, so one client cannot walk its prefix")
    func ipv6() throws {
        let one = ThrottleKey.key(for: try SocketAddress(ipAddress: "2001:db8:1:2:aaaa::1", port: 25))
        let other = ThrottleKey.key(for: try SocketAddress(ipAddress: "2001:db8:1:2:bbbb::9", port: 25))
        let elsewhere = ThrottleKey.key(for: try SocketAddress(ipAddress: "2001:db8:1:3::1", port: 25))
        #expect(one == "2001:db8:1:2::/64")
        #expect(one == other)
        #expect(one != elsewhere)
    }

    @Test("an IPv4-mapped IPv6 peer is counted as the IPv4 address")
    func mapped() throws {
        #expect(ThrottleKey.key(for: try SocketAddress(ipAddress: "::ffff:192.0.2.5", port: 25)) == "192.0.2.5")
    }
}
