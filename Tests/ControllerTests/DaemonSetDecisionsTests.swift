import ControllerKit
import Controllers
import Foundation
import Schema
import Testing

/// The daemonset controller's decisions: eligible nodes, pods per node, rolling updates, status.
struct DaemonSetDecisionsTests {
    let now = Date(timeIntervalSince1970: 1_700_000_100)

    func daemonSet(maxUnavailable: IntOrString? = nil, onDelete: Bool = false) -> DaemonSet {
        var set = DaemonSet(metadata: ObjectMeta(name: "agent", namespace: "default", uid: "ds-uid", generation: 4))
        set.spec.selector = LabelSelector(matchLabels: ["app": "agent"])
        set.spec.template.metadata.labels = ["app": "agent"]
        set.spec.template.spec.containers = [Container(name: "agent", image: "agent:1")]
        set.spec.updateStrategy = DaemonSetUpdateStrategy(
            type: onDelete ? "OnDelete" : "RollingUpdate",
            rollingUpdate: RollingUpdateDaemonSet(maxUnavailable: maxUnavailable))
        return set
    }

    func node(_ name: String, labels: [String: String] = [:], taints: [Taint] = []) -> Node {
        var node = Node(metadata: ObjectMeta(name: name, labels: labels))
        node.spec.taints = taints.isEmpty ? nil : taints
        return node
    }

    func pod(_ name: String, on node: String, revision: String = "r1", ready: Bool = true) -> Pod {
        makePod(
            name, node: node, phase: ready ? "Running" : "Pending", ready: ready,
            readySince: ready ? now.addingTimeInterval(-60) : nil,
            labels: ["app": "agent", TemplateHash.label: revision])
    }

    @Test func nodeSelectorAffinityAndTaintsPickTheNodes() {
        var set = daemonSet()
        set.spec.template.spec.nodeSelector = ["disk": "ssd"]
        #expect(!DaemonSetDecisions.fit(set.spec.template, node: node("a")).shouldRun)
        #expect(DaemonSetDecisions.fit(set.spec.template, node: node("a", labels: ["disk": "ssd"])).shouldRun)

        set = daemonSet()
        set.spec.template.spec.affinity = Affinity(
            nodeAffinity: NodeAffinity(
                requiredDuringSchedulingIgnoredDuringExecution: NodeSelector(nodeSelectorTerms: [
                    NodeSelectorTerm(matchFields: [
                        NodeSelectorRequirement(key: "metadata.name", operator: "In", values: ["b"])
                    ])
                ])))
        #expect(!DaemonSetDecisions.fit(set.spec.template, node: node("a")).shouldRun)
        #expect(DaemonSetDecisions.fit(set.spec.template, node: node("b")).shouldRun)

        set = daemonSet()
        let noSchedule = Taint(key: "dedicated", value: "db", effect: "NoSchedule")
        let fit = DaemonSetDecisions.fit(set.spec.template, node: node("a", taints: [noSchedule]))
        #expect(!fit.shouldRun)
        #expect(fit.shouldContinueRunning)
        let noExecute = Taint(key: "dedicated", value: "db", effect: "NoExecute")
        #expect(!DaemonSetDecisions.fit(set.spec.template, node: node("a", taints: [noExecute])).shouldContinueRunning)
        set.spec.template.spec.tolerations = [Toleration(key: "dedicated", operator: "Exists")]
        #expect(DaemonSetDecisions.fit(set.spec.template, node: node("a", taints: [noSchedule, noExecute])).shouldRun)
    }

