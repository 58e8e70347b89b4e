import Client
public import ControllerKit
import Foundation
import Logging
import Schema

/// Rolls Deployments out through ReplicaSets named `<deployment>-<pod-template-hash>`, with the semantics of
/// Kubernetes' `pkg/controller/deployment`: RollingUpdate (maxSurge/maxUnavailable) and Recreate, proportional
/// scaling, pause, revisions and their history limit, and the Progressing and Available conditions.
public final class DeploymentController: Controller {
    /// The controller's name.
    public static let name = "deployment"

    private typealias D = DeploymentDecisions
    private let context: ControllerContext
    private let deployments: SharedInformer<Deployment>
    private let replicaSets: SharedInformer<ReplicaSet>
    private let pods: SharedInformer<Pod>
    private let router: DependentRouter<Deployment, ReplicaSet>

    /// Creates the controller and its Deployment, ReplicaSet and Pod handlers.
    public init(context: ControllerContext) {
        self.context = context
        deployments = context.informers.informer(Deployment.self)
        replicaSets = context.informers.informer(ReplicaSet.self)
        pods = context.informers.informer(Pod.self)
        router = DependentRouter(owners: deployments) { $0.spec.selector }
        deployments.addEventHandler { event in await context.enqueue(ObjectKey.of(event.object)) }
        replicaSets.addEventHandler { [self] event in
            for route in router.routes(for: event) { await context.enqueue(route.key) }
        }
        pods.addEventHandler { [self] event in await podEvent(event) }
    }

    /// Every Deployment's key.
    public func resyncKeys() -> [String] { deployments.list().map { ObjectKey.of($0) } }

    /// A Recreate rollout waits for the old pods to go: look again when one does (`deletePod`).
    private func podEvent(_ event: InformerEvent<Pod>) async {
        guard event.type == .deleted, let ref = event.object.metadata.controllerRef, ref.kind == "ReplicaSet",
            let rs = replicaSets.get(namespace: event.object.metadata.namespace, name: ref.name),
            rs.metadata.uid == ref.uid, let dref = rs.metadata.controllerRef,
            let d = router.resolve(dref, namespace: rs.metadata.namespace), !D.isRollingUpdate(d)
        else { return }
        await context.enqueue(ObjectKey.of(d))
    }

    // MARK: Reconcile

    /// Syncs the Deployment `key` (`syncDeployment`).
    public func reconcile(_ key: String) async throws {
        guard var d = deployments.get(key: key) else { return }
        var log = context.logger
        log[metadataKey: "kubus.deployment"] = "\(key)"
        guard let selector = d.spec.selector, !selector.isEmpty else {
            await context.events.record(
                d, type: "Warning", reason: "SelectingAll",
                message: "This deployment is selecting all pods. A non-empty selector is required.", action: "Sync")
            return
        }
        let candidates = replicaSets.list(namespace: d.metadata.namespace)
        let manager = ControllerRefManager(owner: d, selector: selector, client: context.client, logger: log)
        var sets = try await manager.claim(candidates)

        if d.metadata.isBeingDeleted {
            // Only the status: the garbage collector removes what the Deployment owns.
            let (new, old) = split(d, sets)
            let status = D.calculateStatus(d, all: old + (new.map { [$0] } ?? []), new: new, now: .now())
            try await writeStatus(&d, status)
            return
        }
        try await checkPausedConditions(&d)
        if d.spec.paused == true || D.isScalingEvent(d, sets: sets) {
            try await sync(&d, &sets)
            return
        }
        if D.isRollingUpdate(d) {
            try await rolloutRolling(&d, &sets)
        } else {
            try await rolloutRecreate(&d, &sets)
        }
    }

    /// The ReplicaSet of the current template and the others.
    private func split(_ d: Deployment, _ sets: [ReplicaSet]) -> (new: ReplicaSet?, old: [ReplicaSet]) {
        let new = D.findNewReplicaSet(d, sets)
        return (new, sets.filter { $0.metadata.uid != new?.metadata.uid })
    }

    /// Scaling only, and the history clean-up while paused (`sync`).
    private func sync(_ d: inout Deployment, _ sets: inout [ReplicaSet]) async throws {
        var (new, old) = try await newAndOld(&d, sets, create: false)
        let sizes = D.proportionalSizes(d, new: new, old: old)
        new = try await apply(sizes, to: new, d)
        old = try await apply(sizes, to: old, d)
        if d.spec.paused == true { try await cleanup(d, old: old) }
        let all = old + (new.map { [$0] } ?? [])
        let status = D.calculateStatus(d, all: all, new: new, now: .now())
        try await writeStatus(&d, status)
    }

