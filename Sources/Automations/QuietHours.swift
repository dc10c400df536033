public import Foundation

/// Hours of the day in the shop's time zone when no marketing mail goes
/// out (`[marketing] quiet_hours = "21:00-08:00"`): a job due then waits
/// for the end of the window. The window may run past midnight; an empty
/// one (`"08:00-08:00"`) is refused when read.
public struct QuietHours: Sendable, Hashable, CustomStringConvertible {
    /// Minutes after midnight.
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        precondition((0..<1440).contains(start) && (0..<1440).contains(end) && start != end)
        self.start = start
        self.end = end
    }

    /// Reads `"21:00-08:00"` (24-hour clock); nil when it is not such a window.
    public init?(parsing text: String) {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2, let start = Self.minutes(ends[0]), let end = Self.minutes(ends[1]), start != end else {
            return nil
        }
        self.init(start: start, end: end)
    }

    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    /// Whether `minute` (after midnight) falls in the window: from `start`
    /// inclusive to `end` exclusive.
    func contains(minute: Int) -> Bool {
        start < end ? (start..<end).contains(minute) : (minute >= start || minute < end)
    }

    /// The end of the window when `time` (seconds since 1970) falls in it,
    /// as local time in `zone` says; nil when mail may go at `time`. Across
    /// a daylight-saving change the end is the first moment the clock
    /// shows `end` or later.
    public func end(ifQuietAt time: Double, in zone: TimeZone) -> Double? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = Date(timeIntervalSince1970: time)
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        guard contains(minute: minute) else { return nil }
        let wanted = DateComponents(hour: end / 60, minute: end % 60, second: 0)
        let next = calendar.nextDate(after: date, matching: wanted, matchingPolicy: .nextTime) ?? date
        return next.timeIntervalSince1970
    }

    public var description: String {
        String(format: "%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60)
    }
}
