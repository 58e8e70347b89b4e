public import Schema

extension Taint {
    /// How kube-scheduler prints a taint in a reason: `{key: value}`.
    var reasonText: String { "{\(key): \(value ?? "")}" }
}

/// Whether any of `tolerations` tolerates `taint`.
func tolerated(_ taint: Taint, by tolerations: [Toleration]?) -> Bool {
    (tolerations ?? []).contains { $0.tolerates(taint) }
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
