public import Schema

/// Sums the weights of the pod's preferred node affinity terms a node matches, normalized so the best node
/// gets 100 (kube-scheduler's NodeAffinity score).
public struct NodeAffinityScore: ScorePlugin {
    public var name: String { "NodeAffinity" }
    public var weight: Int64

    public init(weight: Int64 = 2) { self.weight = weight }

    public func score(pod: Pod, node: NodeInfo, state: CycleState) -> Int64 {
        var total: Int64 = 0
        for term in pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
        where term.weight != 0 && term.preference.matches(node.node) {
            total += Int64(term.weight)
        }
        return total
    }

    public func normalize(_ scores: inout [Int64], state: CycleState) {
        defaultNormalize(&scores, reverse: false)
    }
}
