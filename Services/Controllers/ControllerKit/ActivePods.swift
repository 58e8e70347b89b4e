public import Foundation
public import Schema

extension Pod {
    /// Whether the pod counts toward a controller's replicas: not Succeeded or Failed, not being deleted.
    public var isActive: Bool {
        status.phase != "Succeeded" && status.phase != "Failed" && metadata.deletionTimestamp == nil
    }

    /// The pod's Ready condition, if reported.
    public var readyCondition: PodCondition? { status.conditions?.first { $0.type == "Ready" } }

    /// Whether the pod's Ready condition is True.
    public var isPodReady: Bool { readyCondition?.status == "True" }

    /// Whether the pod has been ready for at least `minReadySeconds` at `now` (`IsPodAvailable`).
    public func isAvailable(minReadySeconds: Int, now: Date = Date()) -> Bool {
        guard isPodReady else { return false }
        if minReadySeconds <= 0 { return true }
        guard let since = readyCondition?.lastTransitionTime?.date else { return false }
        return since.addingTimeInterval(TimeInterval(minReadySeconds)) < now
    }

    /// The highest restart count of the pod's containers.
    public var maxContainerRestarts: Int {
        (status.containerStatuses ?? []).map(\.restartCount).max() ?? 0
    }
}

/// Kubernetes' `ActivePodsWithRanks` ordering: which pods a controller deletes first when it scales down.
public enum ActivePods {
    /// The annotation whose integer value makes a pod cheaper (lower) or dearer (higher) to delete.
    public static let deletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

    /// Whether `a` is less valuable than `b` (deleted first): unassigned before assigned; Pending before
    /// Unknown before Running; not ready before ready; more pods of the same controller on its node first;
    /// lower deletion cost first; ready for less time first; more restarts first; newer first.
    public static func isLessValuable(_ a: Pod, rank rankA: Int = 0, than b: Pod, rank rankB: Int = 0) -> Bool {
        let assignedA = !(a.spec.nodeName ?? "").isEmpty
        let assignedB = !(b.spec.nodeName ?? "").isEmpty
        if assignedA != assignedB { return !assignedA }
        let phaseA = phaseOrdinal(a.status.phase)
        let phaseB = phaseOrdinal(b.status.phase)
        if phaseA != phaseB { return phaseA < phaseB }
        if a.isPodReady != b.isPodReady { return !a.isPodReady }
        if rankA != rankB { return rankA > rankB }
        let costA = deletionCost(a)
        let costB = deletionCost(b)
        if costA != costB { return costA < costB }
        if a.isPodReady && b.isPodReady {
            let readyA = a.readyCondition?.lastTransitionTime?.date
            let readyB = b.readyCondition?.lastTransitionTime?.date
            if readyA != readyB { return afterOrZero(readyA, readyB) }
        }
        if a.maxContainerRestarts != b.maxContainerRestarts { return a.maxContainerRestarts > b.maxContainerRestarts }
        let createdA = a.metadata.creationTimestamp?.date
        let createdB = b.metadata.creationTimestamp?.date
        if createdA != createdB { return afterOrZero(createdA, createdB) }
        // Same on every count: a stable order by name, so the choice does not change between reconciles.
        return (a.metadata.name ?? "") > (b.metadata.name ?? "")
    }

    /// The `count` pods of `pods` to delete first; `related` are all active pods of the controller's family,
    /// used to rank pods doubled up on one node (`getPodsToDelete`).
    public static func toDelete(_ pods: [Pod], count: Int, related: [Pod]? = nil) -> [Pod] {
        guard count < pods.count else { return pods }
        var perNode: [String: Int] = [:]
        for pod in related ?? pods {
            if let node = pod.spec.nodeName, !node.isEmpty, pod.isActive { perNode[node, default: 0] += 1 }
        }
        let ranked = pods.map { pod in (pod, perNode[pod.spec.nodeName ?? "", default: 0]) }
        let sorted = ranked.sorted { isLessValuable($0.0, rank: $0.1, than: $1.0, rank: $1.1) }
        return Array(sorted.prefix(count).map(\.0))
    }

    static func phaseOrdinal(_ phase: String?) -> Int {
        switch phase {
        case "Pending": return 0
        case "Unknown": return 1
        case "Running": return 2
        default: return 0
        }
    }

    static func deletionCost(_ pod: Pod) -> Int {
        Int(pod.metadata.annotations?[deletionCostAnnotation] ?? "") ?? 0
    }

    /// Kubernetes' `afterOrZero`: a missing time sorts first, otherwise the later time does.
    static func afterOrZero(_ a: Date?, _ b: Date?) -> Bool {
        guard let a, let b else { return a == nil }
        return a > b
    }
}
