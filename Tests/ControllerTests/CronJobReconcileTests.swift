import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Foundation
import Schema
import Testing

/// The CronJob controller against the in-memory api: catching up on missed starts with one Job, the Forbid and
/// Replace concurrency policies, the history limits, and startingDeadlineSeconds.
///
/// A start is due when a scheduled time lies between `status.lastScheduleTime` (else the creation time) and now;
/// `settle()` does not wait for the clock, so each test gives its CronJob an hourly schedule whose latest start
/// was five minutes ago and a `lastScheduleTime` in the past, as if it had last run then. The next start is
/// then 55 minutes away: no minute boundary crossed during a test starts another run.
@Suite(.timeLimit(.minutes(1)))
struct CronJobReconcileTests {
    /// kubernetes/website's application/job/cronjob.yaml, on `schedule` and suspended, with `extra` lines in its
    /// spec.
    static func hello(schedule: String, extra: String = "") -> String {
        """
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: hello
        spec:
          schedule: "\(schedule)"
          suspend: true\(extra.isEmpty ? "" : "\n  " + extra)
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                  - name: hello
                    image: busybox:1.28
                    imagePullPolicy: IfNotPresent
                    command:
                    - /bin/sh
                    - -c
                    - date; echo Hello from the Kubernetes cluster
                  restartPolicy: OnFailure
        """
    }

    /// The latest whole minute at least five minutes ago, and the hourly schedule that starts on it.
    static func hourlyStart() -> (scheduled: Date, schedule: String) {
        let minutes = Int64((Date().timeIntervalSince1970 - 300) / 60)
        return (Date(timeIntervalSince1970: TimeInterval(minutes * 60)), "\(minutes % 60) * * * *")
    }

    static func cronJob(_ harness: ControllerHarness) async throws -> CronJob {
        try await harness.api.get(CronJob.self, namespace: "default", name: "hello")
    }

    static func jobs(_ harness: ControllerHarness) async throws -> [Job] {
        try await harness.api.list(Job.self, namespace: "default").items
    }

    /// Records that the CronJob last started a run at `date`.
    static func lastRan(_ harness: ControllerHarness, at date: Date) async throws {
        var cronJob = try await Self.cronJob(harness)
        cronJob.status.lastScheduleTime = Time(date)
        _ = try await harness.api.updateStatus(cronJob)
    }

    static func patch(_ harness: ControllerHarness, _ spec: JSONValue) async throws {
        _ = try await harness.api.patch(kind: "CronJob", namespace: "default", name: "hello", patch: ["spec": spec])
    }

    /// The Job the controller would have made for the run at `scheduled`, as a finished or running earlier run.
    static func run(of cronJob: CronJob, at scheduled: Date) -> Job {
        var job = Job(
            metadata: ObjectMeta(
                name: CronJobDecisions.jobName(cronJob: "hello", scheduled: scheduled), namespace: "default",
                annotations: [CronJobDecisions.scheduledTimestampAnnotation: Time(scheduled).rawValue],
                ownerReferences: [cronJob.asControllerRef]),
            spec: cronJob.spec.jobTemplate.spec)
        job.apiVersion = "batch/v1"
        job.kind = "Job"
        return job
    }

    /// Reports the Job `name` finished with `condition` (`Complete` or `Failed`), as the Job controller would.
    static func finish(_ harness: ControllerHarness, _ name: String, _ condition: String, started: Date) async throws {
        var job = try await harness.api.get(Job.self, namespace: "default", name: name)
        let done = Time(started.addingTimeInterval(30))
        job.status.startTime = Time(started)
        job.status.conditions = [JobCondition(type: condition, status: "True", lastTransitionTime: done)]
        if condition == "Complete" {
            job.status.completionTime = done
            job.status.succeeded = 1
        } else {
            job.status.failed = 1
        }
        _ = try await harness.api.updateStatus(job)
    }

