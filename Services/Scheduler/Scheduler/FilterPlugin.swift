public import Schema

/// A rule that rules a node out for a pod, the way a kube-scheduler Filter plugin does.
public protocol FilterPlugin: Sendable {
    /// The kube-scheduler plugin name, e.g. `NodeResourcesFit`.
    var name: String { get }
    /// Once per cycle before any `filter` call (kube-scheduler's PreFilter); precompute into `state`.
    func preFilter(pod: Pod, state: CycleState)
    /// After `preFilter`: a reason that rules out every node at once (kube-scheduler's PreFilter returning
    /// UnschedulableAndUnresolvable, e.g. a missing claim), or nil.
    func preFilterRejection(pod: Pod, state: CycleState) -> String?
    /// Nil when `node` passes, else the reason exactly as kube-scheduler words it.
    func filter(pod: Pod, node: NodeInfo, state: CycleState) -> String?
    /// Every reason `node` fails for (most filters have at most one; resources can have several).
    func reasons(pod: Pod, node: NodeInfo, state: CycleState) -> [String]
}

extension FilterPlugin {
    public func preFilter(pod: Pod, state: CycleState) {}

    public func preFilterRejection(pod: Pod, state: CycleState) -> String? { nil }

    public func reasons(pod: Pod, node: NodeInfo, state: CycleState) -> [String] {
        filter(pod: pod, node: node, state: state).map { [$0] } ?? []
    }
}
