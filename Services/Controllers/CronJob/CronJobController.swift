import Client
public import ControllerKit
import Foundation
import Logging
import Schema

/// Creates Jobs on each CronJob's schedule, with the semantics of Kubernetes' `pkg/controller/cronjob` (v2):
/// cron syntax with macros and time zones, suspend, concurrencyPolicy, startingDeadlineSeconds, history limits,
/// and the status fields active, lastScheduleTime and lastSuccessfulTime.
///
/// A run's Job is named `<cronjob>-<scheduled minutes since the epoch>`, so a restarted controller finds the run
/// it already made (AlreadyExists) instead of making it twice. The hidden option `cronjob-clock-scale` runs the
/// controller's clock faster than real time, for tests.
public final class CronJobController: Controller {
    /// The controller's name.
    public static let name = "cronjob"

    private let context: ControllerContext
    private let cronJobs: SharedInformer<CronJob>
    private let jobs: SharedInformer<Job>
    private let clock: CronClock

    /// Creates the controller and its CronJob and Job handlers.
    public init(context: ControllerContext) {
        self.context = context
        cronJobs = context.informers.informer(CronJob.self)
        jobs = context.informers.informer(Job.self)
        clock = CronClock(scale: context.configuration.options["cronjob-clock-scale"].flatMap(Double.init) ?? 1)
        cronJobs.addEventHandler { event in await context.enqueue(ObjectKey.of(event.object)) }
        jobs.addEventHandler { [self] event in await jobEvent(event) }
    }

    /// Every CronJob's key.
    public func resyncKeys() -> [String] { cronJobs.list().map { ObjectKey.of($0) } }

    private func jobEvent(_ event: InformerEvent<Job>) async {
        guard let ref = event.object.metadata.controllerRef, ref.kind == "CronJob" else { return }
        await context.enqueue(ObjectKey.make(namespace: event.object.metadata.namespace, name: ref.name))
    }

    /// Syncs the CronJob `key` (`syncCronJob`).
    public func reconcile(_ key: String) async throws {
        guard let cronJob = cronJobs.get(key: key) else { return }
        let children = jobs.list(namespace: cronJob.metadata.namespace).filter {
            $0.metadata.controllerRef?.refersTo(uid: cronJob.metadata.uid) == true
        }
        var status = cronJob.status
        var active = status.active ?? []

        // Keep `active` in step with the Jobs: drop finished and vanished ones, add running ones it lacks.
        for job in children {
            let ref = reference(to: job)
            if let finished = CronJobDecisions.finishedType(job) {
                if active.contains(where: { $0.uid == ref.uid }) {
                    active.removeAll { $0.uid == ref.uid }
                    await context.events.record(
                        cronJob, type: "Normal", reason: "SawCompletedJob",
                        message: "Saw completed job: \(job.metadata.name ?? ""), condition: \(finished)",
                        action: "Sync")
                }
                if finished == "Complete", let done = job.status.completionTime,
                    status.lastSuccessfulTime.map({ $0 < done }) ?? true
                {
                    status.lastSuccessfulTime = done
                }
            } else if !active.contains(where: { $0.uid == ref.uid }) {
                active.append(ref)
            }
        }
        active.removeAll { ref in !children.contains { $0.metadata.uid == ref.uid } && !isRecent(ref) }

        var requeue: Duration?
        if !cronJob.metadata.isBeingDeleted {
            requeue = try await schedule(cronJob, key: key, children: children, active: &active, status: &status)
            try await trimHistory(cronJob, children: children)
        }
        status.active = active.isEmpty ? nil : active
        if status != cronJob.status {
            var updated = cronJob
            updated.status = status
            do {
                _ = try await context.client.updateStatus(updated)
            } catch {
                if !error.isNotFound { throw error }
            }
        }
        if let requeue { await context.enqueue(key, after: requeue) }
    }

    /// A Job just created may not be in the cache yet; keep its reference for a while.
    private func isRecent(_ ref: ObjectReference) -> Bool {
        jobs.get(namespace: ref.namespace, name: ref.name ?? "") != nil
    }

    private func reference(to job: Job) -> ObjectReference {
        ObjectReference(
            kind: "Job", namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid,
            apiVersion: "batch/v1", resourceVersion: job.metadata.resourceVersion)
    }

