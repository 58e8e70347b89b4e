import ControllerKit
public import Foundation
public import Schema

/// Whether a DaemonSet's pod belongs on a node (`NodeShouldRunDaemonPod`).
public struct DaemonNodeFit: Sendable, Hashable {
    /// A new pod should be placed on the node.
    public var shouldRun: Bool
    /// A pod already on the node may stay (only NoExecute taints and the selectors evict).
    public var shouldContinueRunning: Bool
}

/// One step of the daemonset controller.
public enum DaemonSetAction: Sendable, Hashable {
    /// Create a pod on this node.
    case create(node: String)
    /// Delete this pod; `force` (grace 0) for a pod whose node is gone, as Kubernetes' pod GC does.
    case delete(name: String, force: Bool)
}

/// The pure decisions of Kubernetes' `pkg/controller/daemon`: node eligibility, the pods to create and
/// delete, rolling updates and the status.
public enum DaemonSetDecisions {
    /// The tolerations every DaemonSet pod gets (`AddOrUpdateDaemonPodTolerations`).
    public static let automaticTolerations: [Toleration] = [
        Toleration(key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute"),
        Toleration(key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute"),
        Toleration(key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule"),
        Toleration(key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule"),
        Toleration(key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule"),
        Toleration(key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule"),
    ]

    /// The template's tolerations plus the automatic ones it does not already have.
    public static func tolerations(_ template: PodTemplateSpec) -> [Toleration] {
        var tolerations = template.spec.tolerations ?? []
        for toleration in automaticTolerations
        where !tolerations.contains(where: {
            $0.key == toleration.key && $0.effect == toleration.effect
        }) {
            tolerations.append(toleration)
        }
        return tolerations
    }

    /// Whether `node` fits `template`: node selector, required node affinity, taints against tolerations.
    public static func fit(_ template: PodTemplateSpec, node: Node) -> DaemonNodeFit {
        let labels = node.metadata.labels ?? [:]
        let selected = (template.spec.nodeSelector ?? [:]).allSatisfy { labels[$0.key] == $0.value }
        let required = template.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        let affine = required.map { $0.matches(node) }
        guard selected, affine ?? true else { return DaemonNodeFit(shouldRun: false, shouldContinueRunning: false) }
        let tolerations = tolerations(template)
        var shouldRun = true
        var shouldContinue = true
        for taint in node.spec.taints ?? [] where taint.effect == "NoSchedule" || taint.effect == "NoExecute" {
            guard !tolerations.contains(where: { $0.tolerates(taint) }) else { continue }
            shouldRun = false
            if taint.effect == "NoExecute" { shouldContinue = false }
        }
        return DaemonNodeFit(shouldRun: shouldRun, shouldContinueRunning: shouldContinue)
    }

    /// The node a daemon pod is on or meant for.
    public static func node(of pod: Pod) -> String? {
        if let name = pod.spec.nodeName, !name.isEmpty { return name }
        return nil
    }

    /// The pods to create and delete (`podsShouldBeOnNode` for every node, and the rolling update), given the
    /// nodes and the DaemonSet's owned pods. Pods on nodes that no longer exist are deleted with grace 0.
    public static func actions(
        _ set: DaemonSet, nodes: [Node], pods: [Pod], revision: String, now: Date = Date()
    ) -> [DaemonSetAction] {
        var byNode: [String: [Pod]] = [:]
        for pod in pods {
            guard let node = node(of: pod) else { continue }
            byNode[node, default: []].append(pod)
        }
        var actions: [DaemonSetAction] = []
        var known = Set<String>()
        for node in nodes {
            let nodeName = node.metadata.name ?? ""
            known.insert(nodeName)
            let fit = fit(set.spec.template, node: node)
            let onNode = byNode[nodeName] ?? []
            let alive = onNode.filter { !$0.metadata.isBeingDeleted }
            if fit.shouldRun && onNode.isEmpty {
                actions.append(.create(node: nodeName))
            } else if fit.shouldContinueRunning {
                // Failed pods are replaced; of several running pods the oldest stays.
                let failed = alive.filter { $0.status.phase == "Failed" || $0.status.phase == "Succeeded" }
                actions += failed.map { .delete(name: $0.metadata.name ?? "", force: false) }
                let running = alive.filter { !failed.contains($0) }.sorted(by: olderFirst)
                actions += running.dropFirst().map { .delete(name: $0.metadata.name ?? "", force: false) }
            } else {
                actions += alive.map { .delete(name: $0.metadata.name ?? "", force: false) }
            }
        }
        for (nodeName, onNode) in byNode where !known.contains(nodeName) {
            actions += onNode.map { .delete(name: $0.metadata.name ?? "", force: true) }
        }
        if !actions.isEmpty { return actions }
        return rollingUpdate(set, nodes: nodes, byNode: byNode, revision: revision, now: now)
    }

    /// `RollingUpdate` with `maxUnavailable` (default 1): old pods that are unavailable go first, then old
    /// available ones while fewer than `maxUnavailable` desired nodes lack an available pod. `OnDelete` waits.
    static func rollingUpdate(
        _ set: DaemonSet, nodes: [Node], byNode: [String: [Pod]], revision: String, now: Date
    ) -> [DaemonSetAction] {
        guard set.spec.updateStrategy?.type ?? "RollingUpdate" == "RollingUpdate" else { return [] }
        let minReady = set.spec.minReadySeconds ?? 0
        let desired = nodes.filter { fit(set.spec.template, node: $0).shouldRun }
        let maxUnavailable = max(
            1, scaled(set.spec.updateStrategy?.rollingUpdate?.maxUnavailable, total: desired.count, default: 1))
        var unavailable = 0
        var oldAvailable: [Pod] = []
        var actions: [DaemonSetAction] = []
        for node in desired {
            let pods = (byNode[node.metadata.name ?? ""] ?? []).filter { !$0.metadata.isBeingDeleted }
            guard let pod = pods.first else {
                unavailable += 1
                continue
            }
            let available = pod.isAvailable(minReadySeconds: minReady, now: now)
            if !available { unavailable += 1 }
            guard pod.metadata.labels?[TemplateHash.label] != revision else { continue }
            if available {
                oldAvailable.append(pod)
            } else {
                actions.append(.delete(name: pod.metadata.name ?? "", force: false))
            }
        }
        let budget = max(0, maxUnavailable - unavailable)
        actions += oldAvailable.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }.prefix(budget).map {
            .delete(name: $0.metadata.name ?? "", force: false)
        }
        return actions
    }

    /// An int-or-percent scaled to `total` (percentages round up, as for maxUnavailable).
    static func scaled(_ value: IntOrString?, total: Int, default fallback: Int) -> Int {
        switch value {
        case .none: return fallback
        case .int(let n): return n
        case .string(let text):
            guard text.hasSuffix("%"), let percent = Int(text.dropLast()) else { return fallback }
            return (percent * total + 99) / 100
        }
    }

    static func olderFirst(_ a: Pod, _ b: Pod) -> Bool {
        let ta = a.metadata.creationTimestamp?.date ?? .distantPast
        let tb = b.metadata.creationTimestamp?.date ?? .distantPast
        if ta != tb { return ta < tb }
        return (a.metadata.name ?? "") < (b.metadata.name ?? "")
    }

    /// The pod for `node` (`spec.nodeName` set, so it is bound without the scheduler, with the automatic
    /// tolerations and the revision label).
    public static func pod(for set: DaemonSet, node: String, revision: String) throws -> Pod {
        var pod = try PodControl.pod(
            from: set.spec.template, namespace: set.metadata.namespace, generateName: "\(set.metadata.name ?? "")-",
            controllerRef: set.asControllerRef)
        pod.metadata.labels?[TemplateHash.label] = revision
        pod.spec.nodeName = node
        pod.spec.tolerations = tolerations(set.spec.template)
        return pod
    }

    /// The status given the nodes and owned pods (`updateDaemonSetStatus`).
    public static func status(
        _ set: DaemonSet, nodes: [Node], pods: [Pod], revision: String, now: Date = Date()
    ) -> DaemonSetStatus {
        var byNode: [String: [Pod]] = [:]
        for pod in pods where !pod.metadata.isBeingDeleted {
            guard let node = node(of: pod) else { continue }
            byNode[node, default: []].append(pod)
        }
        var status = set.status
        var desired = 0
        var scheduled = 0
        var misscheduled = 0
        var ready = 0
        var updated = 0
        var available = 0
        for node in nodes {
            let fit = fit(set.spec.template, node: node)
            let onNode = (byNode[node.metadata.name ?? ""] ?? []).sorted(by: olderFirst)
            if fit.shouldRun {
                desired += 1
                guard let pod = onNode.first else { continue }
                scheduled += 1
                if pod.isPodReady {
                    ready += 1
                    if pod.isAvailable(minReadySeconds: set.spec.minReadySeconds ?? 0, now: now) { available += 1 }
                }
                if pod.metadata.labels?[TemplateHash.label] == revision { updated += 1 }
            } else if !onNode.isEmpty {
                misscheduled += 1
            }
        }
        status.desiredNumberScheduled = desired
        status.currentNumberScheduled = scheduled
        status.numberMisscheduled = misscheduled
        status.numberReady = ready
        status.updatedNumberScheduled = updated
        status.numberAvailable = available
        status.numberUnavailable = desired - available
        status.observedGeneration = set.metadata.generation
        return status
    }
}
