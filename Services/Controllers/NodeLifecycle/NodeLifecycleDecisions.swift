public import ControllerKit
public import Foundation
public import Schema

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

    /// What may happen to a not-ready node's NoExecute taint, the one that evicts its pods.
    public enum NoExecuteTainting: Equatable, Sendable {
        /// Add it (or swap not-ready for unreachable): the zone's rate allowed it.
        case allow
        /// Keep one the node already has (swapping the key if its Ready status changed), but add none yet: the
        /// zone's rate limit has no room now.
        case deferAdding
        /// Remove it: every zone is fully disrupted, so the control plane is more likely cut off than every
        /// node dead (kube's master disruption mode); it comes back, with a fresh `timeAdded`, through the rate
        /// limit once a node is Ready again.
        case remove
    }

    /// Whether the node already carries a NoExecute taint of this controller.
    public static func hasManagedNoExecute(_ node: Node) -> Bool {
        node.spec.taints?.contains { isManaged($0) && $0.effect == "NoExecute" } ?? false
    }

    /// The node's taints with the not-ready and unreachable taints (NoExecute and NoSchedule) matching its
    /// Ready status, the NoExecute one as `noExecute` allows; taints that stay keep their `timeAdded`. Nil when
    /// nothing changes.
    public static func taintsAfterReadyChange(_ node: Node, now: Date, noExecute: NoExecuteTainting = .allow)
        -> [Taint]?
    {
        let current = node.spec.taints ?? []
        let wantedKey: String? =
            switch readyStatus(node) {
            case "True": nil
            case "False": notReadyTaintKey
            default: unreachableTaintKey
            }
        let hadNoExecute = hasManagedNoExecute(node)
        let managed: Set<String> = [unreachableTaintKey, notReadyTaintKey]
        var taints = current.filter { !managed.contains($0.key) || $0.key == wantedKey }
        if let wantedKey {
            let noExecuteWanted =
                switch noExecute {
                case .allow: true
                case .deferAdding: hadNoExecute
                case .remove: false
                }
            if !noExecuteWanted { taints.removeAll { $0.key == wantedKey && $0.effect == "NoExecute" } }
            for effect in noExecuteWanted ? ["NoSchedule", "NoExecute"] : ["NoSchedule"]
            where !taints.contains(where: { $0.key == wantedKey && $0.effect == effect }) {
                taints.append(
                    Taint(key: wantedKey, effect: effect, timeAdded: effect == "NoExecute" ? Time(now) : nil))
            }
        }
        return taints == current ? nil : taints
    }

    // MARK: Zones and eviction rates (kube's --node-eviction-rate and friends)

    /// How a zone's nodes are doing (kube's zone states).
    public enum ZoneState: String, Sendable {
        case normal = "Normal"
        case partialDisruption = "PartialDisruption"
        case fullDisruption = "FullDisruption"
    }

    /// kube-controller-manager's eviction-rate settings (in the controllers' configuration).
    public typealias EvictionRates = NodeEvictionRates

    /// The zone a node counts in: its region and zone labels (kube's `GetZoneKey`), "" when it has neither.
    public static func zoneKey(_ node: Node) -> String {
        let labels = node.metadata.labels ?? [:]
        let region = labels["topology.kubernetes.io/region"] ?? labels["failure-domain.beta.kubernetes.io/region"] ?? ""
        let zone = labels["topology.kubernetes.io/zone"] ?? labels["failure-domain.beta.kubernetes.io/zone"] ?? ""
        return region.isEmpty && zone.isEmpty ? "" : region + ":\u{0}:" + zone
    }

    /// A zone's state from its counts of Ready and not-Ready nodes (kube's `ComputeZoneState`).
    public static func zoneState(ready: Int, notReady: Int, unhealthyThreshold: Double) -> ZoneState {
        if ready == 0 && notReady > 0 { return .fullDisruption }
        if notReady > 2 && Double(notReady) / Double(notReady + ready) >= unhealthyThreshold {
            return .partialDisruption
        }
        return .normal
    }

    /// Every zone's state and size.
    public static func zones(_ nodes: [Node], unhealthyThreshold: Double) -> [String: (state: ZoneState, size: Int)] {
        var counts: [String: (ready: Int, notReady: Int)] = [:]
        for node in nodes {
            let key = zoneKey(node)
            if readyStatus(node) == "True" {
                counts[key, default: (0, 0)].ready += 1
            } else {
                counts[key, default: (0, 0)].notReady += 1
            }
        }
        return counts.mapValues {
            (
                zoneState(ready: $0.ready, notReady: $0.notReady, unhealthyThreshold: unhealthyThreshold),
                $0.ready + $0.notReady
            )
        }
    }

    /// Nodes per second that may get a NoExecute taint in a zone in `state` of `size` nodes: the normal rate,
    /// also for a fully disrupted zone while others are not; the secondary rate for a partially disrupted large
    /// zone; none for a partially disrupted small one.
    public static func taintRate(_ state: ZoneState, zoneSize: Int, rates: EvictionRates) -> Double {
        switch state {
        case .normal, .fullDisruption: return rates.rate
        case .partialDisruption: return zoneSize > rates.largeClusterSizeThreshold ? rates.secondaryRate : 0
        }
    }

    /// A token bucket of burst 1 (kube's rate-limited taint queue per zone); a changed rate starts a new,
    /// full bucket as kube's `SwapLimiter` does.
    public struct TaintLimiter: Sendable {
        public private(set) var rate: Double
        private var tokens: Double = 1
        private var last: Date

        public init(rate: Double, now: Date) {
            self.rate = rate
            last = now
        }

        /// Takes a token if there is one at `rate` (changing rate first when it differs); returns nil when
        /// taken, else the time one will be there (distantFuture at rate 0).
        public mutating func take(rate: Double, now: Date) -> Date? {
            if rate != self.rate { self = TaintLimiter(rate: rate, now: now) }
            guard rate > 0 else { return .distantFuture }
            tokens = min(1, tokens + max(0, now.timeIntervalSince(last)) * rate)
            last = now
            if tokens >= 1 {
                tokens -= 1
                return nil
            }
            return now.addingTimeInterval((1 - tokens) / rate)
        }
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
