import Schema

extension Toleration {
    /// Whether this toleration tolerates `taint`, with Kubernetes' rules: an empty effect matches every
    /// effect, an empty key with `Exists` matches every taint, `Equal` (or no operator) compares values.
    public func tolerates(_ taint: Taint) -> Bool {
        if let effect, !effect.isEmpty, effect != taint.effect { return false }
        if let key, !key.isEmpty, key != taint.key { return false }
        switch self.operator ?? "" {
        case "", "Equal": return (value ?? "") == (taint.value ?? "")
        case "Exists": return true
        default: return false
        }
    }
}

extension Taint {
    /// How kube-scheduler prints a taint in a reason: `{key: value}`.
    var reasonText: String { "{\(key): \(value ?? "")}" }
}

/// Whether any of `tolerations` tolerates `taint`.
func tolerated(_ taint: Taint, by tolerations: [Toleration]?) -> Bool {
    (tolerations ?? []).contains { $0.tolerates(taint) }
}

extension NodeSelectorRequirement {
    /// Whether `labels` satisfy this requirement (In, NotIn, Exists, DoesNotExist, Gt, Lt).
    public func matches(_ labels: [String: String]) -> Bool {
        let values = values ?? []
        switch self.operator {
        case "In":
            guard let value = labels[key] else { return false }
            return values.contains(value)
        case "NotIn":
            guard let value = labels[key] else { return true }
            return !values.contains(value)
        case "Exists":
            return labels[key] != nil
        case "DoesNotExist":
            return labels[key] == nil
        case "Gt", "Lt":
            guard values.count == 1, let bound = Int64(values[0]), let text = labels[key], let value = Int64(text)
            else { return false }
            return self.operator == "Gt" ? value > bound : value < bound
        default:
            return false
        }
    }
}

extension NodeSelectorTerm {
    /// Whether `node` satisfies every expression and field of this term; a term with neither matches nothing.
    public func matches(_ node: Node) -> Bool {
        let expressions = matchExpressions ?? []
        let fields = matchFields ?? []
        if expressions.isEmpty && fields.isEmpty { return false }
        let labels = node.metadata.labels ?? [:]
        for requirement in expressions where !requirement.matches(labels) { return false }
        // The only field Kubernetes supports here is metadata.name.
        let nodeFields = ["metadata.name": node.metadata.name ?? ""]
        for requirement in fields {
            guard requirement.key == "metadata.name", requirement.operator == "In" || requirement.operator == "NotIn",
                requirement.matches(nodeFields)
            else { return false }
        }
        return true
    }
}

extension NodeSelector {
    /// Whether `node` satisfies any term (terms are ORed).
    public func matches(_ node: Node) -> Bool {
        nodeSelectorTerms.contains { $0.matches(node) }
    }
}

extension PodAffinityTerm {
    /// Whether `pod` is one this term selects, for a term declared by a pod in `ownerNamespace`.
    func selects(_ pod: Pod, ownerNamespace: String, namespaceLabels: [String: [String: String]]) -> Bool {
        let namespace = pod.metadata.namespace ?? "default"
        let listed = namespaces ?? []
        var inNamespace: Bool
        if listed.isEmpty && namespaceSelector == nil {
            inNamespace = namespace == ownerNamespace
        } else {
            inNamespace = listed.contains(namespace)
            if !inNamespace, let namespaceSelector {
                if namespaceSelector.isEmpty {
                    inNamespace = true  // {} selects every namespace
                } else if let labels = namespaceLabels[namespace] {
                    inNamespace = namespaceSelector.matches(labels)
                }
            }
        }
        guard inNamespace else { return false }
        // A nil label selector selects no pods, as in Kubernetes.
        guard let labelSelector else { return false }
        return labelSelector.matches(pod.metadata.labels ?? [:])
    }
}

extension Node {
    /// Whether the Ready condition is True.
    public var isReady: Bool {
        status.conditions?.first { $0.type == "Ready" }?.status == "True"
    }
}

extension Pod {
    /// Whether the pod is being deleted.
    public var isTerminating: Bool { metadata.deletionTimestamp != nil }
    /// Whether the pod has finished and no longer holds resources.
    public var isFinished: Bool { status.phase == "Succeeded" || status.phase == "Failed" }
}

/// FNV-1a over `text`, continuing from `hash` (a prefix's hash): a stable hash (Swift's `Hasher` is seeded per process).
func stableHash(_ text: String, continuing hash: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
    var hash = hash
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
    }
    return hash
}