    @Test func automaticTolerationsLetDaemonsOntoUnhealthyNodes() throws {
        let set = daemonSet()
        let taints = [
            Taint(key: "node.kubernetes.io/not-ready", effect: "NoExecute"),
            Taint(key: "node.kubernetes.io/unreachable", effect: "NoExecute"),
            Taint(key: "node.kubernetes.io/unschedulable", effect: "NoSchedule"),
            Taint(key: "node.kubernetes.io/memory-pressure", effect: "NoSchedule"),
        ]
        #expect(DaemonSetDecisions.fit(set.spec.template, node: node("a", taints: taints)).shouldRun)
        let pod = try DaemonSetDecisions.pod(for: set, node: "a", revision: "r1")
        #expect(pod.spec.nodeName == "a")
        #expect(pod.metadata.generateName == "agent-")
        #expect(pod.metadata.labels?[TemplateHash.label] == "r1")
        #expect(pod.spec.tolerations?.count == DaemonSetDecisions.automaticTolerations.count)
        #expect(pod.metadata.controllerRef?.uid == "ds-uid")
    }

    @Test func onePodPerNodeWithGoneAndIneligibleNodesCleared() {
        let set = daemonSet()
        let nodes = [node("a"), node("b"), node("c", taints: [Taint(key: "x", effect: "NoExecute")])]
        var older = pod("agent-2", on: "b")
        older.metadata.creationTimestamp = Time(now.addingTimeInterval(-1000))
        let pods = [pod("agent-1", on: "b"), older, pod("agent-3", on: "c"), pod("agent-4", on: "gone")]
        let actions = DaemonSetDecisions.actions(set, nodes: nodes, pods: pods, revision: "r1", now: now)
        #expect(
            Set(actions)
                == [
                    .create(node: "a"), .delete(name: "agent-1", force: false), .delete(name: "agent-3", force: false),
                    .delete(name: "agent-4", force: true),
                ])
    }

    @Test func rollingUpdateRespectsMaxUnavailable() {
        let nodes = [node("a"), node("b"), node("c")]
        let old = [pod("p-a", on: "a"), pod("p-b", on: "b"), pod("p-c", on: "c")]
        let one = DaemonSetDecisions.actions(daemonSet(), nodes: nodes, pods: old, revision: "r2", now: now)
        #expect(one == [.delete(name: "p-a", force: false)])
        let two = DaemonSetDecisions.actions(
            daemonSet(maxUnavailable: .int(2)), nodes: nodes, pods: old, revision: "r2", now: now)
        #expect(two == [.delete(name: "p-a", force: false), .delete(name: "p-b", force: false)])
        // One new pod still starting uses the budget: nothing more is deleted.
        let starting = [pod("p-a2", on: "a", revision: "r2", ready: false), pod("p-b", on: "b"), pod("p-c", on: "c")]
        #expect(DaemonSetDecisions.actions(daemonSet(), nodes: nodes, pods: starting, revision: "r2", now: now) == [])
        // An old pod that is not available anyway goes at once.
        let broken = [pod("p-a", on: "a", ready: false), pod("p-b", on: "b"), pod("p-c", on: "c")]
        #expect(
            DaemonSetDecisions.actions(daemonSet(), nodes: nodes, pods: broken, revision: "r2", now: now)
                == [.delete(name: "p-a", force: false)])
        #expect(
            DaemonSetDecisions.actions(daemonSet(onDelete: true), nodes: nodes, pods: old, revision: "r2", now: now)
                == [])
    }

    @Test func statusCountsDesiredScheduledMisscheduledReadyUpdated() {
        var set = daemonSet()
        set.spec.template.spec.nodeSelector = ["role": "worker"]
        let nodes = [
            node("a", labels: ["role": "worker"]), node("b", labels: ["role": "worker"]),
            node("c", labels: ["role": "worker"]), node("d"),
        ]
        let pods = [
            pod("p-a", on: "a"), pod("p-b", on: "b", revision: "r0", ready: false), pod("p-d", on: "d"),
        ]
        let status = DaemonSetDecisions.status(set, nodes: nodes, pods: pods, revision: "r1", now: now)
        #expect(status.desiredNumberScheduled == 3)
        #expect(status.currentNumberScheduled == 2)
        #expect(status.numberMisscheduled == 1)
        #expect(status.numberReady == 1)
        #expect(status.updatedNumberScheduled == 1)
        #expect(status.numberAvailable == 1)
        #expect(status.numberUnavailable == 2)
        #expect(status.observedGeneration == 4)
    }
}
