import Controllers
import Foundation
import Schema
import Testing

@Suite struct JobDecisionsTests {
    @Test func backoffDoublesFromTenSecondsAndCapsAtSixMinutes() {
        #expect(JobDecisions.backoff(failures: 0) == .zero)
        #expect(JobDecisions.backoff(failures: 1) == .seconds(10))
        #expect(JobDecisions.backoff(failures: 2) == .seconds(20))
        #expect(JobDecisions.backoff(failures: 3) == .seconds(40))
        #expect(JobDecisions.backoff(failures: 6) == .seconds(320))
        #expect(JobDecisions.backoff(failures: 7) == .seconds(360))
        #expect(JobDecisions.backoff(failures: 1000) == .seconds(360))
        #expect(JobDecisions.backoff(failures: 3, base: .milliseconds(100)) == .milliseconds(400))
    }

    @Test func completedIndexesRoundTrip() {
        #expect(JobDecisions.formatIndexes([]) == "")
        #expect(JobDecisions.formatIndexes([0, 1, 2, 4, 7, 8]) == "0-2,4,7-8")
        #expect(JobDecisions.parseIndexes("0-2,4,7-8", completions: 8) == [0, 1, 2, 4, 7])
        #expect(JobDecisions.parseIndexes("x,3", completions: 5) == [3])
    }

    @Test func missingIndexesAreTheLowestFreeOnes() {
        let missing = JobDecisions.missingIndexes(completions: 6, completed: [0, 2], active: [1, 4], count: 2)
        #expect(missing == [3, 5])
        #expect(JobDecisions.missingIndexes(completions: 3, completed: [0, 1, 2], active: [], count: 2).isEmpty)
    }

    @Test func wantActiveFollowsParallelismAndRemainingCompletions() {
        #expect(JobDecisions.wantActive(parallelism: 2, completions: 3, succeeded: 0) == 2)
        #expect(JobDecisions.wantActive(parallelism: 2, completions: 3, succeeded: 2) == 1)
        #expect(JobDecisions.wantActive(parallelism: 2, completions: 3, succeeded: 3) == 0)
        #expect(JobDecisions.wantActive(parallelism: 4, completions: nil, succeeded: 0) == 4)
        #expect(JobDecisions.wantActive(parallelism: 4, completions: nil, succeeded: 1) == 0)
    }

    @Test func completionAndBackoffLimit() {
        #expect(JobDecisions.isComplete(completions: 3, succeeded: 3, active: 1))
        #expect(!JobDecisions.isComplete(completions: 3, succeeded: 2, active: 0))
        #expect(JobDecisions.isComplete(completions: nil, succeeded: 1, active: 0))
        #expect(!JobDecisions.isComplete(completions: nil, succeeded: 1, active: 1))
        #expect(
            !JobDecisions.exceedsBackoffLimit(failed: 2, activeRestarts: 0, restartPolicy: "Never", backoffLimit: 2))
        #expect(JobDecisions.exceedsBackoffLimit(failed: 3, activeRestarts: 0, restartPolicy: "Never", backoffLimit: 2))
        #expect(
            JobDecisions.exceedsBackoffLimit(failed: 0, activeRestarts: 3, restartPolicy: "OnFailure", backoffLimit: 2))
        #expect(
            !JobDecisions.exceedsBackoffLimit(failed: 0, activeRestarts: 3, restartPolicy: "Never", backoffLimit: 2))
    }

    @Test func indexedPodTemplateCarriesItsIndex() {
        var job = Job(metadata: ObjectMeta(name: "work", namespace: "default"))
        job.spec.template.metadata.labels = ["app": "work"]
        job.spec.template.spec.containers = [Container(name: "main", image: "busybox")]
        let template = JobController.podTemplate(for: job, index: 2)
        #expect(template.metadata.annotations?[JobDecisions.completionIndexKey] == "2")
        #expect(template.metadata.labels?[JobDecisions.completionIndexKey] == "2")
        #expect(template.metadata.labels?["app"] == "work")
        #expect(template.spec.hostname == "work-2")
        let env = template.spec.containers[0].env?.first { $0.name == "JOB_COMPLETION_INDEX" }
        #expect(
            env?.valueFrom?.fieldRef?.fieldPath == "metadata.annotations['batch.kubernetes.io/job-completion-index']")
        #expect(JobController.podTemplate(for: job, index: nil) == job.spec.template)
    }

    @Test func conditionsAreSetOnce() {
        var conditions: [JobCondition] = []
        let t1 = Time(Date(timeIntervalSince1970: 1_700_000_000))
        let t2 = Time(Date(timeIntervalSince1970: 1_700_000_100))
        JobDecisions.setCondition(&conditions, type: "Failed", reason: "DeadlineExceeded", message: "m", now: t1)
        JobDecisions.setCondition(&conditions, type: "Failed", reason: "DeadlineExceeded", message: "m", now: t2)
        #expect(conditions.count == 1)
        #expect(conditions[0].lastTransitionTime == t1)
        let job = Job(status: JobStatus(conditions: conditions))
        #expect(JobDecisions.isFinished(job))
        #expect(JobDecisions.finishTime(of: job) == t1.date)
    }
}