    @Test func startsOneJobForTheMostRecentMissedStart() async throws {
        let harness = try await ControllerHarness([CronJobController.self, JobController.self])
        defer { harness.close() }
        let (scheduled, schedule) = Self.hourlyStart()
        try await harness.create(yaml: Self.hello(schedule: schedule))
        try await harness.settle()
        // Last ran three hours before its latest start: three starts were missed; only the latest is made up.
        try await Self.lastRan(harness, at: scheduled.addingTimeInterval(-3 * 3600))
        try await Self.patch(harness, ["suspend": false])
        try await harness.settle()

        var cronJob = try await Self.cronJob(harness)
        let jobs = try await Self.jobs(harness)
        try #require(jobs.count == 1)
        let job = jobs[0]
        #expect(job.metadata.name == "hello-\(Int64(scheduled.timeIntervalSince1970) / 60)")
        #expect(job.metadata.annotations?[CronJobDecisions.scheduledTimestampAnnotation] == Time(scheduled).rawValue)
        #expect(job.metadata.controllerRef?.uid == cronJob.metadata.uid)
        #expect(job.metadata.controllerRef?.kind == "CronJob")
        #expect(job.spec.template.spec.containers.first?.image == "busybox:1.28")
        #expect(cronJob.status.lastScheduleTime == Time(scheduled))
        #expect(cronJob.status.active?.map(\.uid) == [job.metadata.uid])
        #expect(cronJob.status.lastSuccessfulTime == nil)
        let events = try await harness.api.list(Event.self, namespace: "default").items
        let created = events.filter { $0.reason == "SuccessfulCreate" && $0.involvedObject.kind == "CronJob" }
        #expect(created.map(\.message) == ["Created job \(job.metadata.name ?? "")"])

        // The Job's pod runs and exits 0: the run is no longer active and counts as the last success.
        let pods = try await harness.api.list(Pod.self, namespace: "default").items
        try #require(pods.count == 1)
        try await harness.runPods()
        try await harness.finishPod(name: pods[0].metadata.name ?? "")
        try await harness.settle()
        let done = try await harness.api.get(Job.self, namespace: "default", name: job.metadata.name ?? "")
        #expect(done.status.completionTime != nil)
        cronJob = try await Self.cronJob(harness)
        #expect(cronJob.status.active == nil)
        #expect(cronJob.status.lastSuccessfulTime == done.status.completionTime)
        #expect(try await Self.jobs(harness).count == 1)
        let seen = try await harness.api.list(Event.self, namespace: "default").items.filter {
            $0.reason == "SawCompletedJob"
        }
        #expect(seen.map(\.message) == ["Saw completed job: \(job.metadata.name ?? ""), condition: Complete"])
    }

    @Test func forbidSkipsAStartWhileTheLastRunIsActiveAndReplaceReplacesIt() async throws {
        let harness = try await ControllerHarness([CronJobController.self])
        defer { harness.close() }
        let (scheduled, schedule) = Self.hourlyStart()
        try await harness.create(yaml: Self.hello(schedule: schedule, extra: "concurrencyPolicy: Forbid"))
        try await harness.settle()
        // The run of an hour earlier is still going.
        let previous = try await harness.api.create(Self.run(of: try await Self.cronJob(harness), at: scheduled - 3600))
        try await Self.lastRan(harness, at: scheduled - 3600)
        try await harness.settle()
        #expect(try await Self.cronJob(harness).status.active?.map(\.uid) == [previous.metadata.uid])

        try await Self.patch(harness, ["suspend": false])
        try await harness.settle()
        #expect(try await Self.jobs(harness).map(\.metadata.name) == [previous.metadata.name])
        var cronJob = try await Self.cronJob(harness)
        #expect(cronJob.status.lastScheduleTime == Time(scheduled - 3600))
        #expect(cronJob.status.active?.map(\.uid) == [previous.metadata.uid])
        let events = try await harness.api.list(Event.self, namespace: "default").items
        #expect(events.contains { $0.reason == "JobAlreadyActive" && $0.involvedObject.name == "hello" })

        // With Replace, the running Job is deleted and the due run started.
        try await Self.patch(harness, ["concurrencyPolicy": "Replace"])
        try await harness.settle()
        let jobs = try await Self.jobs(harness)
        #expect(jobs.map(\.metadata.name) == ["hello-\(Int64(scheduled.timeIntervalSince1970) / 60)"])
        cronJob = try await Self.cronJob(harness)
        #expect(cronJob.status.active?.map(\.uid) == jobs.map(\.metadata.uid))
        #expect(cronJob.status.lastScheduleTime == Time(scheduled))
        let deletes = harness.api.writes.filter { $0.verb == "delete" && $0.kind == "Job" }
        #expect(deletes.map(\.name) == [previous.metadata.name])
        #expect(deletes.first?.payload["propagationPolicy"]?.stringValue == "Background")
    }

