public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What `Time` and `MicroTime` share: RFC 3339 text kept as written, ordered by instant, coded as a string.
public protocol RFC3339Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The RFC 3339 text.
    var rawValue: String { get }
    /// Wraps RFC 3339 text as is.
    init(rawValue: String)
    /// The digits of fraction written when a date is formatted.
    static var fractionalDigits: Int { get }
}

extension RFC3339Timestamp {
    /// Formats a date in UTC with `fractionalDigits` digits of fraction.
    public init(_ date: Date) {
        self.init(rawValue: Time.format(date, fractionalDigits: Self.fractionalDigits))
    }

    /// The current time, to `fractionalDigits`.
    public static func now() -> Self { Self(Date()) }

    /// The parsed date, or `nil` if the text is not RFC 3339.
    public var date: Date? { Time.parse(rawValue) }

    /// The RFC 3339 text.
    public var description: String { rawValue }

    /// Orders by instant; unparseable times sort first.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.date ?? .distantPast) < (rhs.date ?? .distantPast)
    }

    /// Decodes from a string.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes as a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A timestamp serialized as an RFC 3339 string with second precision, e.g. `2026-11-25T10:00:00Z`.
public struct Time: RFC3339Timestamp {
    public var rawValue: String
    public static let fractionalDigits = 0

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` in UTC, the fraction truncated to `fractionalDigits` (with the C
    /// library's `gmtime_r`: a Calendar per call was a twentieth of the api's CPU per create).
    static func format(_ date: Date, fractionalDigits: Int) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        var time = time_t(whole)
        var parts = tm()
        gmtime_r(&time, &parts)
        var text = ""
        text.reserveCapacity(32)
        func append(_ value: Int, width: Int) {
            let digits = String(value)
            if digits.utf8.count < width { text += String(repeating: "0", count: width - digits.utf8.count) }
            text += digits
        }
        append(Int(parts.tm_year) + 1900, width: 4)
        text += "-"
        append(Int(parts.tm_mon) + 1, width: 2)
        text += "-"
        append(Int(parts.tm_mday), width: 2)
        text += "T"
        append(Int(parts.tm_hour), width: 2)
        text += ":"
        append(Int(parts.tm_min), width: 2)
        text += ":"
        append(Int(parts.tm_sec), width: 2)
        if fractionalDigits > 0 {
            let scale = pow(10, Double(fractionalDigits))
            text += "."
            append(Int(((seconds - whole) * scale).rounded(.down)), width: fractionalDigits)
        }
        return text + "Z"
    }

    /// Parses RFC 3339, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` with any number of fraction digits: the one
    /// parser of timestamps (objects' times, CRI log lines).
    public static func parse(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        guard scalars.count >= 20 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count else { return nil }
            return Int(String(decoding: scalars[range], as: UTF8.self))
        }
        guard let year = number(0..<4), scalars[4] == UInt8(ascii: "-"), let month = number(5..<7),
            scalars[7] == UInt8(ascii: "-"), let day = number(8..<10),
            scalars[10] == UInt8(ascii: "T") || scalars[10] == UInt8(ascii: "t") || scalars[10] == UInt8(ascii: " "),
            let hour = number(11..<13), scalars[13] == UInt8(ascii: ":"), let minute = number(14..<16),
            scalars[16] == UInt8(ascii: ":"), let second = number(17..<19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if scalars[index] == UInt8(ascii: ".") {
            let start = index
            index += 1
            while index < scalars.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(scalars[index]) { index += 1 }
            fraction = Double("0" + String(decoding: scalars[start..<index], as: UTF8.self)) ?? 0
        }
        guard index < scalars.count else { return nil }
        var offset = 0
        switch scalars[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == scalars.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == scalars.count, let hours = number(index + 1..<index + 3),
                scalars[index + 3] == UInt8(ascii: ":"), let minutes = number(index + 4..<index + 6)
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (scalars[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let base = calendar.date(from: components) else { return nil }
        return base.addingTimeInterval(fraction - Double(offset))
    }
}

/// A timestamp with microsecond precision, e.g. `2026-11-25T10:00:00.123456Z` (used by events and leases).
public struct MicroTime: RFC3339Timestamp {
    public var rawValue: String
    public static let fractionalDigits = 6

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
