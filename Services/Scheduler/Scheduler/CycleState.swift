public import Schema

/// What one scheduling cycle knows besides the pod and the node being looked at: every node (for
/// topology-wide rules), namespace labels (for `namespaceSelector`), and what plugins precomputed.
///
/// Lives for one synchronous `schedule` call; never shared between tasks.
public final class CycleState {
    /// Every node of the snapshot, in the order the cycle walks them.
    public let nodes: [NodeInfo]
    /// Namespace name → labels, when known; `namespaceSelector` terms match only namespaces listed here.
    public let namespaceLabels: [String: [String: String]]
    /// Claims, volumes and storage classes, when the scheduler watches them (VolumeBinding needs them).
    public let volumes: VolumeLookup?
    /// The pod's requests (`Resources.requests(of:)`), summed once per cycle when the pod is given.
    public let podRequests: Resources?
    /// The pod's requests with scoring defaults (`Resources.nonZeroRequests(of:)`), summed once per cycle.
    public let podNonZeroRequests: Resources?
    /// The cluster's counts of pods with (anti-)affinity, when the caller keeps them; nil: plugins look at every node.
    public let affinityCounts: AffinityCounts?
    private var storage: [String: Any] = [:]
    // Typed slots for what plugins read once per node: a lookup in `storage` costs a hash and a dynamic cast.
    var interPodAffinityFilter: InterPodAffinityFilter.PreFilterState?
    var interPodAffinityScores: [TopologyPair: Int64]?
    var hostPorts: [HostPort]?
    var volumeBinding: VolumeBindingFilter.PreFilterState?

    /// With `pod`, what every plugin needs of the pod alone is computed here once rather than once per node.
    public init(
        nodes: [NodeInfo], namespaceLabels: [String: [String: String]] = [:], volumes: VolumeLookup? = nil,
        pod: Pod? = nil, affinityCounts: AffinityCounts? = nil
    ) {
        self.affinityCounts = affinityCounts
        self.nodes = nodes
        self.namespaceLabels = namespaceLabels
        self.volumes = volumes
        podRequests = pod.map { Resources.requests(of: $0) }
        podNonZeroRequests = pod.map { Resources.nonZeroRequests(of: $0) }
    }

    /// What the plugin `name` stored in its `preFilter` or `preScore`.
    public func read<T>(_ name: String, as type: T.Type = T.self) -> T? { storage[name] as? T }

    /// Stores a plugin's precomputed data for the rest of the cycle.
    public func write(_ name: String, _ value: Any) { storage[name] = value }
}