    /// Starts the run that is due, if any; returns when to look again.
    private func schedule(
        _ cronJob: CronJob, key: String, children: [Job], active: inout [ObjectReference], status: inout CronJobStatus
    ) async throws -> Duration? {
        let spec = cronJob.spec
        let schedule: CronSchedule
        do {
            schedule = try CronSchedule(parsing: spec.schedule)
        } catch {
            await context.events.record(
                cronJob, type: "Warning", reason: "UnparseableSchedule",
                message: "unparseable schedule: \(spec.schedule): \(error)", action: "Schedule")
            return nil
        }
        guard let zone = CronJobDecisions.zone(named: spec.timeZone) else {
            await context.events.record(
                cronJob, type: "Warning", reason: "UnknownTimeZone",
                message: "invalid timeZone: \(spec.timeZone ?? ""): set a name from the IANA time zone database",
                action: "Schedule")
            return nil
        }
        if spec.suspend == true { return nil }
        let now = clock.now()
        let created = cronJob.metadata.creationTimestamp?.date.map { clock.now(real: $0) } ?? now
        let earliest = CronJobDecisions.earliestTime(
            lastScheduleTime: status.lastScheduleTime?.date, created: created,
            startingDeadlineSeconds: spec.startingDeadlineSeconds, now: now)
        let due = CronJobDecisions.mostRecentScheduleTime(schedule, zone: zone, earliest: earliest, now: now)
        let nextDelay = schedule.next(after: now, in: zone).map { clock.realDelay($0.timeIntervalSince(now)) }
        guard let scheduled = due.time else { return nextDelay }
        if due.missed > CronJobDecisions.missedTimesLimit {
            await context.events.record(
                cronJob, type: "Warning", reason: "TooManyMissedTimes",
                message: "too many missed start times: \(due.missed). Set or decrease .spec.startingDeadlineSeconds "
                    + "or check clock skew", action: "Schedule")
        }
        if CronJobDecisions.missedDeadline(
            scheduled: scheduled, startingDeadlineSeconds: spec.startingDeadlineSeconds, now: now)
        {
            await context.events.record(
                cronJob, type: "Warning", reason: "MissSchedule",
                message: "Missed scheduled time to start a job: \(Time(scheduled))", action: "Schedule")
            return nextDelay
        }
        let jobName = CronJobDecisions.jobName(cronJob: cronJob.metadata.name ?? "", scheduled: scheduled)
        if children.contains(where: { $0.metadata.name == jobName }) {
            status.lastScheduleTime = Time(scheduled)
            return nextDelay
        }
        switch CronJobDecisions.concurrency(policy: spec.concurrencyPolicy, activeJobs: active.count) {
        case .skip:
            context.logger.debug(
                "not starting a job: concurrencyPolicy Forbid and a job is running",
                metadata: ["kubus.cronjob": "\(key)"])
            await context.events.record(
                cronJob, type: "Normal", reason: "JobAlreadyActive",
                message: "Not starting job because prior execution is running and concurrency policy is Forbid",
                action: "Schedule")
            return nextDelay
        case .replaceThenCreate:
            for ref in active {
                do {
                    try await context.client.delete(
                        Job.self, namespace: ref.namespace, name: ref.name ?? "", propagationPolicy: "Background")
                    await context.events.record(
                        cronJob, type: "Normal", reason: "SuccessfulDelete",
                        message: "Deleted job \(ref.name ?? "")", action: "Delete")
                } catch {
                    if !error.isNotFound { throw error }
                }
            }
            active.removeAll()
        case .create:
            break
        }
        var job = Job(
            metadata: ObjectMeta(
                name: jobName, namespace: cronJob.metadata.namespace,
                labels: spec.jobTemplate.metadata.labels,
                annotations: (spec.jobTemplate.metadata.annotations ?? [:]).merging(
                    [CronJobDecisions.scheduledTimestampAnnotation: Time(scheduled).rawValue]) { $1 },
                ownerReferences: [cronJob.asControllerRef]),
            spec: spec.jobTemplate.spec)
        job.apiVersion = "batch/v1"
        job.kind = "Job"
        do {
            let stored = try await context.client.create(job)
            active.append(reference(to: stored))
            await context.events.record(
                cronJob, type: "Normal", reason: "SuccessfulCreate", message: "Created job \(jobName)",
                action: "Create")
        } catch {
            guard error.isAlreadyExists else {
                await context.events.record(
                    cronJob, type: "Warning", reason: "FailedCreate", message: "Error creating job: \(error)",
                    action: "Create")
                throw error
            }
            // Made before a restart, or by another instance: the run exists; do not make it again.
        }
        status.lastScheduleTime = Time(scheduled)
        return nextDelay
    }

    /// Deletes the oldest finished Jobs beyond the history limits (3 successful, 1 failed by default).
    private func trimHistory(_ cronJob: CronJob, children: [Job]) async throws {
        let succeeded = children.filter { CronJobDecisions.finishedType($0) == "Complete" }
        let failed = children.filter { CronJobDecisions.finishedType($0) == "Failed" }
        let victims =
            CronJobDecisions.jobsToTrim(succeeded, limit: cronJob.spec.successfulJobsHistoryLimit ?? 3)
            + CronJobDecisions.jobsToTrim(failed, limit: cronJob.spec.failedJobsHistoryLimit ?? 1)
        for job in victims where !job.metadata.isBeingDeleted {
            do {
                try await context.client.delete(
                    Job.self, namespace: job.metadata.namespace, name: job.metadata.name ?? "",
                    propagationPolicy: "Background")
                await context.events.record(
                    cronJob, type: "Normal", reason: "SuccessfulDelete",
                    message: "Deleted job \(job.metadata.name ?? "")", action: "Delete")
            } catch {
                if !error.isNotFound { throw error }
            }
        }
    }
}
