import Client
import ControllerKit
import Foundation
import Logging
import Schema
import Synchronization

/// Watches nodes and their Leases in `kube-node-lease` (Kubernetes' `pkg/controller/nodelifecycle`): a node
/// whose kubelet went silent for the grace period gets Ready=Unknown and the unreachable taints, a node
/// reporting Ready=False the not-ready taints; pods on a NoExecute-tainted node that do not tolerate the
/// taint (or whose `tolerationSeconds` ran out) are marked not ready and deleted.
public final class NodeLifecycleController: Controller {
    /// The controller's name.
    public static let name = "node-lifecycle"
    /// The namespace of the nodes' Leases.
    public static let leaseNamespace = "kube-node-lease"

    private let context: ControllerContext
    private let nodes: SharedInformer<Node>
    private let leases: SharedInformer<Lease>
    private let pods: SharedInformer<Pod>
    private let gracePeriod: TimeInterval
    /// When each node's next look is already queued, so reconciles do not pile up timers.
    private let armed = Mutex<[String: Date]>([:])

    /// Creates the controller and its Node, Lease and Pod handlers; keys are node names.
    public init(context: ControllerContext) {
        self.context = context
        gracePeriod = TimeInterval(context.configuration.nodeMonitorGracePeriod.components.seconds)
            + TimeInterval(context.configuration.nodeMonitorGracePeriod.components.attoseconds) / 1e18
        nodes = context.informers.informer(Node.self)
        leases = context.informers.informer(Lease.self)
        pods = context.informers.informer(Pod.self)
        nodes.addEventHandler { event in
            guard event.type != .deleted, let name = event.object.metadata.name else { return }
            // Only changes that matter: new nodes, Ready or taint changes (not every heartbeat).
            if let old = event.old, NodeLifecycleDecisions.readyStatus(old)
                == NodeLifecycleDecisions.readyStatus(event.object), old.spec.taints == event.object.spec.taints
            {
                return
            }
            await context.enqueue(name)
        }
        leases.addEventHandler { [self] event in
            guard event.object.metadata.namespace == Self.leaseNamespace, event.type != .deleted,
                let name = event.object.metadata.name, let node = nodes.get(namespace: nil, name: name)
            else { return }
            // A renewal matters only to a node that is not Ready; healthy nodes are looked at on their timer.
            if NodeLifecycleDecisions.readyStatus(node) != "True" || event.type == .added {
                await context.enqueue(name)
            }
        }
        pods.addEventHandler { [self] event in
            guard event.type != .deleted, let node = event.object.spec.nodeName, !node.isEmpty,
                event.old?.spec.nodeName != node || event.old?.spec.tolerations != event.object.spec.tolerations,
                let stored = nodes.get(namespace: nil, name: node),
                stored.spec.taints?.contains(where: { $0.effect == "NoExecute" }) == true
            else { return }
            await context.enqueue(node)
        }
    }

    /// Every node's name.
    public func resyncKeys() -> [String] { nodes.list().compactMap(\.metadata.name) }

