import Foundation
import Schema

/// The pure decisions of the node-lifecycle controller (Kubernetes' `pkg/controller/nodelifecycle`): node
/// health from its Lease, the taints that follow from its Ready condition, and when a pod is evicted.
public enum NodeLifecycleDecisions {
    /// The taint key of a node whose Ready condition is Unknown.
    public static let unreachableTaintKey = "node.kubernetes.io/unreachable"
    /// The taint key of a node whose Ready condition is False.
    public static let notReadyTaintKey = "node.kubernetes.io/not-ready"
    /// The reason of conditions the controller sets to Unknown.
    public static let unknownReason = "NodeStatusUnknown"
    /// The message of conditions the controller sets to Unknown.
    public static let unknownMessage = "Kubelet stopped posting node status."
    /// The conditions a kubelet posts, all set to Unknown when it stops.
    public static let kubeletConditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]

    /// The last time the node's kubelet was heard from: its Lease's renewal or its Ready heartbeat,
    /// whichever is later, or the node's creation.
    public static func lastProbe(node: Node, lease: Lease?) -> Date? {
        let renew = lease?.spec.renewTime?.date
        let heartbeat = node.status.conditions?.first { $0.type == "Ready" }?.lastHeartbeatTime?.date
        let created = node.metadata.creationTimestamp?.date
        return [renew, heartbeat].compactMap { $0 }.max() ?? created
    }

    /// The node's conditions after the health check: every kubelet condition Unknown when the kubelet was last
    /// heard from more than `gracePeriod` ago, unchanged otherwise; nil when nothing changes.
    public static func conditionsAfterHealthCheck(
        node: Node, lease: Lease?, gracePeriod: TimeInterval, now: Date
    ) -> [NodeCondition]? {
        guard let probe = lastProbe(node: node, lease: lease), now.timeIntervalSince(probe) > gracePeriod else {
            return nil
        }
        var conditions = node.status.conditions ?? []
        var changed = false
        let time = Time(now)
        for type in kubeletConditions {
            if let i = conditions.firstIndex(where: { $0.type == type }) {
                guard conditions[i].status != "Unknown" else { continue }
                conditions[i].status = "Unknown"
                conditions[i].reason = unknownReason
                conditions[i].message = unknownMessage
                conditions[i].lastTransitionTime = time
                changed = true
            } else {
                conditions.append(
                    NodeCondition(
                        type: type, status: "Unknown", lastHeartbeatTime: node.metadata.creationTimestamp,
                        lastTransitionTime: time, reason: unknownReason,
                        message: "Kubelet never posted node status."))
                changed = true
            }
        }
        return changed ? conditions : nil
    }

    /// The node's Ready status: `True`, `False` or `Unknown` (no condition counts as Unknown).
    public static func readyStatus(_ node: Node) -> String {
        node.status.conditions?.first { $0.type == "Ready" }?.status ?? "Unknown"
    }

    /// Whether `taint` is one this controller sets (not-ready or unreachable).
    public static func isManaged(_ taint: Taint) -> Bool {
        taint.key == unreachableTaintKey || taint.key == notReadyTaintKey
    }

    /// The node's taints with the not-ready and unreachable taints (NoExecute and NoSchedule) matching its
    /// Ready status; taints that stay keep their `timeAdded`. Nil when nothing changes.
    public static func taintsAfterReadyChange(_ node: Node, now: Date) -> [Taint]? {
        let current = node.spec.taints ?? []
        let wantedKey: String? =
            switch readyStatus(node) {
            case "True": nil
            case "False": notReadyTaintKey
            default: unreachableTaintKey
            }
        let managed: Set<String> = [unreachableTaintKey, notReadyTaintKey]
        var taints = current.filter { !managed.contains($0.key) || $0.key == wantedKey }
        if let wantedKey {
            for effect in ["NoSchedule", "NoExecute"]
            where !taints.contains(where: { $0.key == wantedKey && $0.effect == effect }) {
                taints.append(
                    Taint(key: wantedKey, effect: effect, timeAdded: effect == "NoExecute" ? Time(now) : nil))
            }
        }
        return taints == current ? nil : taints
    }

    /// Whether pods may be evicted at all: not when no node is Ready (Kubernetes' full-disruption mode), since
    /// then the control plane is more likely cut off, or every kubelet restarting, than every node dead.
    public static func evictionsAllowed(_ nodes: [Node]) -> Bool {
        nodes.isEmpty || nodes.contains { readyStatus($0) == "True" }
    }

    /// What to do with a pod on a node with NoExecute taints.
    public enum Eviction: Equatable, Sendable {
        /// The pod tolerates every NoExecute taint for ever.
        case keep
        /// The pod goes now: a taint is not tolerated, or its tolerations ran out.
        case evictNow
        /// The pod goes at this time unless the taints are removed before.
        case evictAt(Date)
    }

    /// Whether and when the pod is evicted (kube's taint manager): a NoExecute taint it does not tolerate
    /// evicts it now; otherwise the shortest `tolerationSeconds` of the tolerations used, counted from the
    /// taint's `timeAdded`.
    public static func eviction(of pod: Pod, taints: [Taint], now: Date) -> Eviction {
        let noExecute = taints.filter { $0.effect == "NoExecute" }
        guard !noExecute.isEmpty else { return .keep }
        let tolerations = pod.spec.tolerations ?? []
        var deadline: Date?
        for taint in noExecute {
            let matching = tolerations.filter { $0.tolerates(taint) }
            guard !matching.isEmpty else { return .evictNow }
            // kube's getMinTolerationTime: no tolerationSeconds means for ever, a negative one means now.
            let seconds = matching.compactMap(\.tolerationSeconds)
            guard matching.allSatisfy({ $0.tolerationSeconds != nil }), let shortest = seconds.min() else {
                continue
            }
            let added = taint.timeAdded?.date ?? now
            let at = added.addingTimeInterval(TimeInterval(max(shortest, 0)))
            deadline = min(deadline ?? at, at)
        }
        guard let deadline else { return .keep }
        return deadline <= now ? .evictNow : .evictAt(deadline)
    }

    /// The pod's status with its Ready condition False (kube's `MarkPodsNotReady`); nil when it is not True.
    public static func markedNotReady(_ status: PodStatus, now: Date) -> [PodCondition]? {
        var conditions = status.conditions ?? []
        guard let i = conditions.firstIndex(where: { $0.type == "Ready" }), conditions[i].status == "True" else {
            return nil
        }
        conditions[i].status = "False"
        conditions[i].reason = "NodeNotReady"
        conditions[i].message = "The node of this pod is not ready."
        conditions[i].lastTransitionTime = Time(now)
        return conditions
    }
}
