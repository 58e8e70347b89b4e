import Schema

/// What one scheduling cycle knows besides the pod and the node being looked at: every node (for
/// topology-wide rules), namespace labels (for `namespaceSelector`), and what plugins precomputed.
///
/// Lives for one synchronous `schedule` call; never shared between tasks.
public final class CycleState {
    /// Every node of the snapshot, in the order the cycle walks them.
    public let nodes: [NodeInfo]
    /// Namespace name → labels, when known; `namespaceSelector` terms match only namespaces listed here.
    public let namespaceLabels: [String: [String: String]]
    private var storage: [String: Any] = [:]

    public init(nodes: [NodeInfo], namespaceLabels: [String: [String: String]] = [:]) {
        self.nodes = nodes
        self.namespaceLabels = namespaceLabels
    }

    /// What the plugin `name` stored in its `preFilter` or `preScore`.
    public func read<T>(_ name: String, as type: T.Type = T.self) -> T? { storage[name] as? T }

    /// Stores a plugin's precomputed data for the rest of the cycle.
    public func write(_ name: String, _ value: Any) { storage[name] = value }
}
