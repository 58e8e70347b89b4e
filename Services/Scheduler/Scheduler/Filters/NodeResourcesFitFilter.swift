public import Schema

/// Rules out nodes whose allocatable resources, less what their pods request, cannot hold the pod's
/// requests (kube-scheduler's NodeResourcesFit filter): `Too many pods`, `Insufficient cpu`, ….
public struct NodeResourcesFitFilter: FilterPlugin {
    public var name: String { "NodeResourcesFit" }

    public init() {}

    public func filter(pod: Pod, node: NodeInfo, state: CycleState) -> String? {
        reasons(pod: pod, node: node, state: state).first
    }

    public func reasons(pod: Pod, node: NodeInfo, state: CycleState) -> [String] {
        var reasons: [String] = []
        if node.pods.count + 1 > node.allowedPodCount { reasons.append("Too many pods") }
        let request = state.podRequests ?? Resources.requests(of: pod)
        if request.isZero { return reasons }
        let allocatable = node.allocatable
        if request.milliCPU > 0 && request.milliCPU > allocatable.milliCPU - node.requested.milliCPU {
            reasons.append("Insufficient cpu")
        }
        if request.memory > 0 && request.memory > allocatable.memory - node.requested.memory {
            reasons.append("Insufficient memory")
        }
        if request.scalar.isEmpty { return reasons }
        for (resource, amount) in request.scalar.sorted(by: { $0.key < $1.key }) where amount > 0 {
            if amount > (allocatable.scalar[resource] ?? 0) - (node.requested.scalar[resource] ?? 0) {
                reasons.append("Insufficient \(resource)")
            }
        }
        return reasons
    }
}
