import Client
public import ControllerKit
import Logging
import Schema
import Synchronization
import Wire

/// Kubernetes' garbage collector: deletes objects whose owners are gone (background), deletes the dependents
/// of owners deleted in the foreground before letting the owner go, and orphans the dependents of owners
/// deleted with the `orphan` finalizer.
///
/// Informers for every kind that can own or be owned feed a `DependencyGraph`; keys are object uids. An owner
/// missing from the graph is looked up in the api before its dependents are deleted, so a lagging informer
/// never deletes a live object's dependents.
public final class GarbageCollector: Controller {
    /// The controller's name.
    public static let name = "garbage-collector"
    /// The finalizer the api sets for `propagationPolicy: Foreground`.
    public static let foregroundFinalizer = "foregroundDeletion"
    /// The finalizer the api sets for `propagationPolicy: Orphan`.
    public static let orphanFinalizer = "orphan"

    private let context: ControllerContext
    private let graph = Mutex(DependencyGraph())

    /// Creates the collector and its informers.
    public init(context: ControllerContext) {
        self.context = context
        watch(Pod.self)
        watch(ReplicaSet.self)
        watch(Deployment.self)
        watch(StatefulSet.self)
        watch(DaemonSet.self)
        watch(Job.self)
        watch(CronJob.self)
        watch(PersistentVolumeClaim.self)
        watch(PersistentVolume.self)
        watch(ConfigMap.self)
        watch(Secret.self)
        watch(Service.self)
        watch(Endpoints.self)
        watch(ServiceAccount.self)
        watch(Ingress.self)
        watch(HorizontalPodAutoscaler.self)
        watch(Role.self)
        watch(RoleBinding.self)
        watch(Node.self)
        // Node Leases are owned by their Node: deleting a Node deletes its Lease.
        watch(Lease.self)
    }

    private func watch<T: KubeObject>(_ type: T.Type) {
        context.informers.informer(type).addEventHandler { [self] event in
            await graphChanged(
                GraphNode(kind: T.kindInfo, metadata: event.object.metadata), deleted: event.type == .deleted)
        }
    }

    /// Every object that has owners or waits on the collector.
    public func resyncKeys() -> [String] {
        graph.withLock { g in
            g.uids.filter { uid in
                guard let node = g.node(uid) else { return false }
                return !node.owners.isEmpty || node.isDeletingDependents || node.isOrphaning
            }
        }
    }

    // MARK: Graph changes

    private func graphChanged(_ node: GraphNode, deleted: Bool) async {
        guard !node.uid.isEmpty else { return }
        var keys: [String] = []
        graph.withLock { g in
            if deleted {
                g.remove(node.uid)
                // Its dependents may now be dangling; an owner waiting on it may now be done.
                keys += g.dependents(of: node.uid).map(\.uid)
                for owner in node.owners {
                    if let o = g.node(owner.uid), o.isDeletingDependents { keys.append(o.uid) }
                }
                return
            }
            let old = g.upsert(node)
            if !node.owners.isEmpty
                && (old == nil || old?.owners != node.owners || old?.deleting != node.deleting
                    || old?.finalizers != node.finalizers)
            {
                keys.append(node.uid)
            }
            if node.isOrphaning || node.isDeletingDependents {
                keys.append(node.uid)
                if node.isDeletingDependents { keys += g.dependents(of: node.uid).map(\.uid) }
            }
            // A dependent that started or finished deleting may release a foreground owner.
            if old?.deleting != node.deleting {
                for owner in node.owners {
                    if let o = g.node(owner.uid), o.isDeletingDependents { keys.append(o.uid) }
                }
            }
        }
        for key in keys { await context.enqueue(key) }
    }

    // MARK: Reconcile

    /// Handles the object with uid `key`.
    public func reconcile(_ key: String) async throws {
        guard let item = graph.withLock({ $0.node(key) }) else { return }
        let dependents = graph.withLock { $0.dependents(of: key) }
        if item.isOrphaning {
            for (dependent, action) in GarbageCollectorDecisions.orphanDependents(item, dependents: dependents) {
                let target = dependent.flatMap { uid in graph.withLock { $0.node(uid) } } ?? item
                try await perform(action, on: target)
            }
            return
        }
        if item.isDeletingDependents {
            for action in GarbageCollectorDecisions.processDeletingDependents(item, dependents: dependents) {
                try await perform(action, on: item)
            }
            if !item.owners.isEmpty { try await attemptToDelete(item, dependents: dependents) }
            return
        }
        try await attemptToDelete(item, dependents: dependents)
    }

