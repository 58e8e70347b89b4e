import Controllers
import Foundation
import Schema
import Testing

@Suite struct CronJobDecisionsTests {
    func date(_ text: String) -> Date { Time(rawValue: text).date! }
    let utc = TimeZone(identifier: "UTC")!

    @Test func mostRecentStartAndMissedCount() throws {
        let every5 = try CronSchedule(parsing: "*/5 * * * *")
        let due = CronJobDecisions.mostRecentScheduleTime(
            every5, zone: utc, earliest: date("2026-03-01T10:00:00Z"), now: date("2026-03-01T10:17:30Z"))
        #expect(due.time == date("2026-03-01T10:15:00Z"))
        #expect(due.missed == 3)
        let none = CronJobDecisions.mostRecentScheduleTime(
            every5, zone: utc, earliest: date("2026-03-01T10:15:00Z"), now: date("2026-03-01T10:19:59Z"))
        #expect(none.time == nil)
        #expect(none.missed == 0)
    }

    @Test func startingDeadlineLimitsTheSearchAndMissesLateStarts() {
        let now = date("2026-03-01T12:00:30Z")
        let earliest = CronJobDecisions.earliestTime(
            lastScheduleTime: date("2026-02-01T00:00:00Z"), created: date("2026-01-01T00:00:00Z"),
            startingDeadlineSeconds: 200, now: now)
        #expect(earliest == date("2026-03-01T11:57:10Z"))
        #expect(
            CronJobDecisions.earliestTime(
                lastScheduleTime: nil, created: date("2026-01-01T00:00:00Z"), startingDeadlineSeconds: nil, now: now)
                == date("2026-01-01T00:00:00Z"))
        #expect(
            CronJobDecisions.missedDeadline(
                scheduled: date("2026-03-01T12:00:00Z"), startingDeadlineSeconds: 10, now: now))
        #expect(
            !CronJobDecisions.missedDeadline(
                scheduled: date("2026-03-01T12:00:00Z"), startingDeadlineSeconds: 60, now: now))
        #expect(
            !CronJobDecisions.missedDeadline(
                scheduled: date("2026-03-01T12:00:00Z"), startingDeadlineSeconds: nil, now: now))
    }

    @Test func tooManyMissedTimesAreCounted() throws {
        let minutely = try CronSchedule(parsing: "* * * * *")
        let due = CronJobDecisions.mostRecentScheduleTime(
            minutely, zone: utc, earliest: date("2026-03-01T00:00:00Z"), now: date("2026-03-01T03:00:00Z"))
        #expect(due.missed == 180)
        #expect(due.missed > CronJobDecisions.missedTimesLimit)
        #expect(due.time == date("2026-03-01T03:00:00Z"))
    }

    @Test func concurrencyPolicies() {
        #expect(CronJobDecisions.concurrency(policy: nil, activeJobs: 2) == .create)
        #expect(CronJobDecisions.concurrency(policy: "Allow", activeJobs: 1) == .create)
        #expect(CronJobDecisions.concurrency(policy: "Forbid", activeJobs: 1) == .skip)
        #expect(CronJobDecisions.concurrency(policy: "Forbid", activeJobs: 0) == .create)
        #expect(CronJobDecisions.concurrency(policy: "Replace", activeJobs: 1) == .replaceThenCreate)
        #expect(CronJobDecisions.concurrency(policy: "Replace", activeJobs: 0) == .create)
    }

    @Test func jobNamesAreMinutesSinceTheEpoch() {
        let scheduled = date("2026-03-01T10:15:00Z")
        let name = CronJobDecisions.jobName(cronJob: "backup", scheduled: scheduled)
        #expect(name == "backup-\(Int(scheduled.timeIntervalSince1970) / 60)")
        #expect(CronJobDecisions.scheduledTime(jobName: name, cronJob: "backup") == scheduled)
        #expect(CronJobDecisions.scheduledTime(jobName: "other-1", cronJob: "backup") == nil)
    }

    @Test func historyTrimsTheOldestBeyondTheLimit() {
        let jobs = (0..<5).map { i in
            Job(
                metadata: ObjectMeta(name: "j\(i)", creationTimestamp: Time(Date(timeIntervalSince1970: Double(i)))))
        }
        let victims = CronJobDecisions.jobsToTrim(jobs.shuffled(), limit: 3).map { $0.metadata.name }
        #expect(victims == ["j0", "j1"])
        #expect(CronJobDecisions.jobsToTrim(jobs, limit: 5).isEmpty)
        #expect(CronJobDecisions.jobsToTrim(jobs, limit: 0).count == 5)
    }

    @Test func timeZoneFieldAndCronTZPrefix() throws {
        let daily = try CronSchedule(parsing: "0 9 * * *")
        let berlin = try #require(CronJobDecisions.zone(named: "Europe/Berlin"))
        #expect(daily.next(after: date("2026-01-10T00:00:00Z"), in: berlin) == date("2026-01-10T08:00:00Z"))
        #expect(daily.next(after: date("2026-07-10T00:00:00Z"), in: berlin) == date("2026-07-10T07:00:00Z"))
        let prefixed = try CronSchedule(parsing: "CRON_TZ=Asia/Tokyo 0 9 * * *")
        #expect(prefixed.next(after: date("2026-01-10T00:00:00Z"), in: berlin) == date("2026-01-11T00:00:00Z"))
        #expect(CronJobDecisions.zone(named: "Mars/Olympus") == nil)
        #expect(CronJobDecisions.zone(named: nil) == utc)
    }

    @Test func daylightSavingTransitions() throws {
        let newYork = TimeZone(identifier: "America/New_York")!
        // 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist that day and is skipped.
        let halfPastTwo = try CronSchedule(parsing: "30 2 * * *")
        #expect(
            halfPastTwo.next(after: date("2026-03-08T05:00:00Z"), in: newYork) == date("2026-03-09T06:30:00Z"))
        // Hourly runs across the spring-forward gap: 01:00 EST, then 03:00 EDT, one real hour later.
        let hourly = try CronSchedule(parsing: "@hourly")
        let one = try #require(hourly.next(after: date("2026-03-08T05:30:00Z"), in: newYork))
        #expect(one == date("2026-03-08T06:00:00Z"))
        #expect(hourly.next(after: one, in: newYork) == date("2026-03-08T07:00:00Z"))
        // 2026-11-01: 09:00 is EDT before the fall-back and EST after it.
        let nine = try CronSchedule(parsing: "0 9 * * *")
        #expect(nine.next(after: date("2026-10-31T14:00:00Z"), in: newYork) == date("2026-11-01T14:00:00Z"))
        #expect(nine.next(after: date("2026-10-30T14:00:00Z"), in: newYork) == date("2026-10-31T13:00:00Z"))
    }

    @Test func fastClockAgreesAtTheOriginAndScales() {
        let clock = CronClock(scale: 20)
        let real = CronClock.origin.addingTimeInterval(10)
        #expect(clock.now(real: real) == CronClock.origin.addingTimeInterval(200))
        #expect(CronClock().now(real: real) == real)
        #expect(clock.realDelay(60) == .milliseconds(3100))
    }
}