    /// One RollingUpdate step (`rolloutRolling`).
    private func rolloutRolling(_ d: inout Deployment, _ sets: inout [ReplicaSet]) async throws {
        var (newOrNil, old) = try await newAndOld(&d, sets, create: true)
        guard var new = newOrNil else { return }
        if let size = D.reconcileNewReplicaSet(d, all: old + [new], new: new) {
            new = try await scale(new, to: size, d)
            return try await syncRolloutStatus(&d, all: old + [new], new: new)
        }
        let sizes = D.reconcileOldReplicaSets(d, old: old, new: new)
        if !sizes.isEmpty {
            old = try await apply(sizes, to: old, d)
            return try await syncRolloutStatus(&d, all: old + [new], new: new)
        }
        let status = D.calculateStatus(d, all: old + [new], new: new, now: .now())
        if D.isComplete(d, status) { try await cleanup(d, old: old) }
        try await syncRolloutStatus(&d, all: old + [new], new: new)
    }

    /// One Recreate step (`rolloutRecreate`): every old pod gone before the new ReplicaSet grows.
    private func rolloutRecreate(_ d: inout Deployment, _ sets: inout [ReplicaSet]) async throws {
        var (new, old) = try await newAndOld(&d, sets, create: false)
        let down = Dictionary(D.active(old).map { ($0.metadata.name ?? "", 0) }, uniquingKeysWith: { a, _ in a })
        if !down.isEmpty {
            old = try await apply(down, to: old, d)
            return try await syncRolloutStatus(&d, all: old + (new.map { [$0] } ?? []), new: new)
        }
        let oldUIDs = Set(old.compactMap(\.metadata.uid))
        let oldPodsRunning =
            old.contains { $0.status.replicas > 0 }
            || pods.list(namespace: d.metadata.namespace).contains { pod in
                guard let ref = pod.metadata.controllerRef, oldUIDs.contains(ref.uid) else { return false }
                return pod.status.phase != "Succeeded" && pod.status.phase != "Failed"
            }
        if oldPodsRunning {
            return try await syncRolloutStatus(&d, all: old + (new.map { [$0] } ?? []), new: new)
        }
        if new == nil { (new, old) = try await newAndOld(&d, sets, create: true) }
        guard var created = new else { return }
        if D.replicas(created) != D.replicas(d) { created = try await scale(created, to: D.replicas(d), d) }
        let status = D.calculateStatus(d, all: old + [created], new: created, now: .now())
        if D.isComplete(d, status) { try await cleanup(d, old: old) }
        try await syncRolloutStatus(&d, all: old + [created], new: created)
    }

    // MARK: ReplicaSets

