import Client
public import ControllerKit
import Foundation
import Logging
public import Schema
import Synchronization

/// Runs each Job's pods to completion, with the semantics of Kubernetes' `pkg/controller/job` and the
/// ttl-after-finished controller: completions and parallelism (NonIndexed and Indexed), backoffLimit with
/// exponential back-off between failed pods, activeDeadlineSeconds, suspend, the Complete/Failed conditions and
/// status, and deletion of finished Jobs after `ttlSecondsAfterFinished`.
///
/// Counts come from the Job's pods (finished pods are kept until the Job goes), so a restarted controller
/// counts the same; expectations keep it from creating twice while its cache catches up.
public final class JobController: Controller {
    /// The controller's name.
    public static let name = "job"
    /// The most pods created or deleted in one reconcile.
    public static let burstPods = 500

    private let context: ControllerContext
    private let jobs: SharedInformer<Job>
    private let pods: SharedInformer<Pod>
    private let expectations = Mutex(ControllerExpectations())
    private let podControl: PodControl
    private let router: DependentRouter<Job, Pod>
    private let backoffBase: Duration

    /// Creates the controller and its Job and Pod handlers; the hidden option `job-backoff-base-millis`
    /// shortens the back-off for tests.
    public init(context: ControllerContext) {
        self.context = context
        jobs = context.informers.informer(Job.self)
        pods = context.informers.informer(Pod.self)
        podControl = PodControl(client: context.client, events: context.events, logger: context.logger)
        router = DependentRouter(owners: jobs) { $0.spec.selector }
        if let millis = context.configuration.options["job-backoff-base-millis"].flatMap(Int.init), millis >= 0 {
            backoffBase = .milliseconds(millis)
        } else {
            backoffBase = JobDecisions.defaultBackoffBase
        }
        jobs.addEventHandler { [self] event in await jobEvent(event) }
        pods.addEventHandler { [self] event in await podEvent(event) }
    }

    /// Every Job's key.
    public func resyncKeys() -> [String] { jobs.list().map { ObjectKey.of($0) } }

    private func jobEvent(_ event: InformerEvent<Job>) async {
        let key = ObjectKey.of(event.object)
        if event.type == .deleted { expectations.withLock { $0.delete(key) } }
        await context.enqueue(key)
    }

    private func podEvent(_ event: InformerEvent<Pod>) async {
        for route in router.routes(for: event) {
            expectations.observe(route)
            await context.enqueue(route.key)
        }
    }

    // MARK: Reconcile

