public import Schema

/// A node and what is already placed on it: the pods, their summed requests and the host ports they hold.
public struct NodeInfo: Sendable {
    public private(set) var node: Node
    /// The pods bound (or assumed) to the node, by `namespace/name`.
    public private(set) var pods: [String: Pod]
    /// The sum of the pods' requests (what the filters compare with allocatable).
    public private(set) var requested: Resources
    /// The sum of the pods' requests with kube-scheduler's defaults for empty ones (what scores use).
    public private(set) var nonZeroRequested: Resources
    /// The host ports in use.
    public private(set) var usedPorts: [HostPort]
    /// How many pods declare required or preferred pod anti-affinity (lets filters skip nodes cheaply).
    public private(set) var podsWithAntiAffinity: Int
    /// How many pods declare any pod affinity or anti-affinity.
    public private(set) var podsWithAffinity: Int
    /// What the node offers: `status.allocatable`, falling back to `status.capacity` (read once per node update).
    public private(set) var allocatable: Resources
    /// How many pods the node takes: allocatable (or capacity) `pods`, else the kubelet's default of 110.
    public private(set) var allowedPodCount: Int
    /// Whether the node's Ready condition is True.
    public private(set) var isReady: Bool

    public init(node: Node, pods: [Pod] = []) {
        self.node = node
        self.pods = [:]
        requested = Resources()
        nonZeroRequested = Resources()
        usedPorts = []
        podsWithAntiAffinity = 0
        podsWithAffinity = 0
        allocatable = Resources()
        allowedPodCount = 0
        isReady = false
        readNode()
        for pod in pods { add(pod) }
    }

    public var name: String { node.metadata.name ?? "" }
    public var labels: [String: String] { node.metadata.labels ?? [:] }

    /// Replaces the node object, keeping its pods.
    public mutating func update(node: Node) {
        self.node = node
        readNode()
    }

    // Filters and scores read these for every node of every cycle: parse them once per node update instead.
    private mutating func readNode() {
        let list = node.status.allocatable ?? node.status.capacity
        allocatable = Resources(list)
        allowedPodCount = list?["pods"].map { Int($0.value) } ?? 110
        isReady = node.isReady
    }

    /// Places `pod` on this node (replacing an earlier version of it).
    public mutating func add(_ pod: Pod) {
        let key = NodeInfo.key(of: pod)
        if pods[key] != nil { remove(key: key) }
        pods[key] = pod
        requested += Resources.requests(of: pod)
        nonZeroRequested += Resources.nonZeroRequests(of: pod)
        usedPorts.append(contentsOf: HostPort.of(pod))
        let affinity = pod.spec.affinity
        if affinity?.podAntiAffinity != nil { podsWithAntiAffinity += 1 }
        if affinity?.podAffinity != nil || affinity?.podAntiAffinity != nil { podsWithAffinity += 1 }
    }

    /// Takes the pod `namespace/name` off this node.
    @discardableResult
    public mutating func remove(key: String) -> Pod? {
        guard let pod = pods.removeValue(forKey: key) else { return nil }
        requested -= Resources.requests(of: pod)
        nonZeroRequested -= Resources.nonZeroRequests(of: pod)
        for port in HostPort.of(pod) {
            if let index = usedPorts.firstIndex(of: port) { usedPorts.remove(at: index) }
        }
        let affinity = pod.spec.affinity
        if affinity?.podAntiAffinity != nil { podsWithAntiAffinity -= 1 }
        if affinity?.podAffinity != nil || affinity?.podAntiAffinity != nil { podsWithAffinity -= 1 }
        return pod
    }

    /// `namespace/name`, the key pods go by everywhere in the scheduler.
    public static func key(of pod: Pod) -> String {
        "\(pod.metadata.namespace ?? "default")/\(pod.metadata.name ?? "")"
    }
}
