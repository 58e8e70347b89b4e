import Schema

/// The scheduler's view of the cluster: every node with the pods bound to it, including pods it *assumed*
/// (decided and is binding) before the informer has seen them bound, so the next decision already counts
/// them. A pure value; the service keeps it behind a lock.
public struct SchedulerCache: Sendable {
    private var nodes: [String: NodeInfo] = [:]
    /// Node names, sorted: the order cycles walk.
    private var order: [String] = []
    /// Pod key → the node it counts against.
    private var placement: [String: String] = [:]
    /// Bound pods whose node the cache does not know yet, by node name then pod key.
    private var waiting: [String: [String: Pod]] = [:]
    /// Pods assumed but not yet seen bound by the informer.
    public private(set) var assumed: Set<String> = []

    public init() {}

    /// How many nodes the cache knows.
    public var nodeCount: Int { order.count }

    /// The node named `name`, with its pods.
    public func nodeInfo(_ name: String) -> NodeInfo? { nodes[name] }

    /// Every node, in name order: what a scheduling cycle sees.
    public func snapshot() -> [NodeInfo] { order.compactMap { nodes[$0] } }

    /// Whether `key` is assumed (bound by us, not yet confirmed by the informer).
    public func isAssumed(_ key: String) -> Bool { assumed.contains(key) }

    /// The node a pod counts against, if any.
    public func node(ofPod key: String) -> String? { placement[key] }

    // MARK: Nodes

    public mutating func addOrUpdate(node: Node) {
        let name = node.metadata.name ?? ""
        if nodes[name] != nil {
            nodes[name]?.update(node: node)
            return
        }
        let pods = waiting.removeValue(forKey: name).map { Array($0.values) } ?? []
        nodes[name] = NodeInfo(node: node, pods: pods)
        let index = order.firstIndex { $0 > name } ?? order.endIndex
        order.insert(name, at: index)
    }

    public mutating func removeNode(named name: String) {
        guard let info = nodes.removeValue(forKey: name) else { return }
        order.removeAll { $0 == name }
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
        if nodes[nodeName] != nil {
            nodes[nodeName]?.add(pod)
        } else {
            waiting[nodeName, default: [:]][key] = pod
        }
    }

    private mutating func unplace(_ key: String) {
        guard let nodeName = placement.removeValue(forKey: key) else { return }
        if nodes[nodeName] != nil {
            nodes[nodeName]?.remove(key: key)
        } else {
            waiting[nodeName]?[key] = nil
            if waiting[nodeName]?.isEmpty == true { waiting[nodeName] = nil }
        }
    }
}