    /// Syncs the Job `key` (`syncJob`).
    public func reconcile(_ key: String) async throws {
        guard let job = jobs.get(key: key) else {
            expectations.withLock { $0.delete(key) }
            return
        }
        let now = Date()
        if JobDecisions.isFinished(job) {
            try await deleteIfExpired(job, key: key, now: now)
            return
        }
        let needsSync = expectations.withLock { $0.isSatisfied(key) }
        guard let selector = job.spec.selector, !selector.isEmpty else {
            context.logger.warning("Job has an empty selector; skipping", metadata: ["kubus.job": "\(key)"])
            return
        }
        let all = pods.list(namespace: job.metadata.namespace)
        let manager = ControllerRefManager(
            owner: job, selector: selector, client: context.client, logger: context.logger)
        let owned = try await manager.claim(all)
        let active = owned.filter(\.isActive)
        let succeededPods = owned.filter { $0.status.phase == "Succeeded" }
        let failedPods = owned.filter { $0.status.phase == "Failed" }
        let indexed = job.spec.completionMode == "Indexed"
        let completions = job.spec.completions
        let parallelism = max(0, job.spec.parallelism ?? 1)

        var status = job.status
        let nowTime = Time(now)
        var conditions = status.conditions ?? []
        let suspended = job.spec.suspend == true
        if status.startTime == nil && !suspended { status.startTime = nowTime }

        // Succeeded: pods (NonIndexed) or distinct indexes (Indexed).
        var completedIndexes = Set<Int>()
        if indexed, let completions {
            completedIndexes = JobDecisions.parseIndexes(status.completedIndexes, completions: completions)
            for pod in succeededPods {
                if let i = JobDecisions.completionIndex(of: pod), i < completions { completedIndexes.insert(i) }
            }
        }
        let succeeded = indexed ? completedIndexes.count : max(succeededPods.count, status.succeeded ?? 0)
        let failed = max(failedPods.count, status.failed ?? 0)
        let restarts =
            job.spec.template.spec.restartPolicy == "OnFailure"
            ? active.reduce(0) { $0 + JobDecisions.restarts(of: $1) } : 0

        var failure: (reason: String, message: String)?
        if JobDecisions.exceedsBackoffLimit(
            failed: failed, activeRestarts: restarts, restartPolicy: job.spec.template.spec.restartPolicy,
            backoffLimit: job.spec.backoffLimit ?? JobDecisions.defaultBackoffLimit)
        {
            failure = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
        } else if let deadline = job.spec.activeDeadlineSeconds, !suspended, let start = status.startTime?.date {
            let remaining = start.addingTimeInterval(TimeInterval(deadline)).timeIntervalSince(now)
            if remaining <= 0 {
                failure = ("DeadlineExceeded", "Job was active longer than specified deadline")
            } else {
                await context.enqueue(key, after: .milliseconds(Int(remaining * 1000) + 50))
            }
        }
        let complete =
            failure == nil
            && JobDecisions.isComplete(
                completions: indexed ? (completions ?? 1) : completions, succeeded: succeeded, active: active.count)

        var manageError: (any Error)?
        var activeCount = active.count
        if let failure {
            try await deletePods(active, of: job, key: key)
            activeCount = 0
            JobDecisions.setCondition(
                &conditions, type: "FailureTarget", reason: failure.reason, message: failure.message, now: nowTime)
            JobDecisions.setCondition(
                &conditions, type: "Failed", reason: failure.reason, message: failure.message, now: nowTime)
            await context.events.record(
                job, type: "Warning", reason: failure.reason, message: failure.message, action: "Sync")
        } else if complete {
            if !active.isEmpty { try await deletePods(active, of: job, key: key) }
            activeCount = 0
            JobDecisions.setCondition(
                &conditions, type: "SuccessCriteriaMet", reason: "CompletionsReached",
                message: "Reached expected number of succeeded pods", now: nowTime)
            JobDecisions.setCondition(
                &conditions, type: "Complete", reason: "CompletionsReached",
                message: "Reached expected number of succeeded pods", now: nowTime)
            status.completionTime = nowTime
            await context.events.record(
                job, type: "Normal", reason: "Completed", message: "Job completed", action: "Sync")
        } else if needsSync && !job.metadata.isBeingDeleted {
            do {
                activeCount = try await manage(
                    job, key: key, active: active, failedPods: failedPods, succeeded: succeeded,
                    completedIndexes: completedIndexes, parallelism: suspended ? 0 : parallelism, now: now)
            } catch {
                manageError = error
            }
            if suspended {
                JobDecisions.setCondition(
                    &conditions, type: "Suspended", reason: "JobSuspended", message: "Job suspended", now: nowTime)
            } else if let i = conditions.firstIndex(where: { $0.type == "Suspended" && $0.status == "True" }) {
                conditions[i].status = "False"
                conditions[i].reason = "JobResumed"
                conditions[i].message = "Job resumed"
                conditions[i].lastTransitionTime = nowTime
                status.startTime = nowTime
            }
        }

        status.conditions = conditions.isEmpty ? nil : conditions
        status.active = activeCount
        status.ready = failure == nil && !complete ? active.filter(\.isPodReady).count : 0
        status.succeeded = succeeded
        status.failed = failed
        if indexed { status.completedIndexes = JobDecisions.formatIndexes(completedIndexes) }
        let updated = try await context.writeStatus(job) { $0.status = status }
        if JobDecisions.isFinished(updated) { try await deleteIfExpired(updated, key: key, now: now) }
        if let manageError { throw manageError }
    }

