public import Schema

/// Favours topology domains holding pods the pod prefers to be near, and away from those it prefers to
/// avoid; placed pods' preferences towards the pod count too (kube-scheduler's InterPodAffinity score).
public struct InterPodAffinityScore: ScorePlugin {
    public var name: String { "InterPodAffinity" }
    public var weight: Int64
    /// The weight of a placed pod's required affinity towards the pod (kube-scheduler's default is 1).
    public var hardPodAffinityWeight: Int64

    public init(weight: Int64 = 2, hardPodAffinityWeight: Int64 = 1) {
        self.weight = weight
        self.hardPodAffinityWeight = hardPodAffinityWeight
    }

    public func preScore(pod: Pod, nodes: [NodeInfo], state: CycleState) {
        let namespace = pod.metadata.namespace ?? "default"
        let namespaces = state.namespaceLabels
        let affinity = pod.spec.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
        let antiAffinity = pod.spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
        let ownTerms = !affinity.isEmpty || !antiAffinity.isEmpty
        var scores: [TopologyPair: Int64] = [:]

        func add(_ term: PodAffinityTerm, _ weight: Int64, on labels: [String: String]) {
            guard weight != 0, let value = labels[term.topologyKey] else { return }
            scores[TopologyPair(key: term.topologyKey, value: value), default: 0] += weight
        }

        // Every placed pod counts, not only those on feasible nodes: domains span nodes. Nothing to count when the pod
        // has no terms and no placed pod has any.
        let walk = ownTerms || (state.affinityCounts?.podsWithAffinity ?? 1) > 0
        for index in walk ? state.nodes.indices : 0..<0 where ownTerms || state.nodes[index].podsWithAffinity > 0 {
            let node = state.nodes[index]
            let labels = node.labels
            for existing in node.pods.values {
                let existingNamespace = existing.metadata.namespace ?? "default"
                for weighted in affinity
                where weighted.podAffinityTerm.selects(existing, ownerNamespace: namespace, namespaceLabels: namespaces)
                {
                    add(weighted.podAffinityTerm, Int64(weighted.weight), on: labels)
                }
                for weighted in antiAffinity
                where weighted.podAffinityTerm.selects(existing, ownerNamespace: namespace, namespaceLabels: namespaces)
                {
                    add(weighted.podAffinityTerm, -Int64(weighted.weight), on: labels)
                }
                guard let theirs = existing.spec.affinity else { continue }
                for term in theirs.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
                where term.selects(pod, ownerNamespace: existingNamespace, namespaceLabels: namespaces) {
                    add(term, hardPodAffinityWeight, on: labels)
                }
                for weighted in theirs.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
                where weighted.podAffinityTerm.selects(
                    pod, ownerNamespace: existingNamespace, namespaceLabels: namespaces)
                {
                    add(weighted.podAffinityTerm, Int64(weighted.weight), on: labels)
                }
                for weighted in theirs.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
                where weighted.podAffinityTerm.selects(
                    pod, ownerNamespace: existingNamespace, namespaceLabels: namespaces)
                {
                    add(weighted.podAffinityTerm, -Int64(weighted.weight), on: labels)
                }
            }
        }
        state.interPodAffinityScores = scores
    }

    public func score(pod: Pod, node: NodeInfo, state: CycleState) -> Int64 {
        guard let scores = state.interPodAffinityScores, !scores.isEmpty else { return 0 }
        var total: Int64 = 0
        for (key, value) in node.labels { total += scores[TopologyPair(key: key, value: value)] ?? 0 }
        return total
    }

    public func normalize(_ scores: inout [Int64], state: CycleState) {
        guard let low = scores.min(), let high = scores.max(), high != low else {
            for i in scores.indices { scores[i] = 0 }
            return
        }
        for i in scores.indices { scores[i] = maxNodeScore * (scores[i] - low) / (high - low) }
    }
}
