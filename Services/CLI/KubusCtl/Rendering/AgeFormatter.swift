public import Foundation
import Schema

/// Formats durations the way kubectl's AGE column does (`5s`, `3m2s`, `5h`, `2d`).
public enum AgeFormatter {
    /// kubectl's `HumanDuration` for a duration in seconds.
    public static func human(seconds: Int64) -> String {
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// The age of an RFC 3339 timestamp at `now`, or `<unknown>`.
    public static func age(of timestamp: String?, now: Date) -> String {
        guard let timestamp, let date = parse(timestamp) else { return "<unknown>" }
        return human(seconds: Int64(now.timeIntervalSince(date).rounded(.down)))
    }

    /// Parses an RFC 3339 timestamp, with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        Time(rawValue: text).date ?? MicroTime(rawValue: text).date
    }
}
