import Client
public import ControllerKit
import Foundation
import Logging
import Schema
import Synchronization

/// Runs one pod of each DaemonSet on every eligible node, with the semantics of Kubernetes'
/// `pkg/controller/daemon`: node selector, required node affinity and taints against the pod's tolerations
/// (plus the automatic DaemonSet tolerations) pick the nodes; a node that joins gets a pod, a node that leaves
/// or stops fitting loses it; `RollingUpdate` with `maxUnavailable` or `OnDelete`; and the status.
///
/// Pods are bound by `spec.nodeName` (not through the scheduler). Creations and deletions are guarded by
/// expectations, so a lagging cache never places two pods on one node.
public final class DaemonSetController: Controller {
    /// The controller's name.
    public static let name = "daemonset"

    private let context: ControllerContext
    private let sets: SharedInformer<DaemonSet>
    private let pods: SharedInformer<Pod>
    private let nodes: SharedInformer<Node>
    private let expectations = Mutex(ControllerExpectations())
    private let podControl: PodControl
    private let router: DependentRouter<DaemonSet, Pod>

    /// Creates the controller and its DaemonSet, Pod and Node handlers.
    public init(context: ControllerContext) {
        self.context = context
        sets = context.informers.informer(DaemonSet.self)
        pods = context.informers.informer(Pod.self)
        nodes = context.informers.informer(Node.self)
        podControl = PodControl(client: context.client, events: context.events, logger: context.logger)
        router = DependentRouter(owners: sets) { $0.spec.selector }
        sets.addEventHandler { [self] event in
            let key = ObjectKey.of(event.object)
            if event.type == .deleted { expectations.withLock { $0.delete(key) } }
            await context.enqueue(key)
        }
        pods.addEventHandler { [self] event in
            for route in router.routes(for: event) {
                expectations.observe(route)
                await context.enqueue(route.key)
            }
        }
        nodes.addEventHandler { [self] event in
            if event.type == .modified, let old = event.old, old.metadata.labels == event.object.metadata.labels,
                old.spec.taints == event.object.spec.taints
            {
                return  // Heartbeats and status: nothing a DaemonSet decides on changed.
            }
            for key in resyncKeys() { await context.enqueue(key) }
        }
    }

    /// Every DaemonSet's key.
    public func resyncKeys() -> [String] { sets.list().map { ObjectKey.of($0) } }

    /// Syncs the DaemonSet `key` (`syncDaemonSet`).
    public func reconcile(_ key: String) async throws {
        guard let set = sets.get(key: key) else {
            expectations.withLock { $0.delete(key) }
            return
        }
        guard let selector = set.spec.selector, !selector.isEmpty else {
            context.logger.warning(
                "DaemonSet has an empty selector; skipping", metadata: ["kubus.daemonset": "\(key)"])
            return
        }
        let candidates = pods.list(namespace: set.metadata.namespace).filter { !$0.metadata.isBeingDeleted }
        let manager = ControllerRefManager(
            owner: set, selector: selector, client: context.client, logger: context.logger)
        var owned = try await manager.claim(candidates)
        // Pods being deleted still occupy their node until they are gone.
        owned += pods.list(namespace: set.metadata.namespace).filter {
            $0.metadata.isBeingDeleted && $0.metadata.controllerRef?.refersTo(uid: set.metadata.uid) == true
        }
        let revision = TemplateHash.revision(of: set.spec.template, owner: set.metadata.name ?? "")
        let nodeList = nodes.list()

        var stepError: (any Error)?
        if expectations.withLock({ $0.isSatisfied(key) }) && !set.metadata.isBeingDeleted {
            let actions = DaemonSetDecisions.actions(set, nodes: nodeList, pods: owned, revision: revision)
            do {
                try await perform(actions, set: set, key: key, revision: revision)
            } catch {
                stepError = error
            }
        }
        let status = DaemonSetDecisions.status(set, nodes: nodeList, pods: owned, revision: revision)
        try await context.writeStatus(set) {
            $0.status = status
            $0.status.observedGeneration = $0.metadata.generation
        }
        if let stepError { throw stepError }
        if let minReady = set.spec.minReadySeconds, minReady > 0, status.numberAvailable ?? 0 < status.numberReady {
            await context.enqueue(key, after: .seconds(minReady))
        }
    }

    /// Deletions go first and alone; creations on a later pass, so one expectation entry tracks each batch.
    private func perform(_ actions: [DaemonSetAction], set: DaemonSet, key: String, revision: String) async throws {
        var creates: [String] = []
        var deletes: [(name: String, force: Bool)] = []
        for action in actions {
            switch action {
            case .create(let node): creates.append(node)
            case .delete(let name, let force): deletes.append((name, force))
            }
        }
        let namespace = set.metadata.namespace
        if !deletes.isEmpty {
            let podKeys = deletes.map { ObjectKey.make(namespace: namespace, name: $0.name) }
            expectations.withLock { $0.expectDeletions(key, podKeys: podKeys) }
            context.logger.debug(
                "deleting daemon pods", metadata: ["kubus.daemonset": "\(key)", "kubus.deleting": "\(deletes.count)"])
            var firstError: (any Error)?
            for (name, force) in deletes {
                do {
                    try await podControl.deletePod(
                        namespace: namespace, name: name, owner: set, gracePeriodSeconds: force ? 0 : nil)
                } catch {
                    expectations.withLock {
                        $0.deletionObserved(key, podKey: ObjectKey.make(namespace: namespace, name: name))
                    }
                    firstError = firstError ?? error
                }
            }
            if let firstError { throw firstError }
            return
        }
        guard !creates.isEmpty else { return }
        context.logger.debug(
            "creating daemon pods", metadata: ["kubus.daemonset": "\(key)", "kubus.creating": "\(creates.count)"])
        let queue = Mutex(creates)
        let podControl = self.podControl
        try await expectations.create(creates.count, key: key) {
            guard let node = queue.withLock({ $0.popLast() }) else { return }
            try await podControl.create(DaemonSetDecisions.pod(for: set, node: node, revision: revision), owner: set)
        }
    }
}
