import Foundation
import Testing

@testable import Schema

/// Timestamps are written as Foundation's Calendar would have written them, in UTC, fraction truncated.
@Suite struct TimeFormatTests {
    static func calendarFormat(_ date: Date, fractionalDigits: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        var text = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!)
        if fractionalDigits > 0 {
            let seconds = date.timeIntervalSince1970
            let fraction = Int(((seconds - seconds.rounded(.down)) * pow(10, Double(fractionalDigits))).rounded(.down))
            text += "." + String(format: "%0\(fractionalDigits)d", fraction)
        }
        return text + "Z"
    }

    @Test func formatsAsTheCalendarDid() {
        #expect(Time(Date(timeIntervalSince1970: 0)).rawValue == "1970-01-01T00:00:00Z")
        #expect(MicroTime(Date(timeIntervalSince1970: 1_765_000_000.5)).rawValue == "2025-12-06T05:46:40.500000Z")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 0..<4_102_444_800, using: &generator))
            for digits in [0, 3, 6] {
                #expect(
                    Time.format(date, fractionalDigits: digits) == Self.calendarFormat(date, fractionalDigits: digits))
            }
        }
        let leap = Date(timeIntervalSince1970: 951_782_400)  // 2000-02-29
        #expect(Time(leap).rawValue == "2000-02-29T00:00:00Z")
        #expect(Time.parse(Time(leap).rawValue) == leap)
    }
}
