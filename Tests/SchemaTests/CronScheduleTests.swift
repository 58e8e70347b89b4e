import Foundation
import Testing

@testable import Schema

@Suite struct CronScheduleTests {
    let utc = TimeZone(identifier: "UTC")!

    func date(_ text: String) -> Date { Time(rawValue: text).date! }

    @Test func hourly() throws {
        let schedule = try CronSchedule(parsing: "@hourly")
        #expect(schedule.next(after: date("2026-11-25T10:00:00Z"), in: utc) == date("2026-11-25T11:00:00Z"))
        #expect(schedule.next(after: date("2026-11-25T10:59:59Z"), in: utc) == date("2026-11-25T11:00:00Z"))
    }

    @Test func businessHoursEveryQuarter() throws {
        let schedule = try CronSchedule(parsing: "*/15 9-17 * * 1-5")
        // Wednesday 17:50 -> Thursday 09:00.
        #expect(schedule.next(after: date("2026-11-25T17:50:00Z"), in: utc) == date("2026-11-26T09:00:00Z"))
        #expect(schedule.next(after: date("2026-11-25T10:07:00Z"), in: utc) == date("2026-11-25T10:15:00Z"))
        // Friday evening -> Monday morning.
        #expect(schedule.next(after: date("2026-11-27T18:00:00Z"), in: utc) == date("2026-11-30T09:00:00Z"))
    }

    @Test func namesListsAndSteps() throws {
        let schedule = try CronSchedule(parsing: "0 0 1 jan,jul *")
        #expect(schedule.next(after: date("2026-02-10T00:00:00Z"), in: utc) == date("2026-07-01T00:00:00Z"))
        let weekly = try CronSchedule(parsing: "30 6 * * MON")
        #expect(weekly.next(after: date("2026-11-25T00:00:00Z"), in: utc) == date("2026-11-30T06:30:00Z"))
        let sunday = try CronSchedule(parsing: "0 12 * * 7")
        #expect(sunday.next(after: date("2026-11-25T00:00:00Z"), in: utc) == date("2026-11-29T12:00:00Z"))
    }

    @Test func timeZones() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let schedule = try CronSchedule(parsing: "0 9 * * *")
        // 09:00 in Berlin is 08:00 UTC in winter.
        #expect(schedule.next(after: date("2026-11-25T10:00:00Z"), in: berlin) == date("2026-11-26T08:00:00Z"))
        let prefixed = try CronSchedule(parsing: "CRON_TZ=America/New_York 0 9 * * *")
        #expect(prefixed.next(after: date("2026-11-25T10:00:00Z"), in: utc) == date("2026-11-25T14:00:00Z"))
        let tz = try CronSchedule(parsing: "TZ=Asia/Tokyo 0 0 * * *")
        #expect(tz.next(after: date("2026-11-25T10:00:00Z"), in: utc) == date("2026-11-25T15:00:00Z"))
    }

    @Test func dayOfMonthOrWeekday() throws {
        // Both restricted: either matches (the 13th, or any Friday).
        let schedule = try CronSchedule(parsing: "0 0 13 * 5")
        #expect(schedule.next(after: date("2026-11-25T00:00:00Z"), in: utc) == date("2026-11-27T00:00:00Z"))
        #expect(schedule.next(after: date("2026-12-12T00:00:00Z"), in: utc) == date("2026-12-13T00:00:00Z"))
    }

    @Test(arguments: ["* * * *", "61 * * * *", "* * * * * *", "@sometimes", "a * * * *", "*/0 * * * *", "5-1 * * * *"])
    func rejectsBadSchedules(text: String) {
        #expect(throws: SchemaError.self) { try CronSchedule(parsing: text) }
    }

    @Test func leapDay() throws {
        let schedule = try CronSchedule(parsing: "0 0 29 2 *")
        #expect(schedule.next(after: date("2026-03-01T00:00:00Z"), in: utc) == date("2028-02-29T00:00:00Z"))
    }
}
