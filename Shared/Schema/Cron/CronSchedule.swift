public import Foundation

/// A parsed cron schedule (5 fields, `@hourly`-style descriptors, optional `CRON_TZ=`/`TZ=` prefix).
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// Allowed minutes 0-59.
    public let minutes: Set<Int>
    /// Allowed hours 0-23.
    public let hours: Set<Int>
    /// Allowed days of the month 1-31.
    public let daysOfMonth: Set<Int>
    /// Allowed months 1-12.
    public let months: Set<Int>
    /// Allowed weekdays 0-6, Sunday is 0.
    public let daysOfWeek: Set<Int>
    /// The time zone named by a `CRON_TZ=` or `TZ=` prefix, overriding the caller's.
    public let timeZone: TimeZone?
    /// The schedule as written.
    public let text: String
    private let dayOfMonthIsStar: Bool
    private let dayOfWeekIsStar: Bool

    private static let monthNames = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
        "nov": 11, "dec": 12,
    ]
    private static let dayNames = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]
    private static let descriptors = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Parses a schedule; errors explain what is wrong, like Kubernetes' cron library.
    public init(parsing text: String) throws(SchemaError) {
        self.text = text
        var spec = text.trimmingCharacters(in: .whitespaces)
        var zone: TimeZone?
        if spec.hasPrefix("CRON_TZ=") || spec.hasPrefix("TZ=") {
            guard let space = spec.firstIndex(of: " ") else {
                throw SchemaError.cron("provided bad location \(spec): missing schedule after time zone")
            }
            let name = String(spec[spec.index(after: spec.firstIndex(of: "=")!)..<space])
            guard let parsed = TimeZone(identifier: name) else {
                throw SchemaError.cron("provided bad location \(name): unknown time zone \(name)")
            }
            zone = parsed
            spec = String(spec[space...]).trimmingCharacters(in: .whitespaces)
        }
        timeZone = zone
        if spec.hasPrefix("@") {
            guard let expanded = CronSchedule.descriptors[spec.lowercased()] else {
                throw SchemaError.cron("unrecognized descriptor: \(spec)")
            }
            spec = expanded
        }
        let fields = spec.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw SchemaError.cron(
                "expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]")
        }
        minutes = try CronSchedule.field(fields[0], 0...59, names: [:])
        hours = try CronSchedule.field(fields[1], 0...23, names: [:])
        daysOfMonth = try CronSchedule.field(fields[2], 1...31, names: [:])
        months = try CronSchedule.field(fields[3], 1...12, names: CronSchedule.monthNames)
        // 7 is accepted as Sunday.
        let weekdays = try CronSchedule.field(fields[4], 0...7, names: CronSchedule.dayNames)
        daysOfWeek = Set(weekdays.map { $0 == 7 ? 0 : $0 })
        dayOfMonthIsStar = fields[2].hasPrefix("*") || fields[2].hasPrefix("?")
        dayOfWeekIsStar = fields[4].hasPrefix("*") || fields[4].hasPrefix("?")
    }

    private static func field(_ text: String, _ bounds: ClosedRange<Int>, names: [String: Int]) throws(SchemaError)
        -> Set<Int>
    {
        var result = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            var rangeText = Substring(part)
            var step = 1
            if let slash = part.firstIndex(of: "/") {
                rangeText = part[..<slash]
                guard let parsed = Int(part[part.index(after: slash)...]), parsed > 0 else {
                    throw SchemaError.cron("failed to parse int from \(part[part.index(after: slash)...]) in \(text)")
                }
                step = parsed
            }
            var low: Int
            var high: Int
            if rangeText == "*" || rangeText == "?" {
                low = bounds.lowerBound
                high = bounds.upperBound
            } else if let dash = rangeText.firstIndex(of: "-") {
                low = try value(rangeText[..<dash], names, text)
                high = try value(rangeText[rangeText.index(after: dash)...], names, text)
            } else {
                low = try value(rangeText, names, text)
                // `5/15` means from 5 to the end in steps of 15.
                high = part.contains("/") ? bounds.upperBound : low
            }
            guard low >= bounds.lowerBound else {
                throw SchemaError.cron("beginning of range (\(low)) below minimum (\(bounds.lowerBound)): \(part)")
            }
            guard high <= bounds.upperBound else {
                throw SchemaError.cron("end of range (\(high)) above maximum (\(bounds.upperBound)): \(part)")
            }
            guard low <= high else {
                throw SchemaError.cron("beginning of range (\(low)) beyond end of range (\(high)): \(part)")
            }
            result.formUnion(stride(from: low, through: high, by: step))
        }
        return result
    }

    private static func value(_ text: Substring, _ names: [String: Int], _ field: String) throws(SchemaError) -> Int {
        if let number = Int(text) { return number }
        if let named = names[text.lowercased()] { return named }
        throw SchemaError.cron("failed to parse int from \(text) in \(field)")
    }

    /// The schedule as written.
    public var description: String { text }

    /// The first matching minute strictly after `date`, in the schedule's zone or else `zone`; `nil` within 5 years.
    public func next(after date: Date, in zone: TimeZone = TimeZone(identifier: "UTC")!) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone ?? zone
        // Start at the next whole minute.
        guard let minuteStart = calendar.dateInterval(of: .minute, for: date)?.start,
            var candidate = calendar.date(byAdding: .minute, value: 1, to: minuteStart)
        else { return nil }
        let limit = date.addingTimeInterval(5 * 366 * 24 * 3600)
        while candidate <= limit {
            let parts = calendar.dateComponents([.month, .day, .weekday, .hour, .minute], from: candidate)
            guard let month = parts.month, let day = parts.day, let weekday = parts.weekday, let hour = parts.hour,
                let minute = parts.minute
            else { return nil }
            if !months.contains(month) {
                guard let monthStart = calendar.dateInterval(of: .month, for: candidate)?.end else { return nil }
                candidate = monthStart
                continue
            }
            if !dayMatches(day: day, weekday: weekday - 1) {
                guard let next = calendar.dateInterval(of: .day, for: candidate)?.end else { return nil }
                candidate = next
                continue
            }
            if !hours.contains(hour) {
                guard let next = calendar.dateInterval(of: .hour, for: candidate)?.end else { return nil }
                candidate = next
                continue
            }
            if !minutes.contains(minute) {
                candidate = candidate.addingTimeInterval(60)
                continue
            }
            return candidate
        }
        return nil
    }

    private func dayMatches(day: Int, weekday: Int) -> Bool {
        let domMatch = daysOfMonth.contains(day)
        let dowMatch = daysOfWeek.contains(weekday)
        // Standard cron: if either day field is restricted and the other is `*`, only the restricted one counts;
        // if both are restricted, either may match.
        if dayOfMonthIsStar || dayOfWeekIsStar { return domMatch && dowMatch }
        return domMatch || dowMatch
    }
}