    /// Creates or deletes pods toward `parallelism` (`manageJob`); returns the active count it leaves.
    private func manage(
        _ job: Job, key: String, active: [Pod], failedPods: [Pod], succeeded: Int, completedIndexes: Set<Int>,
        parallelism: Int, now: Date
    ) async throws -> Int {
        let indexed = job.spec.completionMode == "Indexed"
        let completions = indexed ? (job.spec.completions ?? 1) : job.spec.completions
        let want = JobDecisions.wantActive(parallelism: parallelism, completions: completions, succeeded: succeeded)
        if active.count > want {
            let victims = ActivePods.toDelete(active, count: min(active.count - want, Self.burstPods))
            try await deletePods(victims, of: job, key: key)
            return active.count - victims.count
        }
        guard active.count < want else { return active.count }
        // Back off after failures: base × 2^(n-1) after the n-th failed pod, counted from the last failure.
        if !failedPods.isEmpty, let last = failedPods.compactMap({ JobDecisions.finishTime(of: $0) }).max() {
            let delay = JobDecisions.backoff(failures: failedPods.count, base: backoffBase)
            let wait = last.addingTimeInterval(
                Double(delay.components.seconds)
                    + Double(delay.components.attoseconds) / 1e18
            ).timeIntervalSince(now)
            if wait > 0 {
                await context.enqueue(key, after: .milliseconds(Int(wait * 1000) + 10))
                return active.count
            }
        }
        var count = min(want - active.count, Self.burstPods)
        var indexes: [Int] = []
        if indexed, let completions {
            let running = Set(active.compactMap { JobDecisions.completionIndex(of: $0) })
            indexes = JobDecisions.missingIndexes(
                completions: completions, completed: completedIndexes, active: running, count: count)
            count = indexes.count
        }
        guard count > 0 else { return active.count }
        let podControl = self.podControl
        let cursor = IndexCursor(indexes)
        let created = try await expectations.create(count, key: key) {
            let index = cursor.next()
            let template = Self.podTemplate(for: job, index: index)
            do {
                if let index {
                    try await self.createIndexedPod(from: template, job: job, index: index)
                } else {
                    try await podControl.createPod(from: template, owner: job)
                }
            } catch let error as APIError where error.isNamespaceTerminating {
                return
            }
        }
        return active.count + created
    }

    /// The template of the pod for `index` of an Indexed Job: the index as annotation, label and
    /// `JOB_COMPLETION_INDEX`, hostname `<job>-<index>`.
    public static func podTemplate(for job: Job, index: Int?) -> PodTemplateSpec {
        var template = job.spec.template
        guard let index else { return template }
        let key = JobDecisions.completionIndexKey
        template.metadata.annotations = (template.metadata.annotations ?? [:]).merging([key: "\(index)"]) { $1 }
        template.metadata.labels = (template.metadata.labels ?? [:]).merging([key: "\(index)"]) { $1 }
        if template.spec.hostname == nil { template.spec.hostname = "\(job.metadata.name ?? "")-\(index)" }
        let env = EnvVar(
            name: "JOB_COMPLETION_INDEX",
            valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "metadata.annotations['\(key)']")))
        for i in template.spec.containers.indices {
            var vars = template.spec.containers[i].env ?? []
            if !vars.contains(where: { $0.name == env.name }) { vars.append(env) }
            template.spec.containers[i].env = vars
        }
        for i in (template.spec.initContainers ?? []).indices {
            var vars = template.spec.initContainers![i].env ?? []
            if !vars.contains(where: { $0.name == env.name }) { vars.append(env) }
            template.spec.initContainers![i].env = vars
        }
        return template
    }

    /// Creates the pod of `index`, named `<job>-<index>-<suffix>` as Kubernetes names them.
    private func createIndexedPod(from template: PodTemplateSpec, job: Job, index: Int) async throws {
        let pod = try PodControl.pod(
            from: template, namespace: job.metadata.namespace, generateName: "\(job.metadata.name ?? "")-\(index)-",
            controllerRef: job.asControllerRef)
        try await podControl.create(pod, owner: job)
    }

    private func deletePods(_ victims: [Pod], of job: Job, key: String) async throws {
        try await expectations.delete(victims, of: job, key: key, through: podControl)
    }

    /// Deletes a finished Job with background propagation once `ttlSecondsAfterFinished` has passed
    /// (the ttl-after-finished controller), or looks again then.
    private func deleteIfExpired(_ job: Job, key: String, now: Date) async throws {
        guard let ttl = job.spec.ttlSecondsAfterFinished, !job.metadata.isBeingDeleted,
            let finished = JobDecisions.finishTime(of: job)
        else { return }
        let remaining = finished.addingTimeInterval(TimeInterval(ttl)).timeIntervalSince(now)
        if remaining > 0 {
            await context.enqueue(key, after: .milliseconds(Int(remaining * 1000) + 50))
            return
        }
        context.logger.info("deleting finished Job after its TTL", metadata: ["kubus.job": "\(key)"])
        do {
            try await context.client.delete(
                Job.self, namespace: job.metadata.namespace, name: job.metadata.name ?? "",
                propagationPolicy: "Background")
        } catch {
            if !error.isNotFound { throw error }
        }
    }
}

/// Hands out the indexes to create, one per pod creation.
private final class IndexCursor: Sendable {
    private let state: Mutex<(indexes: [Int], next: Int)>

    init(_ indexes: [Int]) { state = Mutex((indexes, 0)) }

    /// The next index, or nil for a NonIndexed Job.
    func next() -> Int? {
        state.withLock { s in
            guard s.next < s.indexes.count else { return nil }
            defer { s.next += 1 }
            return s.indexes[s.next]
        }
    }
}
