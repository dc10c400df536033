/// Spaces sends evenly to keep a rate such as "60/m": one send every
/// period/count seconds, no bursts.
///
/// Even spacing rather than a bucket that fills while idle: a receiver that
/// asked for 60 a minute should not see 60 in the first second after a
/// quiet hour, and arrivals then match the rate within a few percent.
public struct Pacer: Sendable, Hashable {
    /// Seconds between two sends.
    public let interval: Double
    private var nextSlot: Double = 0

    public init(count: Int, perSeconds: Int) {
        interval = Double(perSeconds) / Double(max(count, 1))
    }

    public init(_ rate: DeliveryConfiguration.Rate) {
        self.init(count: rate.count, perSeconds: rate.perSeconds)
    }

    /// The earliest time the next send may start.
    public func nextAllowed(now: Double) -> Double { max(now, nextSlot) }

    /// Takes the slot at `now` if it is free; returns false when too early.
    public mutating func take(now: Double) -> Bool {
        guard now >= nextSlot else { return false }
        // On schedule (woken a little late), the next slot follows the one
        // just used, so timer lateness does not add up and slow the rate; a
        // sender that was idle does not bank slots, its next is from now.
        let base = now - nextSlot < interval ? nextSlot : now
        nextSlot = base + interval
        return true
    }
}
