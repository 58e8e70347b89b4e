public import Schema

/// Why a pod fits no node: how many nodes there were and every reason each node gave.
public struct FitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// How many nodes were considered.
    public var numAllNodes: Int
    /// Node name → the reasons it was ruled out.
    public var reasons: [String: [String]]
    /// Why every node was ruled out before looking at any (a PreFilter rejection).
    public var preFilterMessage: String?

    public init(numAllNodes: Int, reasons: [String: [String]], preFilterMessage: String? = nil) {
        self.numAllNodes = numAllNodes
        self.reasons = reasons
        self.preFilterMessage = preFilterMessage
    }

    /// kube-scheduler's message, e.g. `0/3 nodes are available: 1 node(s) had untolerated taint
    /// {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.` — each reason with the number of
    /// nodes giving it, the entries sorted as text as Kubernetes sorts them.
    public var message: String {
        var counts: [String: Int] = [:]
        for list in reasons.values {
            for reason in list { counts[reason, default: 0] += 1 }
        }
        var text = "0/\(numAllNodes) nodes are available:"
        if let preFilterMessage { return text + " \(preFilterMessage)." }
        if counts.isEmpty { return text + " no nodes available to schedule pods." }
        // Go's sort.Strings: byte order of "<count> <reason>".
        let entries = counts.map { "\($0.value) \($0.key)" }.sorted {
            Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
        }
        text += " " + entries.joined(separator: ", ") + "."
        return text
    }

    public var description: String { message }
}

/// What a scheduling cycle decided.
public enum ScheduleResult: Sendable, Hashable {
    /// Bind the pod to `node`; `feasibleNodes` passed every filter, `evaluatedNodes` were looked at.
    case scheduled(node: String, evaluatedNodes: Int, feasibleNodes: Int)
    /// No node fits.
    case unschedulable(FitError)

    /// The chosen node, if any.
    public var nodeName: String? {
        if case .scheduled(let node, _, _) = self { return node }
        return nil
    }
}

/// kube-scheduler's scheduling algorithm without I/O: filter the nodes, score the feasible ones, pick the best.
///
/// Ties go to the node with the smallest stable hash of pod and node name, so equal nodes are chosen
/// deterministically yet differently for different pods.
public struct SchedulingCycle: Sendable {
    public var filters: [any FilterPlugin]
    public var scores: [any ScorePlugin]
    /// Stop filtering once this share of the nodes (in percent) was found feasible; 0 is kube-scheduler's
    /// adaptive default (50% − 1% per 125 nodes, at least 5%, at least 100 nodes); 100 checks every node.
    public var percentageOfNodesToScore: Int

    /// The default plugins, in kube-scheduler's order and with its weights.
    public init(
        filters: [any FilterPlugin] = SchedulingCycle.defaultFilters,
        scores: [any ScorePlugin] = SchedulingCycle.defaultScores,
        percentageOfNodesToScore: Int = 0
    ) {
        self.filters = filters
        self.scores = scores
        self.percentageOfNodesToScore = percentageOfNodesToScore
    }

    public static let defaultFilters: [any FilterPlugin] = [
        NodeUnschedulableFilter(), NodeNameFilter(), TaintTolerationFilter(), NodeReadyFilter(), NodeAffinityFilter(),
        NodePortsFilter(), NodeResourcesFitFilter(), VolumeBindingFilter(), InterPodAffinityFilter(),
    ]

    public static let defaultScores: [any ScorePlugin] = [
        TaintTolerationScore(), NodeAffinityScore(), LeastAllocatedScore(), BalancedAllocationScore(),
        InterPodAffinityScore(),
    ]

    /// Picks a node for `pod` among `nodes`, checking every node.
    public func schedule(
        pod: Pod, nodes: [NodeInfo], namespaceLabels: [String: [String: String]] = [:], volumes: VolumeLookup? = nil
    ) -> ScheduleResult {
        var start = 0
        return schedule(pod: pod, nodes: nodes, namespaceLabels: namespaceLabels, volumes: volumes, startIndex: &start)
    }

