public import Schema

/// The scheduler's view of the cluster: every node with the pods bound to it, including pods it *assumed*
/// (decided and is binding) before the informer has seen them bound, so the next decision already counts
/// them. A pure value; the service keeps it behind a lock.
///
/// The nodes live in one array, in the order they were added, which is also what `snapshot()` returns: a
/// change to a node or its pods updates that node's entry in place, so taking a snapshot copies nothing
/// (the array is shared copy-on-write) and a cycle costs nothing for the nodes it does not look at —
/// kube-scheduler's incrementally updated snapshot, without the second copy (decisions run under the lock).
public struct SchedulerCache: Sendable {
    /// Every node, in the order cycles walk (the order nodes were added).
    private var infos: [NodeInfo] = []
    /// Node name → its index in `infos`.
    private var slots: [String: Int] = [:]
    /// Pod key → the node it counts against.
    private var placement: [String: String] = [:]
    /// Bound pods whose node the cache does not know yet, by node name then pod key.
    private var waiting: [String: [String: Pod]] = [:]
    /// Pods assumed but not yet seen bound by the informer.
    public private(set) var assumed: Set<String> = []
    /// Counts every change to a node or to the pods placed on it.
    public private(set) var generation: UInt64 = 0
    /// The sums of every node's `podsWithAffinity` and `podsWithAntiAffinity`: when both are 0 a pod without
    /// affinity terms of its own skips the inter-pod affinity walk over every node.
    public private(set) var affinityCounts = AffinityCounts()

    public init() {}

    /// How many nodes the cache knows.
    public var nodeCount: Int { infos.count }

    /// The node named `name`, with its pods.
    public func nodeInfo(_ name: String) -> NodeInfo? { slots[name].map { infos[$0] } }

    /// Every node, in the order cycles walk; shares storage with the cache until the cache next changes.
    public func snapshot() -> [NodeInfo] { infos }

    /// Whether `key` is assumed (bound by us, not yet confirmed by the informer).
    public func isAssumed(_ key: String) -> Bool { assumed.contains(key) }

    /// The node a pod counts against, if any.
    public func node(ofPod key: String) -> String? { placement[key] }

    // MARK: Nodes

    public mutating func addOrUpdate(node: Node) {
        let name = node.metadata.name ?? ""
        generation &+= 1
        if let slot = slots[name] {
            infos[slot].update(node: node)
            return
        }
        let pods = waiting.removeValue(forKey: name).map { Array($0.values) } ?? []
        slots[name] = infos.count
        infos.append(NodeInfo(node: node, pods: pods))
        affinityCounts.add(infos[infos.count - 1], sign: 1)
    }

    public mutating func removeNode(named name: String) {
        guard let slot = slots.removeValue(forKey: name) else { return }
        generation &+= 1
        let info = infos.remove(at: slot)
        affinityCounts.add(info, sign: -1)
        // Later nodes move up one place; the walk order stays the order of addition.
        for index in slot..<infos.count { slots[infos[index].name] = index }
        // Its pods wait for a node of that name to come back, as kube-scheduler's cache keeps them.
        if !info.pods.isEmpty { waiting[name] = info.pods }
    }

    // MARK: Pods

    /// Applies a pod the informer added or updated.
    public mutating func update(pod: Pod) {
        let key = NodeInfo.key(of: pod)
        let nodeName = pod.spec.nodeName ?? ""
        if nodeName.isEmpty {
            // The informer may still show the pending version of a pod we just bound: keep the assumption.
            if !assumed.contains(key) { unplace(key) }
            return
        }
        assumed.remove(key)
        if pod.isFinished {
            unplace(key)  // finished pods hold nothing
            return
        }
        place(pod, key: key, on: nodeName)
    }

    /// Applies a pod the informer deleted.
    public mutating func remove(podKey key: String) {
        assumed.remove(key)
        unplace(key)
    }

    /// Counts `pod` against `nodeName` before the binding is confirmed.
    public mutating func assume(_ pod: Pod, on nodeName: String) {
        var bound = pod
        bound.spec.nodeName = nodeName
        let key = NodeInfo.key(of: pod)
        assumed.insert(key)
        place(bound, key: key, on: nodeName)
    }

    /// Drops an assumption whose binding failed.
    public mutating func forget(podKey key: String) {
        guard assumed.remove(key) != nil else { return }
        unplace(key)
    }

    private mutating func place(_ pod: Pod, key: String, on nodeName: String) {
        if let previous = placement[key], previous != nodeName { unplace(key) }
        placement[key] = nodeName
        if let slot = slots[nodeName] {
            generation &+= 1
            affinityCounts.add(infos[slot], sign: -1)
            infos[slot].add(pod)
            affinityCounts.add(infos[slot], sign: 1)
        } else {
            waiting[nodeName, default: [:]][key] = pod
        }
    }

    private mutating func unplace(_ key: String) {
        guard let nodeName = placement.removeValue(forKey: key) else { return }
        if let slot = slots[nodeName] {
            generation &+= 1
            affinityCounts.add(infos[slot], sign: -1)
            infos[slot].remove(key: key)
            affinityCounts.add(infos[slot], sign: 1)
        } else {
            waiting[nodeName]?[key] = nil
            if waiting[nodeName]?.isEmpty == true { waiting[nodeName] = nil }
        }
    }
}

/// How many placed pods, over all nodes, declare pod affinity or anti-affinity (`podsWithAffinity`) and pod
/// anti-affinity (`podsWithAntiAffinity`), as `NodeInfo` counts them per node.
public struct AffinityCounts: Sendable, Equatable {
    public var podsWithAffinity = 0
    public var podsWithAntiAffinity = 0

    public init(podsWithAffinity: Int = 0, podsWithAntiAffinity: Int = 0) {
        self.podsWithAffinity = podsWithAffinity
        self.podsWithAntiAffinity = podsWithAntiAffinity
    }

    mutating func add(_ node: NodeInfo, sign: Int) {
        podsWithAffinity += sign * node.podsWithAffinity
        podsWithAntiAffinity += sign * node.podsWithAntiAffinity
    }
}
