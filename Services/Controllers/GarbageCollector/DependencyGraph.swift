import ControllerKit
public import Schema

/// What the garbage collector knows of one object: who it is, its owners, and its deletion state.
public struct GraphNode: Sendable, Hashable {
    /// The object's kind, e.g. `Pod`.
    public var kind: String
    /// The object's `apiVersion`.
    public var apiVersion: String
    /// The namespace, nil for cluster-scoped objects.
    public var namespace: String?
    /// The name.
    public var name: String
    /// The uid.
    public var uid: String
    /// The owner references.
    public var owners: [OwnerReference]
    /// Whether `deletionTimestamp` is set.
    public var deleting: Bool
    /// `metadata.finalizers`.
    public var finalizers: [String]

    /// Creates a node from an object's kind and metadata.
    public init(kind: KindInfo, metadata: ObjectMeta) {
        self.kind = kind.kind
        apiVersion = kind.apiVersion
        namespace = metadata.namespace
        name = metadata.name ?? ""
        uid = metadata.uid ?? ""
        owners = metadata.ownerReferences ?? []
        deleting = metadata.deletionTimestamp != nil
        finalizers = metadata.finalizers ?? []
    }

    /// Being deleted in the foreground: waits for its blocking dependents to go.
    public var isDeletingDependents: Bool { deleting && finalizers.contains(GarbageCollector.foregroundFinalizer) }
    /// Being deleted with its dependents orphaned.
    public var isOrphaning: Bool { deleting && finalizers.contains(GarbageCollector.orphanFinalizer) }
    /// `Kind namespace/name`, for logs.
    public var description: String { "\(kind) \(ObjectKey.make(namespace: namespace, name: name))" }
}

/// The objects the garbage collector watches and who owns whom, by uid (kube's `uidToNode`).
public struct DependencyGraph: Sendable {
    private(set) var nodes: [String: GraphNode] = [:]
    private var dependentsOf: [String: Set<String>] = [:]

    /// Creates an empty graph.
    public init() {}

    /// The node with `uid`.
    public func node(_ uid: String) -> GraphNode? { nodes[uid] }

    /// Every node's uid.
    public var uids: [String] { Array(nodes.keys) }

    /// The nodes that name `uid` as an owner.
    public func dependents(of uid: String) -> [GraphNode] {
        (dependentsOf[uid] ?? []).compactMap { nodes[$0] }
    }

    /// Adds or replaces `node`; returns the previous version.
    @discardableResult
    public mutating func upsert(_ node: GraphNode) -> GraphNode? {
        let old = nodes[node.uid]
        if let old { unlink(old) }
        nodes[node.uid] = node
        for owner in node.owners where !owner.uid.isEmpty { dependentsOf[owner.uid, default: []].insert(node.uid) }
        return old
    }

    /// Removes the node `uid`; returns it.
    @discardableResult
    public mutating func remove(_ uid: String) -> GraphNode? {
        guard let old = nodes.removeValue(forKey: uid) else { return nil }
        unlink(old)
        return old
    }

    private mutating func unlink(_ node: GraphNode) {
        for owner in node.owners {
            dependentsOf[owner.uid]?.remove(node.uid)
            if dependentsOf[owner.uid]?.isEmpty == true { dependentsOf[owner.uid] = nil }
        }
    }
}
