/// At most so many marketing mails to one customer in any 24 hours
/// (`[marketing] max_per_day`): a job that would exceed it waits until the
/// oldest of those mails is a day old. A rolling day, not the calendar's,
/// so that a mail at 23:59 and one at 00:01 do not both pass as "one a day".
public struct FrequencyCap: Sendable, Hashable {
    public static let window: Double = 86_400

    /// 0: no cap.
    public var maxPerDay: Int

    public init(maxPerDay: Int) {
        self.maxPerDay = maxPerDay
    }

    /// When the next mail may go, given the times of the mails sent in the
    /// day before `now`; nil when it may go at once.
    public func nextAllowed(now: Double, sent: [Double]) -> Double? {
        guard maxPerDay > 0 else { return nil }
        let recent = sent.filter { $0 > now - Self.window && $0 <= now }.sorted()
        guard recent.count >= maxPerDay else { return nil }
        // Once the oldest `count - max + 1` have aged out, one fewer than the cap remains.
        return recent[recent.count - maxPerDay] + Self.window
    }
}
