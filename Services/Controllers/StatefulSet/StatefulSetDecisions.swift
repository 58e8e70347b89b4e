import ControllerKit
public import Foundation
public import Schema

/// One step the statefulset controller takes.
public enum StatefulSetAction: Sendable, Hashable {
    /// Create the claims and then the pod of this ordinal.
    case create(ordinal: Int)
    /// Delete this pod (failed, condemned by a scale-down, or of an old revision during a rolling update).
    case delete(name: String, ordinal: Int)
}

/// The pure decisions of Kubernetes' `pkg/controller/statefulset` (`updateStatefulSet`): which pods to create
/// or delete next, the pods' identities, and the status.
public enum StatefulSetDecisions {
    /// The label carrying the pod's name.
    public static let podNameLabel = "statefulset.kubernetes.io/pod-name"
    /// The label carrying the pod's ordinal.
    public static let podIndexLabel = "apps.kubernetes.io/pod-index"

    /// The ordinal of `pod` if its name is `<set>-<ordinal>`.
    public static func ordinal(of podName: String?, set: String) -> Int? {
        guard let podName, podName.hasPrefix("\(set)-") else { return nil }
        guard let ordinal = Int(podName.dropFirst(set.count + 1)), ordinal >= 0,
            "\(set)-\(ordinal)" == podName
        else { return nil }
        return ordinal
    }

    /// The name of a claim made from the template `claim` for `ordinal`: `<claim>-<set>-<ordinal>`.
    public static func claimName(_ claim: String, set: String, ordinal: Int) -> String {
        "\(claim)-\(set)-\(ordinal)"
    }

    /// The first ordinal (`spec.ordinals.start`).
    public static func startOrdinal(_ set: StatefulSet) -> Int { set.spec.ordinals?.start ?? 0 }

    /// Whether pods are started and stopped one at a time in order (`OrderedReady`, the default).
    public static func isOrdered(_ set: StatefulSet) -> Bool { set.spec.podManagementPolicy != "Parallel" }

    /// Whether a pod is Running and Ready and not being deleted.
    public static func isHealthy(_ pod: Pod) -> Bool {
        pod.status.phase == "Running" && pod.isPodReady && !pod.metadata.isBeingDeleted
    }

    static func isFailed(_ pod: Pod) -> Bool { pod.status.phase == "Failed" || pod.status.phase == "Succeeded" }

    /// The revision a pod was made from.
    public static func revision(of pod: Pod) -> String? { pod.metadata.labels?[TemplateHash.label] }

    /// The pod of `ordinal` for `set` at revision `revision` (`newVersionedStatefulSetPod`): the template's
    /// labels plus the identity labels, hostname and subdomain, and one volume per claim template.
    public static func pod(for set: StatefulSet, ordinal: Int, revision: String) throws -> Pod {
        let name = "\(set.metadata.name ?? "")-\(ordinal)"
        var pod = try PodControl.pod(
            from: set.spec.template, namespace: set.metadata.namespace, generateName: "",
            controllerRef: set.asControllerRef)
        pod.metadata.generateName = nil
        pod.metadata.name = name
        pod.metadata.labels?[podNameLabel] = name
        pod.metadata.labels?[podIndexLabel] = "\(ordinal)"
        pod.metadata.labels?[TemplateHash.label] = revision
        pod.spec.hostname = name
        if let service = set.spec.serviceName, !service.isEmpty { pod.spec.subdomain = service }
        let claims = set.spec.volumeClaimTemplates ?? []
        if !claims.isEmpty {
            var volumes = pod.spec.volumes ?? []
            for claim in claims {
                let claimName = claim.metadata.name ?? ""
                volumes.removeAll { $0.name == claimName }
                volumes.append(
                    Volume(
                        name: claimName,
                        persistentVolumeClaim: PersistentVolumeClaimVolumeSource(
                            claimName: self.claimName(claimName, set: set.metadata.name ?? "", ordinal: ordinal))))
            }
            pod.spec.volumes = volumes
        }
        return pod
    }

    /// The claims the pod of `ordinal` uses (`getPersistentVolumeClaims`): the set's selector labels and the
    /// template's; owned by the set only when `whenDeleted: Delete` asks for it (Retain keeps them owner-less).
    public static func claims(for set: StatefulSet, ordinal: Int) -> [PersistentVolumeClaim] {
        (set.spec.volumeClaimTemplates ?? []).map { template in
            var labels = template.metadata.labels ?? [:]
            for (key, value) in set.spec.selector?.matchLabels ?? [:] { labels[key] = value }
            var metadata = ObjectMeta(
                name: claimName(template.metadata.name ?? "", set: set.metadata.name ?? "", ordinal: ordinal),
                namespace: set.metadata.namespace, labels: labels.isEmpty ? nil : labels,
                annotations: template.metadata.annotations)
            if set.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted == "Delete" {
                metadata.ownerReferences = [set.asControllerRef]
            }
            return PersistentVolumeClaim(metadata: metadata, spec: template.spec)
        }
    }