    /// Picks a node for `pod`, walking `nodes` from `startIndex` round-robin and stopping once enough feasible
    /// nodes were found; `startIndex` moves past the nodes looked at, so the next pod starts elsewhere.
    public func schedule(
        pod: Pod, nodes: [NodeInfo], namespaceLabels: [String: [String: String]] = [:], volumes: VolumeLookup? = nil,
        affinityCounts: AffinityCounts? = nil, startIndex: inout Int
    ) -> ScheduleResult {
        guard !nodes.isEmpty else { return .unschedulable(FitError(numAllNodes: 0, reasons: [:])) }
        let state = CycleState(
            nodes: nodes, namespaceLabels: namespaceLabels, volumes: volumes, pod: pod, affinityCounts: affinityCounts)
        for filter in filters {
            filter.preFilter(pod: pod, state: state)
            if let rejection = filter.preFilterRejection(pod: pod, state: state) {
                return .unschedulable(FitError(numAllNodes: nodes.count, reasons: [:], preFilterMessage: rejection))
            }
        }

        let wanted = numFeasibleNodesToFind(nodes.count)
        var feasible: [NodeInfo] = []
        var reasons: [String: [String]] = [:]
        var evaluated = 0
        let first = ((startIndex % nodes.count) + nodes.count) % nodes.count
        while evaluated < nodes.count && feasible.count < wanted {
            let node = nodes[(first + evaluated) % nodes.count]
            evaluated += 1
            if let failed = firstFailure(pod: pod, node: node, state: state) {
                reasons[node.name] = failed
            } else {
                feasible.append(node)
            }
        }
        startIndex = (first + evaluated) % nodes.count
        guard !feasible.isEmpty else {
            return .unschedulable(FitError(numAllNodes: nodes.count, reasons: reasons))
        }
        if feasible.count == 1 {
            return .scheduled(node: feasible[0].name, evaluatedNodes: evaluated, feasibleNodes: 1)
        }
        let totals = score(pod: pod, nodes: feasible, state: state)
        // The hash of "<pod key>\0<node name>", the pod's part hashed once.
        let podHash = StableHash.fnv1a64((NodeInfo.key(of: pod) + "\u{0}").utf8)
        var best = 0
        var bestHash = StableHash.fnv1a64(feasible[0].name.utf8, continuing: podHash)
        for i in 1..<feasible.count {
            if totals[i] < totals[best] { continue }
            let hash = StableHash.fnv1a64(feasible[i].name.utf8, continuing: podHash)
            if totals[i] > totals[best] || hash < bestHash
                || (hash == bestHash && feasible[i].name < feasible[best].name)
            {
                best = i
                bestHash = hash
            }
        }
        return .scheduled(node: feasible[best].name, evaluatedNodes: evaluated, feasibleNodes: feasible.count)
    }

    /// The reasons of the first filter `node` fails, as kube-scheduler stops at the first failing plugin.
    func firstFailure(pod: Pod, node: NodeInfo, state: CycleState) -> [String]? {
        for filter in filters {
            let reasons = filter.reasons(pod: pod, node: node, state: state)
            if !reasons.isEmpty { return reasons }
        }
        return nil
    }

    /// The weighted sum of normalized scores of every feasible node, in the order given.
    public func score(pod: Pod, nodes: [NodeInfo], state: CycleState) -> [Int64] {
        var totals = [Int64](repeating: 0, count: nodes.count)
        for plugin in scores {
            plugin.preScore(pod: pod, nodes: nodes, state: state)
            var values = nodes.map { plugin.score(pod: pod, node: $0, state: state) }
            plugin.normalize(&values, state: state)
            for i in values.indices { totals[i] += values[i] * plugin.weight }
        }
        return totals
    }

    /// How many feasible nodes to find before scoring (kube-scheduler's numFeasibleNodesToFind).
    public func numFeasibleNodesToFind(_ total: Int) -> Int {
        let minFeasible = 100
        if total < minFeasible || percentageOfNodesToScore >= 100 { return total }
        var percentage = percentageOfNodesToScore
        if percentage <= 0 {
            percentage = max(5, 50 - total / 125)
        }
        return min(total, max(minFeasible, total * percentage / 100))
    }
}
