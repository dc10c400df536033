import DNS
import Testing

@testable import Delivery

@Suite("DNS cache")
struct DNSCacheTests {
    let start = ContinuousClock.now
    let key = DNSCache.Key(name: try! DNSName("example.test"), type: .a)

    func answer(ttls: [UInt32], code: DNSResponseCode = .noError, soa: (ttl: UInt32, minimum: UInt32)? = nil) -> DNSMessage {
        let name = try! DNSName("example.test")
        return DNSMessage(
            id: 1, isResponse: true, responseCode: code, questions: [DNSQuestion(name: name, type: .a)],
            answers: ttls.enumerated().map { DNSRecord(name: name, ttl: $0.element, data: .a([192, 0, 2, UInt8($0.offset)])) },
            authorities: soa.map {
                [
                    DNSRecord(
                        name: try! DNSName("test"), ttl: $0.ttl,
                        data: .soa(
                            mname: try! DNSName("ns.test"), rname: try! DNSName("hostmaster.test"),
                            serial: 1, refresh: 2, retry: 3, expire: 4, minimum: $0.minimum))
                ]
            } ?? [])
    }

    @Test("a positive answer lives for the smallest TTL of its records, TTLs counting down")
    func positive() {
        var cache = DNSCache(capacity: 10, maximumTTL: 86_400)
        cache.store(answer(ttls: [300, 60]), for: key, now: start)
        let later = cache.lookup(key, now: start + .seconds(20))
        let lastSecond = cache.lookup(key, now: start + .seconds(59))
        let expired = cache.lookup(key, now: start + .seconds(60))
        #expect(later?.answers.map(\.ttl) == [280, 40])
        #expect(lastSecond?.answers.map(\.ttl) == [241, 1])
        #expect(expired == nil)
        #expect(cache.count == 0)
    }

    @Test("negative answers live for the SOA's negative TTL, and are not kept without an SOA")
    func negative() {
        var cache = DNSCache(capacity: 10, maximumTTL: 86_400)
        cache.store(answer(ttls: [], code: .nameError, soa: (ttl: 3600, minimum: 30)), for: key, now: start)
        let nxdomain = [29, 30].map { cache.lookup(key, now: start + .seconds($0)) }
        #expect(nxdomain.map { $0?.responseCode } == [.nameError, nil])

        cache.store(answer(ttls: [], soa: (ttl: 10, minimum: 600)), for: key, now: start)
        let nodata = [9, 10].map { cache.lookup(key, now: start + .seconds($0)) }
        #expect(nodata.map { $0?.responseCode } == [.noError, nil])

        cache.store(answer(ttls: [], code: .nameError), for: key, now: start)
        let withoutSOA = cache.lookup(key, now: start)
        #expect(withoutSOA == nil)
    }

    @Test(
        "failures, truncated answers and TTL 0 are not kept; long TTLs are capped",
        arguments: [DNSResponseCode.serverFailure, .refused])
    func notKept(_ code: DNSResponseCode) {
        var cache = DNSCache(capacity: 10, maximumTTL: 100)
        var truncated = answer(ttls: [300])
        truncated.isTruncated = true
        for message in [answer(ttls: [300], code: code), truncated, answer(ttls: [0])] {
            cache.store(message, for: key, now: start)
            #expect(cache.count == 0)
        }
        cache.store(answer(ttls: [1_000_000]), for: key, now: start)
        let kept = [99, 100].map { cache.lookup(key, now: start + .seconds($0)) != nil }
        #expect(kept == [true, false])
    }

    @Test("a full cache drops expired answers first, then those closest to expiry")
    func bounded() throws {
        var cache = DNSCache(capacity: 3, maximumTTL: 86_400)
        let keys = try (0..<5).map { DNSCache.Key(name: try DNSName("h\($0).test"), type: .a) }
        let now = start + .seconds(20)
        cache.store(answer(ttls: [10]), for: keys[0], now: start)
        cache.store(answer(ttls: [500]), for: keys[1], now: start)
        cache.store(answer(ttls: [100]), for: keys[2], now: start)
        cache.store(answer(ttls: [500]), for: keys[3], now: now)
        #expect(cache.count == 3, "keys[0] had expired and made room")
        cache.store(answer(ttls: [500]), for: keys[4], now: now)
        #expect(cache.count == 3)
        let held = keys.map { cache.lookup($0, now: now) != nil }
        #expect(held == [false, true, false, true, true], "keys[2] was closest to expiry")
    }

    @Test("capacity 0 turns the cache off")
    func off() {
        var cache = DNSCache(capacity: 0, maximumTTL: 86_400)
        cache.store(answer(ttls: [300]), for: key, now: start)
        #expect(cache.count == 0)
    }
}
