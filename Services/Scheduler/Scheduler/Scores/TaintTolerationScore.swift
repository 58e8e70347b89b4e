public import Schema

/// Counts the PreferNoSchedule taints a pod does not tolerate; fewer is better
/// (kube-scheduler's TaintToleration score, normalized in reverse).
public struct TaintTolerationScore: ScorePlugin {
    public var name: String { "TaintToleration" }
    public var weight: Int64

    public init(weight: Int64 = 3) { self.weight = weight }

    public func score(pod: Pod, node: NodeInfo, state: CycleState) -> Int64 {
        guard let taints = node.node.spec.taints, !taints.isEmpty else { return 0 }
        // Only tolerations that could apply to PreferNoSchedule count, as in Kubernetes.
        let tolerations = (pod.spec.tolerations ?? []).filter {
            ($0.effect ?? "").isEmpty || $0.effect == "PreferNoSchedule"
        }
        var count: Int64 = 0
        for taint in taints where taint.effect == "PreferNoSchedule" {
            if !tolerated(taint, by: tolerations) { count += 1 }
        }
        return count
    }

    public func normalize(_ scores: inout [Int64], state: CycleState) {
        defaultNormalize(&scores, reverse: true)
    }
}
