public import Schema

/// Rules out nodes where a host port the pod asks for is taken (kube-scheduler's NodePorts).
public struct NodePortsFilter: FilterPlugin {
    public var name: String { "NodePorts" }

    public init() {}

    public func preFilter(pod: Pod, state: CycleState) {
        state.hostPorts = HostPort.of(pod)
    }

    public func filter(pod: Pod, node: NodeInfo, state: CycleState) -> String? {
        if node.usedPorts.isEmpty { return nil }
        let wanted = state.hostPorts ?? HostPort.of(pod)
        if wanted.isEmpty { return nil }
        for port in wanted where node.usedPorts.contains(where: { $0.conflicts(with: port) }) {
            return "node(s) didn't have free ports for the requested pod ports"
        }
        return nil
    }
}
