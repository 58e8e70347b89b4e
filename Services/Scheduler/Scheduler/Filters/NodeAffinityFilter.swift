public import Schema

/// Rules out nodes that miss the pod's `nodeSelector` or its required node affinity
/// (kube-scheduler's NodeAffinity filter).
public struct NodeAffinityFilter: FilterPlugin {
    public var name: String { "NodeAffinity" }

    public init() {}

    public func filter(pod: Pod, node: NodeInfo, state: CycleState) -> String? {
        Self.matches(pod: pod, node: node.node) ? nil : "node(s) didn't match Pod's node affinity/selector"
    }

    /// Whether `node` satisfies both the node selector and the required node affinity of `pod`.
    public static func matches(pod: Pod, node: Node) -> Bool {
        let labels = node.metadata.labels ?? [:]
        for (key, value) in pod.spec.nodeSelector ?? [:] where labels[key] != value { return false }
        if let required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution {
            return required.matches(node)
        }
        return true
    }
}
