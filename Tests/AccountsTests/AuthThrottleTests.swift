import Testing

@testable import Accounts

/// The AUTH brute-force throttle, on a clock the tests move.
@Suite("AUTH throttle")
struct AuthThrottleTests {
    private let clock = ManualClock()

    private func throttle(_ policy: AuthThrottle.Policy = .init()) -> AuthThrottle {
        AuthThrottle(policy: policy, now: clock.reading)
    }

    @Test("delays double with each failure and stop at the cap")
    func delaysGrowAndCap() {
        let throttle = throttle(.init(maxFailures: 10))
        let verdicts = (1...9).map { _ in throttle.recordFailure(address: "192.0.2.1") }
        let expected: [AuthThrottle.Verdict] = [
            .retry(after: .milliseconds(500)), .retry(after: .seconds(1)), .retry(after: .seconds(2)),
            .retry(after: .seconds(4)), .retry(after: .seconds(8)), .retry(after: .seconds(8)),
            .retry(after: .seconds(8)), .retry(after: .seconds(8)), .retry(after: .seconds(8)),
        ]
        #expect(verdicts == expected)
    }

    @Test("the 5th failure within the window disconnects and blocks the address, and only that one")
    func fifthFailureDisconnects() {
        let throttle = throttle()
        for expected in [Duration.milliseconds(500), .seconds(1), .seconds(2), .seconds(4)] {
            #expect(throttle.recordFailure(address: "192.0.2.1") == .retry(after: expected))
            #expect(!throttle.isBlocked(address: "192.0.2.1"))
            clock.advance(by: .seconds(30))
        }
        #expect(throttle.recordFailure(address: "192.0.2.1") == .disconnect)
        #expect(throttle.isBlocked(address: "192.0.2.1"))
        #expect(!throttle.isBlocked(address: "192.0.2.2"))
        #expect(throttle.recordFailure(address: "192.0.2.2") == .retry(after: .milliseconds(500)))
    }

    @Test("a failure from a blocked address, on a connection opened before, disconnects too")
    func failureWhileBlocked() {
        let throttle = throttle()
        for _ in 1...5 { _ = throttle.recordFailure(address: "2001:db8::1") }
        #expect(throttle.recordFailure(address: "2001:db8::1") == .disconnect)
    }

    @Test("the block ends after the cool-down, and counting starts over")
    func coolDownExpires() {
        let throttle = throttle()
        for _ in 1...5 { _ = throttle.recordFailure(address: "192.0.2.1") }
        clock.advance(by: .seconds(599))
        #expect(throttle.isBlocked(address: "192.0.2.1"))
        clock.advance(by: .seconds(1))
        #expect(!throttle.isBlocked(address: "192.0.2.1"))
        #expect(throttle.recordFailure(address: "192.0.2.1") == .retry(after: .milliseconds(500)))
    }

    @Test("failures older than the window no longer count")
    func windowSlides() {
        let throttle = throttle()
        for _ in 1...4 { _ = throttle.recordFailure(address: "192.0.2.1") }
        clock.advance(by: .seconds(600))
        #expect(throttle.recordFailure(address: "192.0.2.1") == .retry(after: .milliseconds(500)))
        #expect(!throttle.isBlocked(address: "192.0.2.1"))
    }

    @Test("a success clears the failures")
    func successClears() {
        let throttle = throttle()
        for _ in 1...4 { _ = throttle.recordFailure(address: "192.0.2.1") }
        throttle.recordSuccess(address: "192.0.2.1")
        #expect(throttle.trackedAddresses == 0)
        #expect(throttle.recordFailure(address: "192.0.2.1") == .retry(after: .milliseconds(500)))
    }

    @Test("a success does not lift a block in force")
    func successKeepsBlock() {
        let throttle = throttle()
        for _ in 1...5 { _ = throttle.recordFailure(address: "192.0.2.1") }
        throttle.recordSuccess(address: "192.0.2.1")
        #expect(throttle.isBlocked(address: "192.0.2.1"))
    }

    @Test("the table never holds more than maxAddresses, dropping the least recently seen")
    func tableBounded() {
        let throttle = throttle(.init(maxAddresses: 1000))
        for index in 0..<5000 {
            _ = throttle.recordFailure(address: "10.0.\(index / 256).\(index % 256)")
            #expect(throttle.trackedAddresses <= 1000)
        }
        // The newest address is remembered, the oldest forgotten.
        #expect(throttle.recordFailure(address: "10.0.19.135") == .retry(after: .seconds(1)))
        #expect(throttle.recordFailure(address: "10.0.0.0") == .retry(after: .milliseconds(500)))
    }

    @Test("entries past their window and cool-down are swept out")
    func staleEntriesSwept() {
        let throttle = throttle()
        for index in 0..<100 { _ = throttle.recordFailure(address: "10.0.0.\(index)") }
        for _ in 1...5 { _ = throttle.recordFailure(address: "192.0.2.1") }
        #expect(throttle.trackedAddresses == 101)
        clock.advance(by: .seconds(601))
        _ = throttle.recordFailure(address: "192.0.2.99")
        #expect(throttle.trackedAddresses == 1)
    }
}
