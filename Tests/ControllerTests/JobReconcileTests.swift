import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Schema
import Testing

/// The Job controller against the in-memory api: a Job run to completion, pods that keep failing until the
/// backoff limit, an Indexed Job's completion indexes, and suspending and resuming a Job. The test plays the
/// kubelet: it runs the pods and reports their containers' exit codes.
@Suite(.timeLimit(.minutes(1)))
struct JobReconcileTests {
    /// kubernetes/website's controllers/job.yaml.
    static let pi = """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: pi
        spec:
          template:
            spec:
              containers:
              - name: pi
                image: perl:5.34.0
                command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
              restartPolicy: Never
          backoffLimit: 4
        """

    static func job(_ harness: ControllerHarness, _ name: String) async throws -> Job {
        try await harness.api.get(Job.self, namespace: "default", name: name)
    }

    static func pods(_ harness: ControllerHarness) async throws -> [Pod] {
        try await harness.api.list(Pod.self, namespace: "default").items
    }

    static func condition(_ job: Job, _ type: String) -> JobCondition? {
        job.status.conditions?.first { $0.type == type }
    }

    @Test func runsOnePodToCompletion() async throws {
        let harness = try await ControllerHarness([JobController.self])
        defer { harness.close() }
        try await harness.create(yaml: Self.pi)
        try await harness.settle()

        var job = try await Self.job(harness, "pi")
        let pods = try await Self.pods(harness)
        try #require(pods.count == 1)
        let pod = pods[0]
        #expect(pod.metadata.controllerRef?.uid == job.metadata.uid)
        #expect(pod.metadata.controllerRef?.kind == "Job")
        #expect(pod.metadata.labels?["batch.kubernetes.io/job-name"] == "pi")
        #expect(pod.metadata.labels?["batch.kubernetes.io/controller-uid"] == job.metadata.uid)
        #expect(pod.metadata.name?.hasPrefix("pi-") == true)
        #expect(job.status.active == 1)
        #expect(job.status.startTime != nil)

        try await harness.runPods()
        try await harness.settle()
        job = try await Self.job(harness, "pi")
        #expect(job.status.ready == 1)

        try await harness.finishPod(name: pod.metadata.name ?? "", exitCode: 0)
        try await harness.settle()
        job = try await Self.job(harness, "pi")
        #expect(Self.condition(job, "Complete")?.status == "True")
        #expect(Self.condition(job, "Complete")?.reason == "CompletionsReached")
        #expect(Self.condition(job, "Failed") == nil)
        #expect(job.status.succeeded == 1)
        #expect((job.status.active ?? 0) == 0)
        #expect((job.status.failed ?? 0) == 0)
        #expect(job.status.completionTime != nil)
        // The finished pod is kept (for its logs) and no other is made.
        let after = try await Self.pods(harness)
        #expect(after.map(\.metadata.name) == [pod.metadata.name])
        #expect(after.first?.metadata.deletionTimestamp == nil)
        let events = try await harness.api.list(Event.self, namespace: "default").items
        #expect(events.contains { $0.reason == "Completed" && $0.involvedObject.name == "pi" })
    }

    @Test func failingPodsAreReplacedUntilTheBackoffLimit() async throws {
        // Back-off between failed pods is 10 s × 2^n in Kubernetes; zero here so no time needs to pass.
        var configuration = ControllerConfiguration()
        configuration.options["job-backoff-base-millis"] = "0"
        let harness = try await ControllerHarness([JobController.self], configuration: configuration)
        defer { harness.close() }
        try await harness.create(yaml: Self.pi)

        // backoffLimit 4: the fifth failed pod fails the Job; each of the first four is replaced.
        for failure in 1...5 {
            try await harness.settle()
            let job = try await Self.job(harness, "pi")
            #expect(Self.condition(job, "Failed") == nil, "failed before failure \(failure)")
            let active = try await Self.pods(harness).filter(\.isActive)
            try #require(active.count == 1, "failure \(failure): \(active.count) active pods")
            #expect((job.status.failed ?? 0) == failure - 1)
            try await harness.runPods()
            try await harness.finishPod(name: active[0].metadata.name ?? "", exitCode: 1)
        }
        try await harness.settle()

        let job = try await Self.job(harness, "pi")
        let failed = Self.condition(job, "Failed")
        #expect(failed?.status == "True")
        #expect(failed?.reason == "BackoffLimitExceeded")
        #expect(Self.condition(job, "Complete") == nil)
        #expect(job.status.failed == 5)
        #expect((job.status.active ?? 0) == 0)
        #expect((job.status.succeeded ?? 0) == 0)
        let pods = try await Self.pods(harness)
        #expect(pods.count == 5)
        #expect(pods.allSatisfy { $0.status.phase == "Failed" })
        let events = try await harness.api.list(Event.self, namespace: "default").items
        #expect(events.contains { $0.reason == "BackoffLimitExceeded" && $0.involvedObject.name == "pi" })
    }

