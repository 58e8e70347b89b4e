public import Schema

/// Rules out nodes whose Ready condition is not True, as if they carried
/// `node.kubernetes.io/not-ready:NoSchedule` (the taint Kubernetes' node lifecycle puts on them).
public struct NodeReadyFilter: FilterPlugin {
    public var name: String { "NodeReady" }

    static let taint = Taint(key: "node.kubernetes.io/not-ready", effect: "NoSchedule")

    public init() {}

    public func filter(pod: Pod, node: NodeInfo, state: CycleState) -> String? {
        if node.isReady || tolerated(Self.taint, by: pod.spec.tolerations) { return nil }
        return "node(s) had untolerated taint \(Self.taint.reasonText)"
    }
}