    /// The new ReplicaSet (created when `create` and missing) with its revision synced, and the old ones
    /// (`getAllReplicaSetsAndSyncRevision`).
    private func newAndOld(_ d: inout Deployment, _ sets: [ReplicaSet], create: Bool) async throws
        -> (ReplicaSet?, [ReplicaSet])
    {
        let (existing, old) = split(d, sets)
        let maxOld = old.map { D.revision($0.metadata) }.max() ?? 0
        let newRevision = String(maxOld + 1)
        if var rs = existing {
            var changed = false
            if D.revision(rs.metadata) < maxOld + 1 || rs.metadata.annotations?[D.revisionAnnotation] == nil {
                let previous = rs.metadata.annotations?[D.revisionAnnotation]
                var annotations = rs.metadata.annotations ?? [:]
                annotations[D.revisionAnnotation] = newRevision
                if let previous {
                    let history = annotations[D.revisionHistoryAnnotation].map { "\($0),\(previous)" } ?? previous
                    annotations[D.revisionHistoryAnnotation] = history
                }
                rs.metadata.annotations = annotations
                changed = true
            }
            if setReplicasAnnotations(&rs, d) { changed = true }
            if rs.spec.minReadySeconds != d.spec.minReadySeconds {
                rs.spec.minReadySeconds = d.spec.minReadySeconds
                changed = true
            }
            if changed { rs = try await context.client.update(rs) }
            try await setDeploymentRevision(&d, rs.metadata.annotations?[D.revisionAnnotation] ?? newRevision)
            if d.spec.progressDeadlineSeconds != nil, D.condition(d.status, "Progressing") == nil {
                var status = d.status
                D.setCondition(
                    &status,
                    progressing("True", "FoundNewReplicaSet", "Found new replica set \"\(rs.metadata.name ?? "")\""))
                try await writeStatus(&d, status)
            }
            return (rs, old)
        }
        guard create else { return (nil, old) }

        let hash = TemplateHash.compute(d.spec.template, collisionCount: d.status.collisionCount)
        var template = d.spec.template
        template.metadata.labels = (template.metadata.labels ?? [:]).merging([D.podTemplateHashLabel: hash]) { _, b in b
        }
        var selector = d.spec.selector ?? LabelSelector()
        selector.matchLabels = (selector.matchLabels ?? [:]).merging([D.podTemplateHashLabel: hash]) { _, b in b }
        let name = "\(d.metadata.name ?? "")-\(hash)"
        var rs = ReplicaSet(
            metadata: ObjectMeta(
                name: name, namespace: d.metadata.namespace, labels: template.metadata.labels,
                annotations: [D.revisionAnnotation: newRevision], ownerReferences: [d.asControllerRef]),
            spec: ReplicaSetSpec(
                replicas: 0, minReadySeconds: d.spec.minReadySeconds, selector: selector, template: template))
        rs.spec.replicas = D.newReplicaSetReplicas(d, all: old + [rs], new: rs)
        _ = setReplicasAnnotations(&rs, d)
        let created: ReplicaSet
        var alreadyExisted = false
        do {
            created = try await context.client.create(rs)
        } catch let error where error.isAlreadyExists {
            // Made before a restart, or a hash collision: ours only if we own it with the same template.
            let found = try await context.client.get(ReplicaSet.self, namespace: d.metadata.namespace, name: name)
            if found.metadata.controllerRef?.refersTo(uid: d.metadata.uid) == true, let t = found.spec.template,
                D.equalIgnoringHash(t, d.spec.template)
            {
                created = found
                alreadyExisted = true
            } else {
                var status = d.status
                status.collisionCount = (status.collisionCount ?? 0) + 1
                try await writeStatus(&d, status)
                throw error
            }
        } catch {
            var status = d.status
            D.setCondition(
                &status,
                DeploymentCondition(
                    type: "ReplicaFailure", status: "True", lastUpdateTime: .now(), lastTransitionTime: .now(),
                    reason: "FailedCreate", message: "\(error)"))
            try? await writeStatus(&d, status)
            throw error
        }
        if !alreadyExisted && D.replicas(created) > 0 {
            await context.events.record(
                d, type: "Normal", reason: "ScalingReplicaSet",
                message: "Scaled up replica set \(name) from 0 to \(D.replicas(created))", action: "Scale")
        }
        try await setDeploymentRevision(&d, newRevision)
        if !alreadyExisted, d.spec.progressDeadlineSeconds != nil {
            var status = d.status
            D.setCondition(&status, progressing("True", "NewReplicaSetCreated", "Created new replica set \"\(name)\""))
            try await writeStatus(&d, status)
        }
        return (created, old)
    }

    /// Sets `desired-replicas` and `max-replicas`; whether they changed.
    private func setReplicasAnnotations(_ rs: inout ReplicaSet, _ d: Deployment) -> Bool {
        let desired = String(D.replicas(d))
        let maxReplicas = String(D.replicas(d) + D.maxSurge(d))
        var annotations = rs.metadata.annotations ?? [:]
        guard annotations[D.desiredReplicasAnnotation] != desired || annotations[D.maxReplicasAnnotation] != maxReplicas
        else { return false }
        annotations[D.desiredReplicasAnnotation] = desired
        annotations[D.maxReplicasAnnotation] = maxReplicas
        rs.metadata.annotations = annotations
        return true
    }

    /// Scales each ReplicaSet named in `sizes`.
    private func apply(_ sizes: [String: Int], to sets: [ReplicaSet], _ d: Deployment) async throws -> [ReplicaSet] {
        var result: [ReplicaSet] = []
        for rs in sets {
            if let size = sizes[rs.metadata.name ?? ""] {
                result.append(try await scale(rs, to: size, d))
            } else {
                result.append(rs)
            }
        }
        return result
    }

    private func apply(_ sizes: [String: Int], to rs: ReplicaSet?, _ d: Deployment) async throws -> ReplicaSet? {
        guard let rs else { return nil }
        return try await apply(sizes, to: [rs], d).first
    }

