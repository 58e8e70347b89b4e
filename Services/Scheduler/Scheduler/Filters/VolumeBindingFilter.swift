public import Schema

/// Where the scheduler reads claims, volumes and storage classes (its informers' caches).
public struct VolumeLookup: Sendable {
    public var claim: @Sendable (_ namespace: String, _ name: String) -> PersistentVolumeClaim?
    public var volume: @Sendable (_ name: String) -> PersistentVolume?
    public var storageClass: @Sendable (_ name: String) -> StorageClass?

    public init(
        claim: @escaping @Sendable (String, String) -> PersistentVolumeClaim?,
        volume: @escaping @Sendable (String) -> PersistentVolume?,
        storageClass: @escaping @Sendable (String) -> StorageClass?
    ) {
        self.claim = claim
        self.volume = volume
        self.storageClass = storageClass
    }
}

/// kube-scheduler's VolumeBinding, for what Kubus' volumes need: a pod whose claim is missing, being deleted, or
/// unbound while its class binds immediately stays Pending with kube's reason (PreFilter, for every node at once);
/// a claim bound to a volume with node affinity keeps the pod to the nodes that affinity allows. Claims of a
/// WaitForFirstConsumer class pass: the persistentvolume controller provisions them once the pod is placed.
public struct VolumeBindingFilter: FilterPlugin {
    public var name: String { "VolumeBinding" }

    public init() {}

    /// Bound volumes' node affinities, computed once per cycle.
    struct PreFilterState {
        var rejection: String?
        var affinities: [NodeSelector] = []
    }

    public func preFilter(pod: Pod, state: CycleState) {
        guard let volumes = state.volumes else { return }
        var result = PreFilterState()
        let namespace = pod.metadata.namespace ?? "default"
        var unboundImmediate = false
        for volume in pod.spec.volumes ?? [] {
            guard let name = volume.persistentVolumeClaim?.claimName else { continue }
            guard let claim = volumes.claim(namespace, name) else {
                result.rejection = "persistentvolumeclaim \"\(name)\" not found"
                break
            }
            if claim.metadata.deletionTimestamp != nil {
                result.rejection = "persistentvolumeclaim \"\(name)\" is being deleted"
                break
            }
            if let bound = claim.spec.volumeName, !bound.isEmpty {
                if let required = volumes.volume(bound)?.spec.nodeAffinity?.required {
                    result.affinities.append(required)
                }
                continue
            }
            let className = claim.spec.storageClassName ?? ""
            let mode = className.isEmpty ? nil : volumes.storageClass(className)?.volumeBindingMode
            if mode != "WaitForFirstConsumer" { unboundImmediate = true }
        }
        if result.rejection == nil, unboundImmediate {
            result.rejection = "pod has unbound immediate PersistentVolumeClaims"
        }
        state.volumeBinding = result
    }

    public func preFilterRejection(pod: Pod, state: CycleState) -> String? {
        state.volumeBinding?.rejection
    }

    public func filter(pod: Pod, node: NodeInfo, state: CycleState) -> String? {
        guard let affinities = state.volumeBinding?.affinities, !affinities.isEmpty else { return nil }
        for required in affinities where !required.matches(node.node) {
            return "node(s) had volume node affinity conflict"
        }
        return nil
    }
}
