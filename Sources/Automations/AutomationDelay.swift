import Foundation

/// How long an automation waits: `"2h"`, `"3d"`, `"4w"`, `"6mo"`, `"1y"`,
/// or in words (`"2 hours"`, `"3 days"`, also Bulgarian and Macedonian: `"2 часа"`, `"3 дни"`, `"3 дена"`); months and years are calendar
/// months and years, the rest fixed lengths.
public struct AutomationDelay: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, CaseIterable {
        case seconds = "s", minutes = "m", hours = "h", days = "d", weeks = "w", months = "mo", years = "y"

        var seconds: Double? {
            switch self {
            case .seconds: 1
            case .minutes: 60
            case .hours: 3_600
            case .days: 86_400
            case .weeks: 604_800
            case .months, .years: nil
            }
        }
    }

    public var value: Int
    public var unit: Unit

    public init(_ value: Int, _ unit: Unit) {
        self.value = value
        self.unit = unit
    }

    /// Reads `"3d"`, `"3 days"`, `"2 hours"`, `"0"`; nil when it is not a delay.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = trimmed.prefix(while: \.isNumber)
        guard let value = Int(digits), value >= 0, value <= 100_000 else { return nil }
        let word = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        let words: [String: Unit] = [
            "": .seconds, "s": .seconds, "sec": .seconds, "second": .seconds, "seconds": .seconds,
            "m": .minutes, "min": .minutes, "minute": .minutes, "minutes": .minutes,
            "h": .hours, "hour": .hours, "hours": .hours, "d": .days, "day": .days, "days": .days,
            "w": .weeks, "week": .weeks, "weeks": .weeks, "mo": .months, "month": .months, "months": .months,
            "y": .years, "year": .years, "years": .years,
        ]
        guard let unit = words[word] ?? Self.cyrillicWords[word] else { return nil }
        self.init(value, unit)
    }

    /// Bulgarian and Macedonian unit words, as a shop owner types them in the console.
    static let cyrillicWords: [String: Unit] = [
        "секунда": .seconds, "секунди": .seconds, "минута": .minutes, "минути": .minutes,
        "час": .hours, "часа": .hours, "часове": .hours, "часови": .hours,
        "ден": .days, "дни": .days, "дена": .days, "денови": .days,
        "седмица": .weeks, "седмици": .weeks, "недела": .weeks, "недели": .weeks,
        "месец": .months, "месеца": .months, "месеци": .months, "година": .years, "години": .years,
    ]

    /// The time this long after `time` (seconds since 1970; months and years in UTC's calendar).
    public func after(_ time: Double) -> Double {
        if let seconds = unit.seconds { return time + Double(value) * seconds }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let component: Calendar.Component = unit == .months ? .month : .year
        let start = Date(timeIntervalSince1970: time)
        return (calendar.date(byAdding: component, value: value, to: start) ?? start).timeIntervalSince1970
    }

    public var description: String { "\(value)\(unit.rawValue)" }
}