    /// Checks the node's health, writes its conditions and taints, and evicts the pods its NoExecute taints
    /// no longer let stay.
    public func reconcile(_ key: String) async throws {
        armed.withLock { armed in
            if let at = armed[key], at <= Date() { armed[key] = nil }
        }
        guard var node = nodes.get(namespace: nil, name: key) else { return }
        let now = Date()
        let lease = leases.get(namespace: Self.leaseNamespace, name: key)
        if let conditions = NodeLifecycleDecisions.conditionsAfterHealthCheck(
            node: node, lease: lease, gracePeriod: gracePeriod, now: now)
        {
            let patch: JSONValue = ["status": ["conditions": try JSONValue(encoding: conditions)]]
            let stored = try await context.client.patch(
                kind: "Node", namespace: nil, name: key, patch: patch, subresource: "status")
            node = try stored.decode(as: Node.self)
            context.logger.info(
                "node stopped posting status; its conditions are Unknown", metadata: ["kubus.node": "\(key)"])
        }
        let ready = NodeLifecycleDecisions.readyStatus(node)
        if let taints = NodeLifecycleDecisions.taintsAfterReadyChange(node, now: now) {
            var patch: JSONValue = ["spec": ["taints": try JSONValue(encoding: taints)]]
            patch[path: ["metadata", "resourceVersion"]] = node.metadata.resourceVersion.map { .string($0) } ?? .null
            let stored = try await context.client.patch(kind: "Node", namespace: nil, name: key, patch: patch)
            let hadTaint = node.spec.taints?.contains { NodeLifecycleDecisions.isManaged($0) } ?? false
            node = try stored.decode(as: Node.self)
            if ready != "True", !hadTaint {
                await context.events.record(
                    node, type: "Normal", reason: "NodeNotReady", message: "Node \(key) status is now: NodeNotReady",
                    action: "")
            }
            context.logger.info(
                "node taints changed",
                metadata: [
                    "kubus.node": "\(key)", "kubus.ready": "\(ready)",
                    "kubus.taints": "\(taints.map { "\($0.key):\($0.effect)" })",
                ])
        }
        try await handlePods(on: node, ready: ready, now: now)
        // Look again when the kubelet would have been silent for the grace period.
        if ready == "True", let probe = NodeLifecycleDecisions.lastProbe(node: node, lease: lease) {
            await arm(key, at: probe.addingTimeInterval(gracePeriod + 0.5))
        } else if ready != "True" {
            await arm(key, at: now.addingTimeInterval(max(1, min(5, gracePeriod / 4))))
        }
    }

    private func handlePods(on node: Node, ready: String, now: Date) async throws {
        guard let name = node.metadata.name else { return }
        let onNode = pods.list().filter {
            $0.spec.nodeName == name && !$0.metadata.isBeingDeleted
                && $0.status.phase != "Succeeded" && $0.status.phase != "Failed"
        }
        var firstError: (any Error)?
        var next: Date?
        let evictionsAllowed = NodeLifecycleDecisions.evictionsAllowed(nodes.list())
        if !evictionsAllowed, !onNode.isEmpty {
            context.logger.debug(
                "no node is Ready: not evicting (full disruption)", metadata: ["kubus.node": "\(name)"])
        }
        for pod in onNode {
            do {
                if ready != "True", let conditions = NodeLifecycleDecisions.markedNotReady(pod.status, now: now) {
                    _ = try await context.client.patch(
                        kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name ?? "",
                        patch: ["status": ["conditions": try JSONValue(encoding: conditions)]], subresource: "status")
                }
                switch NodeLifecycleDecisions.eviction(of: pod, taints: node.spec.taints ?? [], now: now) {
                case .keep: break
                case .evictAt(let at): next = min(next ?? at, at)
                case .evictNow:
                    guard evictionsAllowed else {
                        next = min(next ?? now.addingTimeInterval(5), now.addingTimeInterval(5))
                        continue
                    }
                    try await evict(pod, node: name)
                }
            } catch let error as APIError where error.isNotFound {
                continue
            } catch {
                firstError = firstError ?? error
            }
        }
        if let next { await arm(name, at: next.addingTimeInterval(0.1)) }
        if let firstError { throw firstError }
    }

    private func evict(_ pod: Pod, node: String) async throws {
        let podName = pod.metadata.name ?? ""
        await context.events.record(
            pod, type: "Normal", reason: "TaintManagerEviction",
            message: "Marking for deletion Pod \(pod.metadata.namespace ?? "")/\(podName)", action: "")
        _ = try await context.client.delete(
            kind: "Pod", namespace: pod.metadata.namespace, name: podName,
            preconditions: .init(uid: pod.metadata.uid))
        context.logger.info(
            "evicted a pod from a tainted node",
            metadata: ["kubus.node": "\(node)", "kubus.pod": "\(pod.metadata.namespace ?? "")/\(podName)"])
    }

    /// Queues `key` at `at` unless a look at or before then is already queued.
    private func arm(_ key: String, at: Date) async {
        let now = Date()
        let needed = armed.withLock { armed -> Bool in
            if let pending = armed[key], pending > now, pending <= at { return false }
            armed[key] = at
            return true
        }
        guard needed else { return }
        let delay = max(0, at.timeIntervalSince(now))
        await context.enqueue(key, after: .milliseconds(Int64(delay * 1000)))
    }
}