    private func attemptToDelete(_ item: GraphNode, dependents: [GraphNode]) async throws {
        guard !item.owners.isEmpty else { return }
        var owners: [(reference: OwnerReference, state: OwnerState)] = []
        for reference in item.owners {
            owners.append((reference, try await state(of: reference, dependent: item)))
        }
        for action in GarbageCollectorDecisions.attemptToDelete(item, owners: owners, dependents: dependents) {
            try await perform(action, on: item)
        }
    }

    /// The owner's state from the graph, or from the api when the graph does not have it (yet).
    private func state(of reference: OwnerReference, dependent: GraphNode) async throws -> OwnerState {
        if let owner = graph.withLock({ $0.node(reference.uid) }) {
            return owner.isDeletingDependents ? .waitingForDependentsDeletion : .solid
        }
        guard let info = KindRegistry.lookup(apiVersion: reference.apiVersion, kind: reference.kind) else {
            // A kind Kubus does not serve: never delete on a guess.
            return .solid
        }
        do {
            let owner = try await context.client.get(
                kind: info.kind, namespace: info.namespaced ? dependent.namespace : nil, name: reference.name)
            let meta = try owner["metadata"]?.decode(as: ObjectMeta.self) ?? ObjectMeta()
            if meta.uid != reference.uid { return .dangling }
            let node = GraphNode(kind: info, metadata: meta)
            return node.isDeletingDependents ? .waitingForDependentsDeletion : .solid
        } catch let error as APIError where error.isNotFound {
            return .dangling
        }
    }

    private func perform(_ action: GarbageCollectorAction, on item: GraphNode) async throws {
        var logger = context.logger
        logger[metadataKey: "kubus.object"] = "\(item.description)"
        switch action {
        case .enqueue(let uids):
            for uid in uids { await context.enqueue(uid) }
        case .delete(let policy):
            logger.info("deleting an object whose owners are gone", metadata: ["kubus.propagation": "\(policy)"])
            do {
                _ = try await context.client.delete(
                    kind: item.kind, namespace: item.namespace, name: item.name, propagationPolicy: policy,
                    preconditions: .init(uid: item.uid))
            } catch {
                if error.isNotFound { return }
                throw error
            }
        case .removeOwnerReferences(let uids):
            logger.info("removing owner references", metadata: ["kubus.owners": "\(uids.joined(separator: ","))"])
            try await editMetadata(of: item) { meta in
                meta.ownerReferences = meta.ownerReferences?.filter { !uids.contains($0.uid) }
            }
        case .unblockOwnerReferences(let uids):
            try await editMetadata(of: item) { meta in
                meta.ownerReferences = meta.ownerReferences?.map { ref in
                    var ref = ref
                    if uids.contains(ref.uid) { ref.blockOwnerDeletion = false }
                    return ref
                }
            }
        case .removeFinalizer(let finalizer):
            logger.info("dependents handled; removing the finalizer", metadata: ["kubus.finalizer": "\(finalizer)"])
            try await editMetadata(of: item) { meta in
                meta.finalizers = meta.finalizers?.filter { $0 != finalizer }
            }
        }
    }

    /// Reads the object fresh, changes its owner references or finalizers, and writes them back with a merge
    /// patch guarded by the read's resourceVersion (a Conflict requeues the key).
    private func editMetadata(of item: GraphNode, _ change: (inout ObjectMeta) -> Void) async throws {
        let current: JSONValue
        do {
            current = try await context.client.get(kind: item.kind, namespace: item.namespace, name: item.name)
        } catch {
            if error.isNotFound { return }
            throw error
        }
        var meta = try current["metadata"]?.decode(as: ObjectMeta.self) ?? ObjectMeta()
        guard meta.uid == item.uid else { return }
        let before = meta
        change(&meta)
        if meta == before { return }
        var patch: JSONValue = ["resourceVersion": .string(meta.resourceVersion ?? "")]
        if meta.ownerReferences != before.ownerReferences {
            let refs = meta.ownerReferences ?? []
            patch["ownerReferences"] = refs.isEmpty ? .null : try JSONValue(encoding: refs)
        }
        if meta.finalizers != before.finalizers {
            let finalizers = meta.finalizers ?? []
            patch["finalizers"] = finalizers.isEmpty ? .null : .array(finalizers.map { .string($0) })
        }
        do {
            _ = try await context.client.patch(
                kind: item.kind, namespace: item.namespace, name: item.name, patch: ["metadata": patch])
        } catch {
            if error.isNotFound { return }
            throw error
        }
    }
}
