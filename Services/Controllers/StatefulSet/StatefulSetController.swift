import Client
public import ControllerKit
import Foundation
import Logging
import Schema

/// Runs each StatefulSet's pods `<set>-<ordinal>` with stable identities and claims, with the semantics of
/// Kubernetes' `pkg/controller/statefulset`: `OrderedReady` or `Parallel` management, claims from
/// `volumeClaimTemplates` created before their pod and kept after it, `RollingUpdate` (newest ordinal first,
/// down to the partition) or `OnDelete`, and the status.
///
/// Pods and claims have deterministic names, so a restarted controller recreates nothing twice: a create of a
/// name that exists is AlreadyExists, which counts as done.
public final class StatefulSetController: Controller {
    /// The controller's name.
    public static let name = "statefulset"

    private let context: ControllerContext
    private let sets: SharedInformer<StatefulSet>
    private let pods: SharedInformer<Pod>
    private let claims: SharedInformer<PersistentVolumeClaim>
    private let router: DependentRouter<StatefulSet, Pod>

    /// Creates the controller and its StatefulSet and Pod handlers.
    public init(context: ControllerContext) {
        self.context = context
        sets = context.informers.informer(StatefulSet.self)
        pods = context.informers.informer(Pod.self)
        claims = context.informers.informer(PersistentVolumeClaim.self)
        router = DependentRouter(owners: sets) { $0.spec.selector }
        sets.addEventHandler { [context] event in await context.enqueue(ObjectKey.of(event.object)) }
        pods.addEventHandler { [self] event in
            for route in router.routes(for: event) { await context.enqueue(route.key) }
        }
    }

    /// Every StatefulSet's key.
    public func resyncKeys() -> [String] { sets.list().map { ObjectKey.of($0) } }

    /// Syncs the StatefulSet `key` (`syncStatefulSet`).
    public func reconcile(_ key: String) async throws {
        guard let set = sets.get(key: key) else { return }
        guard let selector = set.spec.selector, !selector.isEmpty else {
            context.logger.warning(
                "StatefulSet has an empty selector; skipping", metadata: ["kubus.statefulset": "\(key)"])
            return
        }
        let name = set.metadata.name ?? ""
        // Failed pods are claimed too: the controller replaces them.
        let candidates = pods.list(namespace: set.metadata.namespace).filter {
            StatefulSetDecisions.ordinal(of: $0.metadata.name, set: name) != nil
        }
        let manager = ControllerRefManager(
            owner: set, selector: selector, client: context.client, logger: context.logger)
        let owned = try await manager.claim(candidates)
        let updateRevision = TemplateHash.revision(of: set.spec.template, owner: name)

        var stepError: (any Error)?
        if !set.metadata.isBeingDeleted {
            do {
                for action in StatefulSetDecisions.actions(set, pods: owned, updateRevision: updateRevision) {
                    try await perform(action, set: set, revision: updateRevision)
                }
            } catch {
                stepError = error
            }
        }
        let status = StatefulSetDecisions.status(set, pods: owned, updateRevision: updateRevision)
        try await context.writeStatus(set) {
            $0.status = status
            $0.status.observedGeneration = $0.metadata.generation
        }
        if let stepError { throw stepError }
        // Available replicas need a later look when minReadySeconds applies.
        if let minReady = set.spec.minReadySeconds, minReady > 0,
            status.availableReplicas ?? 0 < status.readyReplicas ?? 0
        {
            await context.enqueue(key, after: .seconds(minReady))
        }
    }

    private func perform(_ action: StatefulSetAction, set: StatefulSet, revision: String) async throws {
        let setKey = ObjectKey.of(set)
        switch action {
        case .create(let ordinal):
            for claim in StatefulSetDecisions.claims(for: set, ordinal: ordinal) {
                try await createClaim(claim, set: set)
            }
            let pod = try StatefulSetDecisions.pod(for: set, ordinal: ordinal, revision: revision)
            let podName = pod.metadata.name ?? ""
            do {
                _ = try await context.client.create(pod)
            } catch  where error.isAlreadyExists {
                return  // Made before a restart, or the cache lags: it exists, which is what we wanted.
            } catch  where error.isNamespaceTerminating {
                return
            } catch {
                await context.events.record(
                    set, type: "Warning", reason: "FailedCreate",
                    message: "create Pod \(podName) in StatefulSet \(set.metadata.name ?? "") failed error: \(error)",
                    action: "Create")
                throw error
            }
            context.logger.info(
                "created pod", metadata: ["kubus.statefulset": "\(setKey)", "kubus.pod": "\(podName)"])
            await context.events.record(
                set, type: "Normal", reason: "SuccessfulCreate",
                message: "create Pod \(podName) in StatefulSet \(set.metadata.name ?? "") successful",
                action: "Create")
        case .delete(let podName, _):
            do {
                _ = try await context.client.delete(Pod.self, namespace: set.metadata.namespace, name: podName)
            } catch let error where error.isNotFound {
                return
            } catch {
                await context.events.record(
                    set, type: "Warning", reason: "FailedDelete",
                    message: "delete Pod \(podName) in StatefulSet \(set.metadata.name ?? "") failed error: \(error)",
                    action: "Delete")
                throw error
            }
            context.logger.info(
                "deleted pod", metadata: ["kubus.statefulset": "\(setKey)", "kubus.pod": "\(podName)"])
            await context.events.record(
                set, type: "Normal", reason: "SuccessfulDelete",
                message: "delete Pod \(podName) in StatefulSet \(set.metadata.name ?? "") successful",
                action: "Delete")
        }
    }

    private func createClaim(_ claim: PersistentVolumeClaim, set: StatefulSet) async throws {
        let claimName = claim.metadata.name ?? ""
        if claims.get(namespace: claim.metadata.namespace, name: claimName) != nil { return }
        do {
            _ = try await context.client.create(claim)
        } catch  where error.isAlreadyExists {
            return
        } catch {
            await context.events.record(
                set, type: "Warning", reason: "FailedCreate",
                message: "create Claim \(claimName) for StatefulSet \(set.metadata.name ?? "") failed error: \(error)",
                action: "Create")
            throw error
        }
        await context.events.record(
            set, type: "Normal", reason: "SuccessfulCreate",
            message: "create Claim \(claimName) for StatefulSet \(set.metadata.name ?? "") successful",
            action: "Create")
    }
}
