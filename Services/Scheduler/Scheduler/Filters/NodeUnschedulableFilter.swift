public import Schema

/// Rules out cordoned nodes (`spec.unschedulable`) unless the pod tolerates
/// `node.kubernetes.io/unschedulable:NoSchedule` (kube-scheduler's NodeUnschedulable).
public struct NodeUnschedulableFilter: FilterPlugin {
    public var name: String { "NodeUnschedulable" }

    static let taint = Taint(key: "node.kubernetes.io/unschedulable", effect: "NoSchedule")

    public init() {}

    public func filter(pod: Pod, node: NodeInfo, state: CycleState) -> String? {
        guard node.node.spec.unschedulable == true else { return nil }
        if tolerated(Self.taint, by: pod.spec.tolerations) { return nil }
        return "node(s) were unschedulable"
    }
}
