public import Schema

/// Rules out nodes with a NoSchedule or NoExecute taint the pod does not tolerate
/// (kube-scheduler's TaintToleration filter).
public struct TaintTolerationFilter: FilterPlugin {
    public var name: String { "TaintToleration" }

    public init() {}

    public func filter(pod: Pod, node: NodeInfo, state: CycleState) -> String? {
        for taint in node.node.spec.taints ?? [] where taint.effect == "NoSchedule" || taint.effect == "NoExecute" {
            if !tolerated(taint, by: pod.spec.tolerations) {
                return "node(s) had untolerated taint \(taint.reasonText)"
            }
        }
        return nil
    }
}
