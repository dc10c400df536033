@testable import Delivery
@testable import Spool
import Testing

@Suite("retry schedule, pacing and job splitting")
struct SchedulingTests {
    @Test("backoff doubles from the minimum to the maximum")
    func backoff() {
        let schedule = RetrySchedule(minBackoff: 300, maxBackoff: 3600, maxLifetime: 432_000)
        let delays = (0..<6).map { attempts -> Double in
            guard case .retry(let at) = schedule.afterTemporaryFailure(attempts: attempts, arrival: 0, now: 1000) else {
                return -1
            }
            return at - 1000
        }
        #expect(delays == [300, 600, 1200, 2400, 3600, 3600])
    }

    @Test("the last retry is moved up to the lifetime's end, then the recipient expires")
    func expiry() {
        let schedule = RetrySchedule(minBackoff: 300, maxBackoff: 3600, maxLifetime: 1000)
        #expect(schedule.afterTemporaryFailure(attempts: 3, arrival: 0, now: 900) == .retry(at: 1000))
        #expect(schedule.afterTemporaryFailure(attempts: 4, arrival: 0, now: 1000) == .expire)
        #expect(schedule.afterTemporaryFailure(attempts: 0, arrival: 0, now: 5000) == .expire)
    }

    @Test("a pacer spaces sends evenly and does not bank idle time")
    func pacer() {
        var pacer = Pacer(count: 10, perSeconds: 1)
        let took100 = pacer.take(now: 100)
        #expect(took100)
        let took100_05 = pacer.take(now: 100.05)
        #expect(!took100_05)
        #expect(pacer.nextAllowed(now: 100.05) == 100.1)
        // Woken 20 ms late: the next slot still follows the schedule.
        let took100_12 = pacer.take(now: 100.12)
        #expect(took100_12)
        #expect(abs(pacer.nextAllowed(now: 100.12) - 100.2) < 1e-9)
        // After a quiet minute, one send, then the interval again — no burst.
        let took160 = pacer.take(now: 160)
        #expect(took160)
        let took160_01 = pacer.take(now: 160.01)
        #expect(!took160_01)
    }

    @Test("jobs: one per message under relay, one per message and domain under mx")
    func split() throws {
        let id = QueueID(value: 42)
        let envelope = SpoolEnvelope(
            queueID: id, sender: "a@shop.example", recipients: ["x@one.example", "y@TWO.example", "z@one.example"],
            arrival: 0)
        let recipients = envelope.recipients.enumerated().map { SpooledRecipient(position: $0, address: $1, attempts: 0) }
        let message = SpooledMessage(
            envelope: envelope, location: RecordLocation(segment: 1, offset: 0, headerLength: 1, bodyLength: 1),
            recipients: recipients)
        let relay = DeliveryJob.split([message], route: .relay, now: 1)
        #expect(relay.map(\.destination) == ["relay"])
        #expect(relay[0].message.recipients.count == 3)
        let mx = DeliveryJob.split([message], route: .mx, now: 1)
        #expect(mx.map(\.destination) == ["one.example", "two.example"])
        #expect(mx[0].message.recipients.map(\.position) == [0, 2])
        #expect(DeliveryJob.domain(of: "a@[127.0.0.1]") == "[127.0.0.1]")
        #expect(DeliveryJob.domain(of: "a@Example.COM.") == "example.com")
    }
}
