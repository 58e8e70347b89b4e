import Client
public import ControllerKit
public import Foundation
import Logging
public import Schema
import Synchronization

/// Keeps `spec.replicas` pods matching each ReplicaSet's selector, with the semantics of Kubernetes'
/// `pkg/controller/replicaset`: claims (adopts and releases) pods, creates missing ones in slow-start batches
/// guarded by expectations, deletes the least valuable extra ones first, and writes the status.
public final class ReplicaSetController: Controller {
    /// The controller's name.
    public static let name = "replicaset"
    /// Kubernetes' `BurstReplicas`: the most pods created or deleted in one reconcile.
    public static let burstReplicas = 500

    private let context: ControllerContext
    private let replicaSets: SharedInformer<ReplicaSet>
    private let pods: SharedInformer<Pod>
    private let expectations = Mutex(ControllerExpectations())
    private let podControl: PodControl
    private let router: DependentRouter<ReplicaSet, Pod>

    /// Creates the controller and its ReplicaSet and Pod handlers.
    public init(context: ControllerContext) {
        self.context = context
        replicaSets = context.informers.informer(ReplicaSet.self)
        pods = context.informers.informer(Pod.self)
        podControl = PodControl(client: context.client, events: context.events, logger: context.logger)
        router = DependentRouter(owners: replicaSets) { $0.spec.selector }
        replicaSets.addEventHandler { [self] event in await replicaSetEvent(event) }
        pods.addEventHandler { [self] event in await podEvent(event) }
    }

    /// Every ReplicaSet's key.
    public func resyncKeys() -> [String] { replicaSets.list().map { ObjectKey.of($0) } }

    // MARK: Event handlers

    private func replicaSetEvent(_ event: InformerEvent<ReplicaSet>) async {
        let key = ObjectKey.of(event.object)
        if event.type == .deleted { expectations.withLock { $0.delete(key) } }
        await context.enqueue(key)
    }

    private func podEvent(_ event: InformerEvent<Pod>) async {
        for route in router.routes(for: event) {
            expectations.observe(route)
            await context.enqueue(route.key)
        }
        // A pod that just became ready becomes available minReadySeconds later: look again then.
        let pod = event.object
        guard event.type == .modified, let old = event.old, !old.isPodReady, pod.isPodReady,
            let ref = pod.metadata.controllerRef, let rs = router.resolve(ref, namespace: pod.metadata.namespace),
            let minReady = rs.spec.minReadySeconds, minReady > 0
        else { return }
        await context.enqueue(ObjectKey.of(rs), after: .seconds(minReady) + .seconds(1))
    }

    // MARK: Reconcile

    /// Syncs the ReplicaSet `key` (`syncReplicaSet`).
    public func reconcile(_ key: String) async throws {
        guard let rs = replicaSets.get(key: key) else {
            expectations.withLock { $0.delete(key) }
            return
        }
        let needsSync = expectations.withLock { $0.isSatisfied(key) }
        guard let selector = rs.spec.selector, !selector.isEmpty else {
            // Validation forbids this; never select every pod of the namespace.
            context.logger.warning(
                "ReplicaSet has an empty selector; skipping", metadata: ["kubus.replicaset": "\(key)"])
            return
        }
        let active = pods.list(namespace: rs.metadata.namespace).filter(\.isActive)
        let manager = ControllerRefManager(
            owner: rs, selector: selector, client: context.client, logger: context.logger)
        let owned = try await manager.claim(active)

        var manageError: (any Error)?
        if needsSync && !rs.metadata.isBeingDeleted {
            do {
                try await manageReplicas(owned, of: rs, key: key)
            } catch {
                manageError = error
            }
        }
        let status = Self.calculateStatus(rs, pods: owned, manageError: manageError)
        // `updateReplicaSetStatus`: with the current observedGeneration, unless nothing changed.
        let updated = try await context.writeStatus(rs) {
            $0.status = status
            $0.status.observedGeneration = $0.metadata.generation
        }
        let minReady = updated.spec.minReadySeconds ?? 0
        let replicas = updated.spec.replicas ?? 1
        if manageError == nil, minReady > 0, updated.status.readyReplicas ?? 0 == replicas,
            updated.status.availableReplicas ?? 0 != replicas
        {
            await context.enqueue(key, after: .seconds(minReady))
        }
        if let manageError { throw manageError }
    }

    /// Creates or deletes pods so that `replicas` are active (`manageReplicas`).
    private func manageReplicas(_ owned: [Pod], of rs: ReplicaSet, key: String) async throws {
        let replicas = rs.spec.replicas ?? 1
        let diff = owned.count - replicas
        if diff < 0 {
            let count = min(-diff, Self.burstReplicas)
            guard let template = rs.spec.template else { return }
            context.logger.debug(
                "too few replicas; creating",
                metadata: [
                    "kubus.replicaset": "\(key)", "kubus.need": "\(replicas)", "kubus.creating": "\(count)",
                ])
            let podControl = self.podControl
            try await expectations.create(count, key: key) {
                do {
                    try await podControl.createPod(from: template, owner: rs)
                } catch let error as APIError where error.isNamespaceTerminating {
                    // The namespace is going away: nothing to create, and not an error to retry.
                    return
                }
            }
        } else if diff > 0 {
            let count = min(diff, Self.burstReplicas)
            let related = pods.list(namespace: rs.metadata.namespace).filter { pod in
                pod.isActive && pod.metadata.controllerRef?.refersTo(uid: rs.metadata.uid) == true
            }
            let victims = ActivePods.toDelete(owned, count: count, related: related)
            context.logger.debug(
                "too many replicas; deleting",
                metadata: [
                    "kubus.replicaset": "\(key)", "kubus.need": "\(replicas)", "kubus.deleting": "\(count)",
                ])
            try await expectations.delete(victims, of: rs, key: key, through: podControl)
        }
    }

    /// The status the ReplicaSet should have given its owned active pods (`calculateStatus`).
    public static func calculateStatus(
        _ rs: ReplicaSet, pods: [Pod], manageError: (any Error)?, now: Date = Date()
    ) -> ReplicaSetStatus {
        var status = rs.status
        let templateLabels = rs.spec.template?.metadata.labels ?? [:]
        let minReady = rs.spec.minReadySeconds ?? 0
        var fullyLabeled = 0
        var ready = 0
        var available = 0
        for pod in pods {
            let labels = pod.metadata.labels ?? [:]
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value }) { fullyLabeled += 1 }
            if pod.isPodReady {
                ready += 1
                if pod.isAvailable(minReadySeconds: minReady, now: now) { available += 1 }
            }
        }
        var conditions = status.conditions ?? []
        let failure = conditions.firstIndex { $0.type == "ReplicaFailure" }
        if let manageError, failure == nil {
            let diff = pods.count - (rs.spec.replicas ?? 1)
            let reason = diff < 0 ? "FailedCreate" : (diff > 0 ? "FailedDelete" : "")
            conditions.append(
                ReplicaSetCondition(
                    type: "ReplicaFailure", status: "True", lastTransitionTime: Time.now(), reason: reason,
                    message: "\(manageError)"))
        } else if manageError == nil, let failure {
            conditions.remove(at: failure)
        }
        status.conditions = conditions.isEmpty ? nil : conditions
        status.replicas = pods.count
        status.fullyLabeledReplicas = fullyLabeled
        status.readyReplicas = ready
        status.availableReplicas = available
        return status
    }
}
