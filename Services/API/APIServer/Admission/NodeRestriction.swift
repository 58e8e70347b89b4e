import Schema

/// Kubernetes' NodeRestriction admission: a kubelet (user `system:node:<name>` in `system:nodes`) may change only
/// its own Node and Lease, the status of pods bound to it, and delete only those pods; it may not create pods
/// (Kubus has no mirror pods) nor touch `node-restriction.kubernetes.io/` labels. A simulated kubelet that runs
/// the nodes `<prefix>-*` is `system:node:<prefix>-*` and speaks for each of them.
extension APIHandler {
    static let nodeUserPrefix = "system:node:"
    static let nodesGroup = "system:nodes"
    static let restrictedLabelPrefix = "node-restriction.kubernetes.io/"

    /// The node name (or `prefix-*` pattern) the request's user speaks for; nil for anyone not a node.
    static func requestingNode(_ user: UserInfo?) -> String? {
        guard let user, user.name.hasPrefix(nodeUserPrefix), user.groups.contains(nodesGroup) else { return nil }
        return String(user.name.dropFirst(nodeUserPrefix.count))
    }

    static func node(_ pattern: String, covers name: String) -> Bool {
        pattern.hasSuffix("*") ? name.hasPrefix(pattern.dropLast()) : pattern == name
    }

    /// Refuses (403) what a kubelet may not do: `verb` is `create`, `update` or `delete`; `object` is the new
    /// state (nil for a delete), `current` the stored one (nil for a create).
    func admitNodeRestriction(
        _ info: KindInfo, verb: String, subresource: String?, object: JSONValue?, current: JSONValue?, name: String,
        namespace: String?
    ) throws(APIError) {
        guard let node = Self.requestingNode(Self.requester) else { return }
        switch info {
        case .node:
            guard Self.node(node, covers: name) else {
                throw .forbidden(info, name, "node \"\(node)\" is not allowed to modify node \"\(name)\"")
            }
            let before = Self.labels(current ?? [:]).filter { $0.key.hasPrefix(Self.restrictedLabelPrefix) }
            let after = Self.labels(object ?? [:]).filter { $0.key.hasPrefix(Self.restrictedLabelPrefix) }
            if verb != "delete", before != after {
                let keys = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
                throw .forbidden(
                    info, name,
                    "node \"\(node)\" is not allowed to modify labels: \(keys.joined(separator: ", "))")
            }
        case .pod:
            if verb == "create" {
                throw .forbidden(
                    info, name,
                    "pod does not have \"kubernetes.io/config.mirror\" annotation, node \"\(node)\" can only create "
                        + "mirror pods")
            }
            let bound = (current ?? object)?[path: ["spec", "nodeName"]]?.stringValue ?? ""
            guard Self.node(node, covers: bound) else {
                let what = verb == "delete" ? "delete pods" : "update pod status for pods"
                throw .forbidden(
                    info, name, "node \"\(node)\" can only \(what) with spec.nodeName set to itself")
            }
        case _ where info.kind == "Lease" && namespace == "kube-node-lease":
            guard Self.node(node, covers: name) else {
                throw .forbidden(
                    info, name, "node \"\(node)\" can only access node lease with the same name as the requesting node")
            }
        default:
            return
        }
    }
}
