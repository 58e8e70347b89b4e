public import Schema

/// A node and what is already placed on it: the pods, their summed requests and the host ports they hold.
public struct NodeInfo: Sendable {
    /// Every field in one box, copied on write: a cycle copies hundreds of NodeInfos per pod (the candidates, the
    /// feasible ones), and copying the fields themselves — the Node object's strings, arrays and dictionaries —
    /// was 40 % of the scheduler's CPU (a retain and a release per reference, per node, per pod).
    private final class Storage: @unchecked Sendable {
        // Mutated only through `NodeInfo`'s mutating methods, after `isKnownUniquelyReferenced` (copy on write), so
        // a box shared between values or threads is never written.
        var node: Node
        var pods: [String: Pod] = [:]
        var requested = Resources()
        var nonZeroRequested = Resources()
        var usedPorts: [HostPort] = []
        var podsWithAntiAffinity = 0
        var podsWithAffinity = 0
        var allocatable = Resources()
        var allowedPodCount = 0
        var isReady = false

        init(node: Node) { self.node = node }

        func copy() -> Storage {
            let c = Storage(node: node)
            c.pods = pods
            c.requested = requested
            c.nonZeroRequested = nonZeroRequested
            c.usedPorts = usedPorts
            c.podsWithAntiAffinity = podsWithAntiAffinity
            c.podsWithAffinity = podsWithAffinity
            c.allocatable = allocatable
            c.allowedPodCount = allowedPodCount
            c.isReady = isReady
            return c
        }
    }

    private var storage: Storage

    // The getters yield the box's fields in place (`_read`): a plain getter would return a copy of the Node object,
    // which filters read several times per node per pod.

    public var node: Node { _read { yield storage.node } }
    /// The pods bound (or assumed) to the node, by `namespace/name`.
    public var pods: [String: Pod] { _read { yield storage.pods } }
    /// The sum of the pods' requests (what the filters compare with allocatable).
    public var requested: Resources { _read { yield storage.requested } }
    /// The sum of the pods' requests with kube-scheduler's defaults for empty ones (what scores use).
    public var nonZeroRequested: Resources { _read { yield storage.nonZeroRequested } }
    /// The host ports in use.
    public var usedPorts: [HostPort] { _read { yield storage.usedPorts } }
    /// How many pods declare required or preferred pod anti-affinity (lets filters skip nodes cheaply).
    public var podsWithAntiAffinity: Int { storage.podsWithAntiAffinity }
    /// How many pods declare any pod affinity or anti-affinity.
    public var podsWithAffinity: Int { storage.podsWithAffinity }
    /// What the node offers: `status.allocatable`, falling back to `status.capacity` (read once per node update).
    public var allocatable: Resources { _read { yield storage.allocatable } }
    /// How many pods the node takes: allocatable (or capacity) `pods`, else the kubelet's default of 110.
    public var allowedPodCount: Int { storage.allowedPodCount }
    /// Whether the node's Ready condition is True.
    public var isReady: Bool { storage.isReady }

    public init(node: Node, pods: [Pod] = []) {
        storage = Storage(node: node)
        readNode()
        for pod in pods { add(pod) }
    }

    public var name: String { node.metadata.name ?? "" }
    public var labels: [String: String] { node.metadata.labels ?? [:] }

    /// The box, unshared first.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// Replaces the node object, keeping its pods.
    public mutating func update(node: Node) {
        unique().node = node
        readNode()
    }

    // Filters and scores read these for every node of every cycle: parse them once per node update instead.
    private mutating func readNode() {
        let s = unique()
        let list = s.node.status.allocatable ?? s.node.status.capacity
        s.allocatable = Resources(list)
        s.allowedPodCount = list?["pods"].map { Int($0.value) } ?? 110
        s.isReady = s.node.isReady
    }

    /// Places `pod` on this node (replacing an earlier version of it).
    public mutating func add(_ pod: Pod) {
        let key = NodeInfo.key(of: pod)
        if storage.pods[key] != nil { remove(key: key) }
        let s = unique()
        s.pods[key] = pod
        s.requested += Resources.requests(of: pod)
        s.nonZeroRequested += Resources.nonZeroRequests(of: pod)
        s.usedPorts.append(contentsOf: HostPort.of(pod))
        let affinity = pod.spec.affinity
        if affinity?.podAntiAffinity != nil { s.podsWithAntiAffinity += 1 }
        if affinity?.podAffinity != nil || affinity?.podAntiAffinity != nil { s.podsWithAffinity += 1 }
    }

    /// Takes the pod `namespace/name` off this node.
    @discardableResult
    public mutating func remove(key: String) -> Pod? {
        guard storage.pods[key] != nil else { return nil }
        let s = unique()
        guard let pod = s.pods.removeValue(forKey: key) else { return nil }
        s.requested -= Resources.requests(of: pod)
        s.nonZeroRequested -= Resources.nonZeroRequests(of: pod)
        for port in HostPort.of(pod) {
            if let index = s.usedPorts.firstIndex(of: port) { s.usedPorts.remove(at: index) }
        }
        let affinity = pod.spec.affinity
        if affinity?.podAntiAffinity != nil { s.podsWithAntiAffinity -= 1 }
        if affinity?.podAffinity != nil || affinity?.podAntiAffinity != nil { s.podsWithAffinity -= 1 }
        return pod
    }

    /// `namespace/name`, the key pods go by everywhere in the scheduler.
    public static func key(of pod: Pod) -> String {
        "\(pod.metadata.namespace ?? "default")/\(pod.metadata.name ?? "")"
    }
}
