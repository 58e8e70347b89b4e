import Bus
import Client
import Foundation
import Schema
import Testing

/// The job and cronjob controllers with a scheduler and simulated nodes, whose pods exit after
/// `kubus.io/sim-exit-after` seconds with `kubus.io/sim-exit-code`.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct ControllerTestsJob {
    static func job(
        _ name: String, namespace: String, completions: Int?, parallelism: Int, exitAfter: Int = 1, exitCode: Int = 0,
        backoffLimit: Int? = nil, indexed: Bool = false
    ) -> Job {
        var job = Job(metadata: ObjectMeta(name: name, namespace: namespace))
        job.spec.completions = completions
        job.spec.parallelism = parallelism
        job.spec.backoffLimit = backoffLimit
        if indexed { job.spec.completionMode = "Indexed" }
        job.spec.template.metadata.annotations = [
            "kubus.io/sim-exit-after": "\(exitAfter)", "kubus.io/sim-exit-code": "\(exitCode)",
        ]
        job.spec.template.spec.restartPolicy = "Never"
        job.spec.template.spec.containers = [Container(name: "main", image: "busybox")]
        return job
    }

    static func pods(_ client: KubusClient, job: String, namespace: String) async throws -> [Pod] {
        try await client.list(Pod.self, namespace: namespace).items.filter {
            $0.metadata.labels?["batch.kubernetes.io/job-name"] == job
        }
    }

    static func condition(_ job: Job, _ type: String) -> JobCondition? {
        job.status.conditions?.first { $0.type == type && $0.status == "True" }
    }

    /// A cluster with sim nodes, the given controllers and a fresh namespace.
    static func withJobCluster(
        controllers: [(String, [String])], _ body: (TestCluster, KubusClient, String) async throws -> Void
    ) async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let prefix = "job-\(BusClock.randomID().prefix(6).lowercased())"
            try await cluster.startSimNodes(prefix: prefix, nodes: 2)
            for (name, args) in controllers { try await cluster.startController(name, args: args) }
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            let namespace = "job-\(BusClock.randomID().prefix(6).lowercased())"
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: namespace)))
            try await body(cluster, client, namespace)
        }
    }

    @Test func completionsThreeParallelismTwoCompletesAndKubusctlWaits() async throws {
        try await Self.withJobCluster(controllers: [("job", []), ("garbage-collector", [])]) {
            cluster, client, namespace in
            var job = Self.job("three", namespace: namespace, completions: 3, parallelism: 2)
            job.spec.ttlSecondsAfterFinished = 8
            let created = try await client.create(job)
            #expect(created.spec.selector?.matchLabels?["batch.kubernetes.io/controller-uid"] == created.metadata.uid)

            let waited = try cluster.ctl(
                ["wait", "--for=condition=Complete", "job/three", "-n", namespace, "--timeout", "90s"])
            #expect(waited.status == 0, "\(waited.err)\n\(cluster.log("job").suffix(3000))")
            #expect(waited.out == "job.batch/three condition met\n")

            let done = try await client.get(Job.self, namespace: namespace, name: "three")
            #expect(done.status.succeeded == 3)
            #expect(done.status.active == 0)
            #expect(done.status.startTime != nil && done.status.completionTime != nil)
            #expect(Self.condition(done, "SuccessCriteriaMet") != nil)
            let pods = try await Self.pods(client, job: "three", namespace: namespace)
            #expect(pods.count == 3)
            #expect(pods.allSatisfy { $0.status.phase == "Succeeded" && $0.metadata.labels?["job-name"] == "three" })

            // The condition of another status times out with kubectl's message and exit code.
            let timedOut = try cluster.ctl(
                ["wait", "--for=condition=Failed", "job/three", "-n", namespace, "--timeout", "1s"])
            #expect(timedOut.status == 1)
            #expect(timedOut.err.contains("timed out waiting for the condition on jobs/three"))

            // ttlSecondsAfterFinished deletes the Job, and the garbage collector its pods.
            let deleted = try cluster.ctl(["wait", "--for=delete", "job/three", "-n", namespace, "--timeout", "60s"])
            #expect(deleted.status == 0, "\(deleted.err)")
            #expect(deleted.out == "job.batch/three condition met\n")
            #expect(
                try await eventually(within: .seconds(60)) {
                    try await Self.pods(client, job: "three", namespace: namespace).isEmpty
                })
            let jsonpath = try cluster.ctl(
                ["wait", "--for=jsonpath={.status.phase}=Active", "namespace/\(namespace)", "--timeout", "10s"])
            #expect(jsonpath.out == "namespace/\(namespace) condition met\n", "\(jsonpath.err)")
        }
    }

    @Test func failingPodsExceedTheBackoffLimit() async throws {
        try await Self.withJobCluster(controllers: [("job", ["--controller-option", "job-backoff-base-millis=200"])]) {
            cluster, client, namespace in
            _ = try await client.create(
                Self.job("fails", namespace: namespace, completions: 1, parallelism: 1, exitCode: 3, backoffLimit: 2))
            let waited = try cluster.ctl(
                ["wait", "--for=condition=Failed", "job/fails", "-n", namespace, "--timeout", "90s"])
            #expect(waited.status == 0, "\(waited.err)\n\(cluster.log("job").suffix(3000))")
            let failed = try await client.get(Job.self, namespace: namespace, name: "fails")
            #expect(Self.condition(failed, "Failed")?.reason == "BackoffLimitExceeded")
            #expect(Self.condition(failed, "Complete") == nil)
            #expect(failed.status.failed == 3)
            let pods = try await Self.pods(client, job: "fails", namespace: namespace)
            #expect(pods.count == 3)
            #expect(pods.allSatisfy { $0.status.phase == "Failed" })
        }
    }

    @Test func indexedJobGivesEachPodItsIndex() async throws {
        try await Self.withJobCluster(controllers: [("job", [])]) { cluster, client, namespace in
            _ = try await client.create(
                Self.job("idx", namespace: namespace, completions: 3, parallelism: 3, indexed: true))
            let waited = try cluster.ctl(
                ["wait", "--for=condition=Complete", "job/idx", "-n", namespace, "--timeout", "90s"])
            #expect(waited.status == 0, "\(waited.err)\n\(cluster.log("job").suffix(3000))")
            let done = try await client.get(Job.self, namespace: namespace, name: "idx")
            #expect(done.status.completedIndexes == "0-2")
            #expect(done.status.succeeded == 3)
            let pods = try await Self.pods(client, job: "idx", namespace: namespace)
            let key = "batch.kubernetes.io/job-completion-index"
            #expect(Set(pods.compactMap { $0.metadata.annotations?[key] }) == ["0", "1", "2"])
            for pod in pods {
                let index = pod.metadata.annotations?[key] ?? "?"
                #expect(pod.metadata.labels?[key] == index)
                #expect(pod.spec.hostname == "idx-\(index)")
                #expect(pod.metadata.name?.hasPrefix("idx-\(index)-") == true)
                let env = pod.spec.containers[0].env?.first { $0.name == "JOB_COMPLETION_INDEX" }
                #expect(env?.valueFrom?.fieldRef?.fieldPath == "metadata.annotations['\(key)']")
            }
        }
    }

    @Test func restartedJobControllerCreatesNoExtraPods() async throws {
        try await Self.withJobCluster(controllers: [("job", [])]) { cluster, client, namespace in
            _ = try await client.create(
                Self.job("steady", namespace: namespace, completions: 6, parallelism: 2, exitAfter: 2))
            #expect(
                try await eventually(within: .seconds(60)) {
                    try await client.get(Job.self, namespace: namespace, name: "steady").status.succeeded ?? 0 >= 2
                })
            cluster.stop("job", signal: SIGKILL)
            try await cluster.startController("job", name: "job-again")
            let waited = try cluster.ctl(
                ["wait", "--for=condition=Complete", "job/steady", "-n", namespace, "--timeout", "120s"])
            #expect(waited.status == 0, "\(waited.err)\n\(cluster.log("job-again").suffix(3000))")
            let pods = try await Self.pods(client, job: "steady", namespace: namespace)
            #expect(pods.count == 6)
            #expect(pods.allSatisfy { $0.status.phase == "Succeeded" })
            #expect(try await client.get(Job.self, namespace: namespace, name: "steady").status.succeeded == 6)
        }
    }

    @Test func suspendHoldsPodsAndActiveDeadlineFailsTheJob() async throws {
        try await Self.withJobCluster(controllers: [("job", [])]) { cluster, client, namespace in
            var held = Self.job("held", namespace: namespace, completions: 1, parallelism: 1)
            held.spec.suspend = true
            _ = try await client.create(held)
            #expect(
                try await eventually {
                    let job = try await client.get(Job.self, namespace: namespace, name: "held")
                    return Self.condition(job, "Suspended")?.reason == "JobSuspended"
                })
            #expect(try await Self.pods(client, job: "held", namespace: namespace).isEmpty)
            var resumed = try await client.get(Job.self, namespace: namespace, name: "held")
            resumed.spec.suspend = false
            _ = try await client.update(resumed)
            let waited = try cluster.ctl(
                ["wait", "--for=condition=Complete", "job/held", "-n", namespace, "--timeout", "60s"])
            #expect(waited.status == 0, "\(waited.err)\n\(cluster.log("job").suffix(3000))")

            var slow = Self.job("slow", namespace: namespace, completions: 1, parallelism: 2, exitAfter: 120)
            slow.spec.activeDeadlineSeconds = 3
            _ = try await client.create(slow)
            let failed = try cluster.ctl(
                ["wait", "--for=condition=Failed", "job/slow", "-n", namespace, "--timeout", "60s"])
            #expect(failed.status == 0, "\(failed.err)\n\(cluster.log("job").suffix(3000))")
            let job = try await client.get(Job.self, namespace: namespace, name: "slow")
            #expect(Self.condition(job, "Failed")?.reason == "DeadlineExceeded")
            #expect(job.status.active == 0)
            #expect(
                try await eventually {
                    try await Self.pods(client, job: "slow", namespace: namespace).isEmpty
                })
        }
    }

    /// The cronjob controller's clock runs 20 times faster (hidden option `cronjob-clock-scale`), so
    /// `*/1 * * * *` starts a Job every 3 real seconds.
    @Test func cronJobCreatesJobsTrimsHistoryAndSurvivesARestart() async throws {
        let fast = ["--controller-option", "cronjob-clock-scale=20"]
        try await Self.withJobCluster(controllers: [("job", []), ("cronjob", fast), ("garbage-collector", [])]) {
            cluster, client, namespace in
            var cronJob = CronJob(metadata: ObjectMeta(name: "tick", namespace: namespace))
            cronJob.spec.schedule = "*/1 * * * *"
            cronJob.spec.successfulJobsHistoryLimit = 2
            cronJob.spec.jobTemplate.spec =
                Self.job("unused", namespace: namespace, completions: 1, parallelism: 1)
                .spec
            _ = try await client.create(cronJob)

            var seen = Set<String>()
            func observe() async throws -> [Job] {
                let jobs = try await client.list(Job.self, namespace: namespace).items
                for job in jobs { seen.insert(job.metadata.name ?? "") }
                return jobs
            }
            #expect(
                try await eventually(within: .seconds(90)) { try await observe().count >= 2 },
                "\(cluster.log("cronjob").suffix(3000))")
            cluster.stop("cronjob", signal: SIGKILL)
            try await cluster.startController("cronjob", name: "cronjob-again", args: fast)
            #expect(
                try await eventually(within: .seconds(90)) {
                    _ = try await observe()
                    return seen.count >= 5
                })
            // History: at most 2 finished successful Jobs remain once trimming catches up.
            #expect(
                try await eventually(within: .seconds(30)) {
                    let finished = try await observe().filter { job in
                        job.status.conditions?.contains { $0.type == "Complete" && $0.status == "True" } == true
                    }
                    return finished.count <= 2
                })
            for name in seen {
                #expect(name.hasPrefix("tick-") && Int64(name.dropFirst(5)) != nil)
            }
            let jobs = try await observe()
            #expect(jobs.allSatisfy { $0.metadata.ownerReferences?.first?.kind == "CronJob" })
            let stored = try await client.get(CronJob.self, namespace: namespace, name: "tick")
            #expect(stored.status.lastScheduleTime != nil)
            #expect(stored.status.lastSuccessfulTime != nil)
        }
    }
}