    @Test func indexedJobRunsEachIndexOnce() async throws {
        let harness = try await ControllerHarness([JobController.self])
        defer { harness.close() }
        // After kubernetes/website's application/job/indexed-job.yaml: five indexes, three at a time.
        try await harness.create(
            yaml: """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: indexed-job
                spec:
                  completions: 5
                  parallelism: 3
                  completionMode: Indexed
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: worker
                        image: docker.io/library/busybox
                        command: ["rev", "/input/data.txt"]
                """)
        try await harness.settle()

        func index(_ pod: Pod) -> String? { pod.metadata.annotations?["batch.kubernetes.io/job-completion-index"] }
        var active = try await Self.pods(harness).filter(\.isActive)
        #expect(Set(active.compactMap(index)) == ["0", "1", "2"])
        for pod in active {
            let i = index(pod) ?? ""
            #expect(pod.metadata.name?.hasPrefix("indexed-job-\(i)-") == true)
            #expect(pod.metadata.labels?["batch.kubernetes.io/job-completion-index"] == i)
            #expect(pod.spec.hostname == "indexed-job-\(i)")
            let env = pod.spec.containers.first?.env?.first { $0.name == "JOB_COMPLETION_INDEX" }
            #expect(
                env?.valueFrom?.fieldRef?.fieldPath
                    == "metadata.annotations['batch.kubernetes.io/job-completion-index']")
        }

        // Index 1 finishes first: the next index not done nor running, 3, takes its place.
        try await harness.runPods()
        let first = try #require(active.first { index($0) == "1" })
        try await harness.finishPod(name: first.metadata.name ?? "")
        try await harness.settle()
        var job = try await Self.job(harness, "indexed-job")
        #expect(job.status.completedIndexes == "1")
        #expect(job.status.succeeded == 1)
        active = try await Self.pods(harness).filter(\.isActive)
        #expect(Set(active.compactMap(index)) == ["0", "2", "3"])

        // The rest finish as they come; the Job needs every index once.
        var rounds = 0
        while Self.condition(job, "Complete") == nil {
            try await harness.runPods()
            for pod in try await Self.pods(harness).filter(\.isActive) {
                try await harness.finishPod(name: pod.metadata.name ?? "")
            }
            try await harness.settle()
            job = try await Self.job(harness, "indexed-job")
            rounds += 1
            try #require(rounds < 5, "the Job did not complete")
        }
        #expect(job.status.completedIndexes == "0-4")
        #expect(job.status.succeeded == 5)
        #expect((job.status.active ?? 0) == 0)
        let pods = try await Self.pods(harness)
        #expect(pods.count == 5)
        #expect(pods.compactMap(index).sorted() == ["0", "1", "2", "3", "4"])
    }

    @Test func suspendedJobRunsNoPodsUntilResumed() async throws {
        let harness = try await ControllerHarness([JobController.self])
        defer { harness.close() }
        try await harness.create(
            yaml: """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: batch
                spec:
                  suspend: true
                  parallelism: 2
                  completions: 4
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: work
                        image: busybox:1.36
                        command: ["sh", "-c", "sleep 30"]
                """)
        try await harness.settle()
        var job = try await Self.job(harness, "batch")
        #expect(try await Self.pods(harness).isEmpty)
        #expect(Self.condition(job, "Suspended")?.status == "True")
        #expect(Self.condition(job, "Suspended")?.reason == "JobSuspended")
        #expect(job.status.startTime == nil)
        #expect((job.status.active ?? 0) == 0)

        _ = try await harness.api.patch(
            kind: "Job", namespace: "default", name: "batch", patch: ["spec": ["suspend": false]])
        try await harness.settle()
        job = try await Self.job(harness, "batch")
        #expect(try await Self.pods(harness).count == 2)
        #expect(job.status.active == 2)
        #expect(Self.condition(job, "Suspended")?.status == "False")
        #expect(Self.condition(job, "Suspended")?.reason == "JobResumed")
        #expect(job.status.startTime != nil)

        // Suspended again while running: its active pods are deleted, and it is not failed.
        try await harness.runPods()
        _ = try await harness.api.patch(
            kind: "Job", namespace: "default", name: "batch", patch: ["spec": ["suspend": true]])
        try await harness.settle()
        let stopping = try await Self.pods(harness)
        #expect(stopping.count == 2)
        #expect(stopping.allSatisfy { $0.metadata.deletionTimestamp != nil })
        try await harness.runPods()
        try await harness.settle()
        job = try await Self.job(harness, "batch")
        #expect(try await Self.pods(harness).isEmpty)
        #expect((job.status.active ?? 0) == 0)
        #expect(Self.condition(job, "Suspended")?.status == "True")
        #expect(Self.condition(job, "Failed") == nil)
    }
}
