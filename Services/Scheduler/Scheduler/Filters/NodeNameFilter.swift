public import Schema

/// Keeps only the node named in `spec.nodeName`, when the pod names one (kube-scheduler's NodeName).
public struct NodeNameFilter: FilterPlugin {
    public var name: String { "NodeName" }

    public init() {}

    public func filter(pod: Pod, node: NodeInfo, state: CycleState) -> String? {
        guard let wanted = pod.spec.nodeName, !wanted.isEmpty, wanted != node.name else { return nil }
        return "node(s) didn't match the requested node name"
    }
}
