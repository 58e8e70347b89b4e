public import Schema

/// Favours nodes with the most room left: the mean over cpu and memory of free/allocatable × 100, counting
/// the pod itself (kube-scheduler's NodeResourcesFit score with the LeastAllocated strategy).
public struct LeastAllocatedScore: ScorePlugin {
    public var name: String { "NodeResourcesFit" }
    public var weight: Int64

    public init(weight: Int64 = 1) { self.weight = weight }

    public func score(pod: Pod, node: NodeInfo, state: CycleState) -> Int64 {
        let request = state.podNonZeroRequests ?? Resources.nonZeroRequests(of: pod)
        let allocatable = node.allocatable
        let cpu = Self.leastRequested(node.nonZeroRequested.milliCPU + request.milliCPU, allocatable.milliCPU)
        let memory = Self.leastRequested(node.nonZeroRequested.memory + request.memory, allocatable.memory)
        return (cpu + memory) / 2
    }

    static func leastRequested(_ requested: Int64, _ capacity: Int64) -> Int64 {
        if capacity == 0 || requested > capacity { return 0 }
        return (capacity - requested) * maxNodeScore / capacity
    }
}
