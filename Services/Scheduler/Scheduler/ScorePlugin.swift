public import Schema

/// Ranks the nodes that passed every filter, the way a kube-scheduler Score plugin does.
public protocol ScorePlugin: Sendable {
    /// The kube-scheduler plugin name, e.g. `NodeResourcesBalancedAllocation`.
    var name: String { get }
    /// How much this plugin counts (kube-scheduler's default weights).
    var weight: Int64 { get }
    /// Once per cycle before any `score` call, with the feasible nodes.
    func preScore(pod: Pod, nodes: [NodeInfo], state: CycleState)
    /// The raw score of `node`.
    func score(pod: Pod, node: NodeInfo, state: CycleState) -> Int64
    /// Brings raw scores into 0…`maxNodeScore` (kube-scheduler's NormalizeScore); the default leaves them.
    func normalize(_ scores: inout [Int64], state: CycleState)
}

/// The highest score a plugin gives a node (kube-scheduler's MaxNodeScore).
public let maxNodeScore: Int64 = 100

extension ScorePlugin {
    public func preScore(pod: Pod, nodes: [NodeInfo], state: CycleState) {}
    public func normalize(_ scores: inout [Int64], state: CycleState) {}
}

/// kube-scheduler's DefaultNormalizeScore: scale so the best is `maxNodeScore`; `reverse` flips it.
func defaultNormalize(_ scores: inout [Int64], reverse: Bool) {
    let highest = scores.max() ?? 0
    if highest == 0 {
        if reverse { for i in scores.indices { scores[i] = maxNodeScore } }
        return
    }
    for i in scores.indices {
        scores[i] = maxNodeScore * scores[i] / highest
        if reverse { scores[i] = maxNodeScore - scores[i] }
    }
}