    @Test func keepsTheNewestFinishedJobsWithinTheHistoryLimits() async throws {
        let harness = try await ControllerHarness([CronJobController.self])
        defer { harness.close() }
        // Suspended throughout: history is trimmed whether or not runs start, and none starts here.
        let (scheduled, schedule) = Self.hourlyStart()
        try await harness.create(yaml: Self.hello(schedule: schedule))
        let cronJob = try await Self.cronJob(harness)
        #expect(cronJob.spec.successfulJobsHistoryLimit == 3)
        #expect(cronJob.spec.failedJobsHistoryLimit == 1)
        // Six earlier hourly runs: four succeeded, two failed, oldest first.
        let outcomes = ["Complete", "Failed", "Complete", "Complete", "Failed", "Complete"]
        var names: [String] = []
        for (hoursAgo, outcome) in zip(stride(from: 6, to: 0, by: -1), outcomes) {
            let start = scheduled.addingTimeInterval(-3600 * Double(hoursAgo))
            let job = try await harness.api.create(Self.run(of: cronJob, at: start))
            try await Self.finish(harness, job.metadata.name ?? "", outcome, started: start)
            names.append(job.metadata.name ?? "")
        }
        try await harness.settle()

        // The defaults keep three successful Jobs and one failed: the oldest of each go.
        var left = Set(try await Self.jobs(harness).compactMap(\.metadata.name))
        #expect(left == [names[2], names[3], names[4], names[5]])
        let latest = try await Self.cronJob(harness)
        #expect(latest.status.active == nil)
        #expect(latest.status.lastSuccessfulTime == Time(scheduled.addingTimeInterval(-3600 + 30)))
        let deleted = try await harness.api.list(Event.self, namespace: "default").items.filter {
            $0.reason == "SuccessfulDelete"
        }
        #expect(Set(deleted.compactMap(\.message)) == ["Deleted job \(names[0])", "Deleted job \(names[1])"])

        try await Self.patch(harness, ["successfulJobsHistoryLimit": 1, "failedJobsHistoryLimit": 0])
        try await harness.settle()
        left = Set(try await Self.jobs(harness).compactMap(\.metadata.name))
        #expect(left == [names[5]])
    }

    @Test func startingDeadlineSkipsAStartMissedByTooLong() async throws {
        let harness = try await ControllerHarness([CronJobController.self])
        defer { harness.close() }
        let (scheduled, schedule) = Self.hourlyStart()
        try await harness.create(yaml: Self.hello(schedule: schedule, extra: "startingDeadlineSeconds: 60"))
        try await harness.settle()
        try await Self.lastRan(harness, at: scheduled - 3600)
        try await Self.patch(harness, ["suspend": false])
        try await harness.settle()
        // Its start was five minutes ago, more than 60 s: too late to start it.
        #expect(try await Self.jobs(harness).isEmpty)
        #expect(try await Self.cronJob(harness).status.lastScheduleTime == Time(scheduled - 3600))

        // Ten minutes of grace: the start is still made.
        try await Self.patch(harness, ["startingDeadlineSeconds": 600])
        try await harness.settle()
        let jobs = try await Self.jobs(harness)
        #expect(jobs.map(\.metadata.name) == ["hello-\(Int64(scheduled.timeIntervalSince1970) / 60)"])
        #expect(try await Self.cronJob(harness).status.lastScheduleTime == Time(scheduled))
    }
}