    /// Writes a ReplicaSet's size and replicas annotations when either changed (`scaleReplicaSet`).
    private func scale(_ rs: ReplicaSet, to size: Int, _ d: Deployment) async throws -> ReplicaSet {
        var next = rs
        let from = D.replicas(rs)
        next.spec.replicas = size
        let annotationsChanged = setReplicasAnnotations(&next, d)
        guard from != size || annotationsChanged else { return rs }
        let updated = try await context.client.update(next)
        if from != size {
            let direction = size > from ? "up" : "down"
            await context.events.record(
                d, type: "Normal", reason: "ScalingReplicaSet",
                message: "Scaled \(direction) replica set \(rs.metadata.name ?? "") from \(from) to \(size)",
                action: "Scale")
        }
        return updated
    }

    /// Deletes old ReplicaSets beyond `revisionHistoryLimit` (`cleanupDeployment`).
    private func cleanup(_ d: Deployment, old: [ReplicaSet]) async throws {
        for rs in D.replicaSetsToCleanUp(d, old: old) {
            context.logger.debug(
                "trimming revision history", metadata: ["kubus.replicaset": "\(ObjectKey.of(rs))"])
            do {
                try await context.client.delete(
                    ReplicaSet.self, namespace: rs.metadata.namespace, name: rs.metadata.name ?? "")
            } catch {
                // Gone already is what we wanted.
                if !error.isNotFound { throw error }
            }
        }
    }

    // MARK: Deployment status

    private func progressing(_ status: String, _ reason: String, _ message: String) -> DeploymentCondition {
        let now = Time.now()
        return DeploymentCondition(
            type: "Progressing", status: status, lastUpdateTime: now, lastTransitionTime: now, reason: reason,
            message: message)
    }

    /// The DeploymentPaused / DeploymentResumed Progressing condition (`checkPausedConditions`).
    private func checkPausedConditions(_ d: inout Deployment) async throws {
        guard d.spec.progressDeadlineSeconds != nil else { return }
        let cond = D.condition(d.status, "Progressing")
        if cond?.reason == "ProgressDeadlineExceeded" { return }
        let pausedShown = cond?.reason == "DeploymentPaused"
        var status = d.status
        if d.spec.paused == true && !pausedShown {
            D.setCondition(&status, progressing("Unknown", "DeploymentPaused", "Deployment is paused"))
        } else if d.spec.paused != true && pausedShown {
            D.setCondition(&status, progressing("Unknown", "DeploymentResumed", "Deployment is resumed"))
        } else {
            return
        }
        try await writeStatus(&d, status)
    }

    /// Writes the rollout status, and looks again when the progress deadline would pass (`syncRolloutStatus`).
    private func syncRolloutStatus(_ d: inout Deployment, all: [ReplicaSet], new: ReplicaSet?) async throws {
        var status = D.rolloutStatus(d, all: all, new: new, now: Date())
        // A ReplicaSet that cannot create pods makes the Deployment's ReplicaFailure.
        if let failure = all.compactMap({ $0.status.conditions?.first { $0.type == "ReplicaFailure" } }).first {
            D.setCondition(
                &status,
                DeploymentCondition(
                    type: "ReplicaFailure", status: failure.status, lastUpdateTime: .now(),
                    lastTransitionTime: failure.lastTransitionTime, reason: failure.reason, message: failure.message))
        } else {
            D.removeCondition(&status, "ReplicaFailure")
        }
        try await writeStatus(&d, status)
        // requeueStuckDeployment
        if let deadline = d.spec.progressDeadlineSeconds, let cond = D.condition(d.status, "Progressing"),
            cond.reason != "NewReplicaSetAvailable", cond.reason != "ProgressDeadlineExceeded",
            !D.isComplete(d, d.status), let from = cond.lastUpdateTime?.date
        {
            let after = max(1, from.addingTimeInterval(TimeInterval(deadline)).timeIntervalSinceNow + 1)
            await context.enqueue(ObjectKey.of(d), after: .seconds(after))
        }
    }

    /// Sets the Deployment's revision annotation (a metadata patch, so the status stays its own write).
    private func setDeploymentRevision(_ d: inout Deployment, _ revision: String) async throws {
        guard d.metadata.annotations?[D.revisionAnnotation] != revision else { return }
        let body = try await context.client.patch(
            kind: "Deployment", namespace: d.metadata.namespace, name: d.metadata.name ?? "",
            patch: ["metadata": ["annotations": .object([D.revisionAnnotation: .string(revision)])]])
        if let patched = try? body.decode(as: Deployment.self) {
            d.metadata = patched.metadata
        }
    }

    /// Writes `status` when it changed (`ControllerContext.writeStatus`) and keeps what was stored in `d`.
    private func writeStatus(_ d: inout Deployment, _ status: DeploymentStatus) async throws {
        d = try await context.writeStatus(d) { $0.status = status }
    }
}
