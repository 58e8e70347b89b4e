import Client
public import ControllerKit
import Foundation
import Logging
import Schema
import Synchronization
import Wire

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
    private let rates: NodeLifecycleDecisions.EvictionRates
    /// One NoExecute-taint rate limit per zone.
    private let limiters = Mutex<[String: NodeLifecycleDecisions.TaintLimiter]>([:])
    /// The zones' states, recomputed at most once a second, and the last ones logged.
    private let zoneCache = Mutex<(at: Date, zones: [String: (state: NodeLifecycleDecisions.ZoneState, size: Int)])?>(
        nil)
    private let loggedStates = Mutex<[String: NodeLifecycleDecisions.ZoneState]>([:])

    /// Creates the controller and its Node, Lease and Pod handlers; keys are node names.
    public init(context: ControllerContext) {
        self.context = context
        gracePeriod =
            TimeInterval(context.configuration.nodeMonitorGracePeriod.components.seconds)
            + TimeInterval(context.configuration.nodeMonitorGracePeriod.components.attoseconds) / 1e18
        rates = context.configuration.nodeEvictionRates
        nodes = context.informers.informer(Node.self)
        leases = context.informers.informer(Lease.self)
        pods = context.informers.informer(Pod.self)
        nodes.addEventHandler { [self] event in
            // A node added, removed or changing Ready changes its zone's state.
            if event.type != .modified
                || event.old.map(NodeLifecycleDecisions.readyStatus) != NodeLifecycleDecisions.readyStatus(event.object)
            {
                zoneCache.withLock { $0 = nil }
            }
            guard event.type != .deleted, let name = event.object.metadata.name else { return }
            // Only changes that matter: new nodes, Ready or taint changes (not every heartbeat).
            if let old = event.old,
                NodeLifecycleDecisions.readyStatus(old)
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
            zoneCache.withLock { $0 = nil }
            context.logger.info(
                "node stopped posting status; its conditions are Unknown", metadata: ["kubus.node": "\(key)"])
        }
        let ready = NodeLifecycleDecisions.readyStatus(node)
        var tainting = NodeLifecycleDecisions.NoExecuteTainting.allow
        var retryTainting: Date?
        if ready != "True" { (tainting, retryTainting) = noExecuteTainting(node, now: now) }
        if let taints = NodeLifecycleDecisions.taintsAfterReadyChange(node, now: now, noExecute: tainting) {
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
        if let retryTainting { await arm(key, at: retryTainting) }
        try await handlePods(on: node, ready: ready, now: now)
        // Look again when the kubelet would have been silent for the grace period.
        if ready == "True", let probe = NodeLifecycleDecisions.lastProbe(node: node, lease: lease) {
            await arm(key, at: probe.addingTimeInterval(gracePeriod + 0.5))
        } else if ready != "True" {
            await arm(key, at: now.addingTimeInterval(max(1, min(5, gracePeriod / 4))))
        }
    }

    /// Whether a not-ready node may get its NoExecute taint now (kube's rate-limited tainting per zone), and
    /// when to look again if not.
    private func noExecuteTainting(_ node: Node, now: Date) -> (NodeLifecycleDecisions.NoExecuteTainting, Date?) {
        let zones = zoneStates(now, current: node)
        if !zones.isEmpty && zones.values.allSatisfy({ $0.state == .fullDisruption }) { return (.remove, nil) }
        if NodeLifecycleDecisions.hasManagedNoExecute(node) { return (.allow, nil) }
        let zone = NodeLifecycleDecisions.zoneKey(node)
        let info = zones[zone] ?? (.normal, 1)
        let rate = NodeLifecycleDecisions.taintRate(info.state, zoneSize: info.size, rates: rates)
        let next = limiters.withLock { limiters -> Date? in
            var limiter = limiters[zone] ?? NodeLifecycleDecisions.TaintLimiter(rate: rate, now: now)
            defer { limiters[zone] = limiter }
            return limiter.take(rate: rate, now: now)
        }
        guard let next else { return (.allow, nil) }
        context.logger.debug(
            "NoExecute taint waits for the zone's eviction rate",
            metadata: ["kubus.node": "\(node.metadata.name ?? "")", "kubus.zoneState": "\(info.state.rawValue)"])
        return (.deferAdding, next == .distantFuture ? now.addingTimeInterval(5) : next)
    }

    /// Every zone's state, logging the zones whose state changed. Kept until a node is added, removed or changes
    /// Ready (and for at most a second); `current` is the node being reconciled, fresher than the cache.
    private func zoneStates(_ now: Date, current: Node) -> [String: (
        state: NodeLifecycleDecisions.ZoneState, size: Int
    )] {
        if let cached = zoneCache.withLock({ $0 }), now.timeIntervalSince(cached.at) < 1 { return cached.zones }
        let name = current.metadata.name
        let all = nodes.list().map { $0.metadata.name == name ? current : $0 }
        let zones = NodeLifecycleDecisions.zones(all, unhealthyThreshold: rates.unhealthyZoneThreshold)
        zoneCache.withLock { $0 = (now, zones) }
        typealias Change = (zone: String, from: NodeLifecycleDecisions.ZoneState?, to: NodeLifecycleDecisions.ZoneState)
        let changed = loggedStates.withLock { logged -> [Change] in
            let changes = zones.compactMap { key, value -> Change? in
                logged[key] == value.state ? nil : (key, logged[key], value.state)
            }
            for change in changes { logged[change.zone] = change.to }
            return changes
        }
        // A zone first seen Normal is not news; every other change is.
        for (zone, from, state) in changed where from != nil || state != .normal {
            context.logger.notice(
                "zone state changed",
                metadata: [
                    "kubus.zone": "\(zone.isEmpty ? "<none>" : zone.replacingOccurrences(of: ":\u{0}:", with: "/"))",
                    "kubus.state": "\(state.rawValue)",
                ])
        }
        if !changed.isEmpty, !zones.isEmpty, zones.values.allSatisfy({ $0.state == .fullDisruption }) {
            context.logger.warning(
                "no node is Ready in any zone: not tainting or evicting (the control plane is more likely cut off than every node dead)"
            )
        }
        return zones
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

    /// Queues `key` at `at`; the queue keeps only the earliest look asked for, and every reconcile asks again.
    private func arm(_ key: String, at: Date) async {
        // Rounded up, so the look never comes before `at`.
        let millis = Int64((max(0, at.timeIntervalSinceNow) * 1000).rounded(.up)) + 1
        await context.enqueue(key, after: .milliseconds(millis))
    }
}
