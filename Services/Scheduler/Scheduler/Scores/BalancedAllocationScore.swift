public import Schema

/// Favours nodes whose cpu and memory would be used in equal shares after placing the pod
/// (kube-scheduler's NodeResourcesBalancedAllocation: (1 − standard deviation of the fractions) × 100).
public struct BalancedAllocationScore: ScorePlugin {
    public var name: String { "NodeResourcesBalancedAllocation" }
    public var weight: Int64

    public init(weight: Int64 = 1) { self.weight = weight }

    public func score(pod: Pod, node: NodeInfo, state: CycleState) -> Int64 {
        let request = state.podNonZeroRequests ?? Resources.nonZeroRequests(of: pod)
        let allocatable = node.allocatable
        guard allocatable.milliCPU > 0, allocatable.memory > 0 else { return 0 }
        let cpu = min(1, Double(node.nonZeroRequested.milliCPU + request.milliCPU) / Double(allocatable.milliCPU))
        let memory = min(1, Double(node.nonZeroRequested.memory + request.memory) / Double(allocatable.memory))
        // With two resources the standard deviation is half their distance.
        let deviation = abs(cpu - memory) / 2
        return Int64((1 - deviation) * Double(maxNodeScore))
    }
}
