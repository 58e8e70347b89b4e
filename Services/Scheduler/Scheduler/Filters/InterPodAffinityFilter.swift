public import Schema

/// A topology domain: a label key and the value nodes in the domain share, e.g. `zone=a`.
struct TopologyPair: Hashable {
    var key: String
    var value: String
}

/// Enforces required pod affinity and anti-affinity by topology domain, both the pod's own rules and the
/// anti-affinity of pods already placed (kube-scheduler's InterPodAffinity filter).
public struct InterPodAffinityFilter: FilterPlugin {
    public var name: String { "InterPodAffinity" }

    public init() {}

    struct PreFilterState {
        /// Domains where a placed pod's required anti-affinity selects the incoming pod.
        var existingAntiAffinity: [TopologyPair: Int] = [:]
        /// Domains holding pods that match every required affinity term of the incoming pod.
        var affinity: [TopologyPair: Int] = [:]
        /// Domains holding pods that a required anti-affinity term of the incoming pod selects.
        var antiAffinity: [TopologyPair: Int] = [:]
        var affinityTerms: [PodAffinityTerm] = []
        var antiAffinityTerms: [PodAffinityTerm] = []
        /// Whether the incoming pod matches its own affinity terms (so it may start a group).
        var matchesOwnAffinity = false

        /// Whether no node can fail: no rule of the pod and no placed pod's anti-affinity selects it.
        var passesEveryNode: Bool {
            existingAntiAffinity.isEmpty && affinityTerms.isEmpty && antiAffinityTerms.isEmpty
        }
    }

    public func preFilter(pod: Pod, state: CycleState) {
        var result = PreFilterState()
        let namespace = pod.metadata.namespace ?? "default"
        let namespaces = state.namespaceLabels
        result.affinityTerms = pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
        result.antiAffinityTerms =
            pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []
        result.matchesOwnAffinity =
            !result.affinityTerms.isEmpty
            && result.affinityTerms.allSatisfy {
                $0.selects(pod, ownerNamespace: namespace, namespaceLabels: namespaces)
            }
        let ownTerms = !result.affinityTerms.isEmpty || !result.antiAffinityTerms.isEmpty
        // Nothing to find when the pod has no terms and no placed pod has anti-affinity.
        let walk = ownTerms || (state.affinityCounts?.podsWithAntiAffinity ?? 1) > 0
        // Read the counter in place: copying every NodeInfo of a large cluster costs more than the rest.
        for index in walk ? state.nodes.indices : 0..<0 where ownTerms || state.nodes[index].podsWithAntiAffinity > 0 {
            let node = state.nodes[index]
            let labels = node.labels
            for existing in node.pods.values {
                let existingNamespace = existing.metadata.namespace ?? "default"
                for term in existing.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution
                    ?? []
                where term.selects(pod, ownerNamespace: existingNamespace, namespaceLabels: namespaces) {
                    if let value = labels[term.topologyKey] {
                        result.existingAntiAffinity[TopologyPair(key: term.topologyKey, value: value), default: 0] += 1
                    }
                }
                guard ownTerms else { continue }
                if !result.affinityTerms.isEmpty
                    && result.affinityTerms.allSatisfy({
                        $0.selects(existing, ownerNamespace: namespace, namespaceLabels: namespaces)
                    })
                {
                    for term in result.affinityTerms {
                        if let value = labels[term.topologyKey] {
                            result.affinity[TopologyPair(key: term.topologyKey, value: value), default: 0] += 1
                        }
                    }
                }
                for term in result.antiAffinityTerms
                where term.selects(existing, ownerNamespace: namespace, namespaceLabels: namespaces) {
                    if let value = labels[term.topologyKey] {
                        result.antiAffinity[TopologyPair(key: term.topologyKey, value: value), default: 0] += 1
                    }
                }
            }
        }
        state.interPodAffinityFilter = result
    }

    public func filter(pod: Pod, node: NodeInfo, state: CycleState) -> String? {
        if state.interPodAffinityFilter == nil { preFilter(pod: pod, state: state) }
        guard let pre = state.interPodAffinityFilter, !pre.passesEveryNode else { return nil }
        let labels = node.labels
        if !pre.existingAntiAffinity.isEmpty {
            for (key, value) in labels where (pre.existingAntiAffinity[TopologyPair(key: key, value: value)] ?? 0) > 0 {
                return "node(s) didn't satisfy existing pods anti-affinity rules"
            }
        }
        if !pre.affinityTerms.isEmpty {
            var podsExist = true
            for term in pre.affinityTerms {
                guard let value = labels[term.topologyKey] else {
                    // A node without the topology label can never satisfy the term.
                    return "node(s) didn't match pod affinity rules"
                }
                if (pre.affinity[TopologyPair(key: term.topologyKey, value: value)] ?? 0) <= 0 { podsExist = false }
            }
            // The first pod of a group that selects itself may go anywhere its topology labels exist.
            if !podsExist && !(pre.affinity.isEmpty && pre.matchesOwnAffinity) {
                return "node(s) didn't match pod affinity rules"
            }
        }
        for term in pre.antiAffinityTerms {
            if let value = labels[term.topologyKey],
                (pre.antiAffinity[TopologyPair(key: term.topologyKey, value: value)] ?? 0) > 0
            {
                return "node(s) didn't match pod anti-affinity rules"
            }
        }
        return nil
    }
}