    /// What to do next for `set` given the pods it owns. In `OrderedReady` at most one step is returned, and
    /// none while a pod is starting or stopping; `Parallel` returns every creation and deletion at once.
    public static func actions(_ set: StatefulSet, pods: [Pod], updateRevision: String) -> [StatefulSetAction] {
        let name = set.metadata.name ?? ""
        let start = startOrdinal(set)
        let replicas = set.spec.replicas ?? 1
        let ordered = isOrdered(set)
        var byOrdinal: [Int: Pod] = [:]
        for pod in pods {
            guard let ordinal = ordinal(of: pod.metadata.name, set: name) else { continue }
            byOrdinal[ordinal] = pod
        }
        var actions: [StatefulSetAction] = []
        // Pods to keep, ascending: create what is missing, replace what failed.
        for ordinal in start..<(start + max(replicas, 0)) {
            guard let pod = byOrdinal[ordinal] else {
                actions.append(.create(ordinal: ordinal))
                if ordered { return actions }
                continue
            }
            if isFailed(pod) && !pod.metadata.isBeingDeleted {
                actions.append(.delete(name: pod.metadata.name ?? "", ordinal: ordinal))
                if ordered { return actions }
                continue
            }
            if ordered && !isHealthy(pod) { return actions }
        }
        // Pods to remove, descending; in order, each only when every other pod is healthy.
        let condemned = byOrdinal.keys.filter { $0 < start || $0 >= start + replicas }.sorted(by: >)
        for ordinal in condemned {
            let pod = byOrdinal[ordinal]!
            if pod.metadata.isBeingDeleted {
                if ordered { return actions }
                continue
            }
            actions.append(.delete(name: pod.metadata.name ?? "", ordinal: ordinal))
            if ordered { return actions }
        }
        if !actions.isEmpty { return actions }
        // Rolling update: newest ordinal first, down to the partition, one pod at a time.
        guard set.spec.updateStrategy?.type ?? "RollingUpdate" == "RollingUpdate" else { return [] }
        let partition = set.spec.updateStrategy?.rollingUpdate?.partition ?? 0
        for ordinal in stride(from: start + replicas - 1, through: start + partition, by: -1) {
            guard let pod = byOrdinal[ordinal] else { return [] }
            if revision(of: pod) != updateRevision {
                if pod.metadata.isBeingDeleted { return [] }
                return [.delete(name: pod.metadata.name ?? "", ordinal: ordinal)]
            }
            if !isHealthy(pod) { return [] }
        }
        return []
    }

    /// The status of `set` given its owned pods (`computeReplicaStatus` and `completeRollingUpdate`).
    public static func status(
        _ set: StatefulSet, pods: [Pod], updateRevision: String, now: Date = Date()
    ) -> StatefulSetStatus {
        let name = set.metadata.name ?? ""
        var status = set.status
        let currentRevision = status.currentRevision ?? updateRevision
        var replicas = 0
        var ready = 0
        var available = 0
        var current = 0
        var updated = 0
        for pod in pods where ordinal(of: pod.metadata.name, set: name) != nil && !isFailed(pod) {
            replicas += 1
            if pod.isPodReady && !pod.metadata.isBeingDeleted {
                ready += 1
                if pod.isAvailable(minReadySeconds: set.spec.minReadySeconds ?? 0, now: now) { available += 1 }
            }
            if pod.metadata.isBeingDeleted { continue }
            if revision(of: pod) == currentRevision { current += 1 }
            if revision(of: pod) == updateRevision { updated += 1 }
        }
        status.replicas = replicas
        status.readyReplicas = ready
        status.availableReplicas = available
        status.currentReplicas = current
        status.updatedReplicas = updated
        status.currentRevision = currentRevision
        status.updateRevision = updateRevision
        status.observedGeneration = set.metadata.generation
        // Every pod runs the update revision and is ready: it becomes the current revision.
        let wanted = set.spec.replicas ?? 1
        if updated == wanted && ready == wanted && replicas == wanted {
            status.currentRevision = updateRevision
            status.currentReplicas = updated
        }
        return status
    }
}
