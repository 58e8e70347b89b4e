public import Foundation
public import Schema

/// The pure decisions of the cronjob controller (Kubernetes' `pkg/controller/cronjob`, v2): which start time is
/// due, whether it was missed, what the concurrency policy says, the Job's name and which finished Jobs to trim.
public enum CronJobDecisions {
    /// The annotation holding a Job's scheduled time.
    public static let scheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp"
    /// More missed start times than this are reported (`TooManyMissedTimes`).
    public static let missedTimesLimit = 100

    /// The most recent start time in `(earliest, now]` and how many start times there were in that window;
    /// stops counting (and stops at the latest found) after `scanLimit` start times.
    public static func mostRecentScheduleTime(
        _ schedule: CronSchedule, zone: TimeZone, earliest: Date, now: Date, scanLimit: Int = 100_000
    ) -> (time: Date?, missed: Int) {
        var latest: Date?
        var count = 0
        var cursor = earliest
        while count < scanLimit, let next = schedule.next(after: cursor, in: zone), next <= now {
            latest = next
            count += 1
            cursor = next
        }
        return (latest, count)
    }

    /// Where the search for due start times begins: the last scheduled time (or the creation time), but no
    /// earlier than `startingDeadlineSeconds` ago.
    public static func earliestTime(
        lastScheduleTime: Date?, created: Date, startingDeadlineSeconds: Int64?, now: Date
    ) -> Date {
        var earliest = lastScheduleTime ?? created
        if let deadline = startingDeadlineSeconds {
            let limit = now.addingTimeInterval(-TimeInterval(deadline))
            if limit > earliest { earliest = limit }
        }
        return earliest
    }

    /// Whether the start at `scheduled` is too late to make, given `startingDeadlineSeconds`.
    public static func missedDeadline(scheduled: Date, startingDeadlineSeconds: Int64?, now: Date) -> Bool {
        guard let deadline = startingDeadlineSeconds else { return false }
        return scheduled.addingTimeInterval(TimeInterval(deadline)) < now
    }

    /// What to do about a due start given the policy and whether Jobs are still running.
    public enum ConcurrencyDecision: Sendable, Hashable {
        /// Create the Job.
        case create
        /// Skip this start (Forbid with a running Job).
        case skip
        /// Delete the running Jobs, then create (Replace).
        case replaceThenCreate
    }

    /// The `concurrencyPolicy` decision (`Allow` by default).
    public static func concurrency(policy: String?, activeJobs: Int) -> ConcurrencyDecision {
        guard activeJobs > 0 else { return .create }
        switch policy {
        case "Forbid": return .skip
        case "Replace": return .replaceThenCreate
        default: return .create
        }
    }

    /// `<cronjob>-<scheduled time in minutes since the epoch>`, the same for the same start on every run.
    public static func jobName(cronJob: String, scheduled: Date) -> String {
        "\(cronJob)-\(Int64((scheduled.timeIntervalSince1970 / 60).rounded(.down)))"
    }

    /// The scheduled time a Job's name encodes, if it is one of `cronJob`'s.
    public static func scheduledTime(jobName: String, cronJob: String) -> Date? {
        guard jobName.hasPrefix(cronJob + "-"), let minutes = Int64(jobName.dropFirst(cronJob.count + 1)) else {
            return nil
        }
        return Date(timeIntervalSince1970: TimeInterval(minutes * 60))
    }

    /// The finished Jobs to delete so at most `limit` remain, oldest first (by start, then creation, time).
    public static func jobsToTrim(_ finished: [Job], limit: Int) -> [Job] {
        guard finished.count > max(0, limit) else { return [] }
        let sorted = finished.sorted { a, b in
            let ta = a.status.startTime?.date ?? a.metadata.creationTimestamp?.date ?? .distantPast
            let tb = b.status.startTime?.date ?? b.metadata.creationTimestamp?.date ?? .distantPast
            if ta != tb { return ta < tb }
            return (a.metadata.name ?? "") < (b.metadata.name ?? "")
        }
        return Array(sorted.prefix(finished.count - max(0, limit)))
    }

    /// The finishing condition of a Job: `Complete`, `Failed`, or nil while it runs.
    public static func finishedType(_ job: Job) -> String? {
        (job.status.conditions ?? []).first { ($0.type == "Complete" || $0.type == "Failed") && $0.status == "True" }?
            .type
    }

    /// The schedule's time zone: `spec.timeZone`, else UTC (a `CRON_TZ=` prefix in the schedule wins).
    public static func zone(named name: String?) -> TimeZone? {
        guard let name, !name.isEmpty else { return TimeZone(identifier: "UTC") }
        return TimeZone(identifier: name)
    }
}

/// A clock that can run faster than real time for tests: `origin + (real - origin) × scale`.
public struct CronClock: Sendable {
    /// How many times faster than real time it runs.
    public let scale: Double
    /// The instant the fast clock agrees with the real one (fixed, so every controller instance agrees).
    public static let origin = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    /// A clock `scale` times faster than real time (1: real time).
    public init(scale: Double = 1) { self.scale = max(scale, 1) }

    /// The clock's current time.
    public func now(real: Date = Date()) -> Date {
        guard scale != 1 else { return real }
        return Self.origin.addingTimeInterval(real.timeIntervalSince(Self.origin) * scale)
    }

    /// The real time to wait for `interval` of the clock to pass.
    public func realDelay(_ interval: TimeInterval) -> Duration {
        .milliseconds(Int64(max(0, interval / scale) * 1000) + 100)
    }
}
