import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Foundation
import Schema
import Testing

/// The node-lifecycle controller against the in-memory api: a node whose kubelet went silent gets Ready=Unknown
/// and the unreachable taints, and only the pods that do not tolerate them are evicted; a node reporting
/// NotReady gets the not-ready taint.
@Suite(.timeLimit(.minutes(1)))
struct NodeLifecycleReconcileTests {
    /// Registers `name` as its kubelet would: the Node, its Ready condition and its Lease, last heard `ago` ago.
    static func register(
        _ harness: ControllerHarness, _ name: String, ready: String = "True", heardAgo ago: TimeInterval = 0
    ) async throws {
        let heard = Date().addingTimeInterval(-ago)
        try await harness.create(
            yaml: """
                apiVersion: v1
                kind: Node
                metadata: {name: \(name), labels: {kubernetes.io/hostname: \(name)}}
                """)
        var node = try await harness.api.get(Node.self, namespace: nil, name: name)
        node.status.conditions = [
            NodeCondition(
                type: "Ready", status: ready, lastHeartbeatTime: Time(heard), lastTransitionTime: Time(heard),
                reason: ready == "True" ? "KubeletReady" : "KubeletNotReady")
        ]
        _ = try await harness.api.updateStatus(node)
        try await harness.create(
            yaml: """
                apiVersion: coordination.k8s.io/v1
                kind: Lease
                metadata: {name: \(name), namespace: kube-node-lease}
                spec:
                  holderIdentity: \(name)
                  leaseDurationSeconds: 40
                  renewTime: "\(MicroTime(heard).rawValue)"
                """)
    }

    static func pod(_ name: String, node: String, tolerationSeconds: Int? = nil) -> String {
        let toleration =
            tolerationSeconds.map {
                """
                  tolerations:
                  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: \($0)}
                """
            } ?? ""
        return """
            apiVersion: v1
            kind: Pod
            metadata: {name: \(name)}
            spec:
              nodeName: \(node)
              containers: [{name: app, image: busybox:1.36}]
            \(toleration)
            """
    }

    static func taints(_ harness: ControllerHarness, _ node: String) async throws -> Set<String> {
        let stored = try await harness.api.get(Node.self, namespace: nil, name: node)
        return Set((stored.spec.taints ?? []).map { "\($0.key):\($0.effect)" })
    }

    @Test func aSilentNodeIsTaintedAndPodsThatDoNotTolerateItAreEvicted() async throws {
        let harness = try await ControllerHarness([NodeLifecycleController.self])
        defer { harness.close() }
        try await Self.register(harness, "healthy")
        try await Self.register(harness, "silent", heardAgo: 600)
        // Admission gives every pod 300 s of toleration for unreachable nodes; one asks for none.
        try await harness.create(yaml: Self.pod("patient", node: "silent"))
        try await harness.create(yaml: Self.pod("impatient", node: "silent", tolerationSeconds: 0))
        try await harness.create(yaml: Self.pod("elsewhere", node: "healthy", tolerationSeconds: 0))
        try await harness.settle()

        let silent = try await harness.api.get(Node.self, namespace: nil, name: "silent")
        #expect(silent.status.conditions?.first { $0.type == "Ready" }?.status == "Unknown")
        #expect(
            try await Self.taints(harness, "silent")
                == ["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"])
        #expect(try await Self.taints(harness, "healthy").isEmpty)
        let healthy = try await harness.api.get(Node.self, namespace: nil, name: "healthy")
        #expect(healthy.status.conditions?.first { $0.type == "Ready" }?.status == "True")

        let impatient = try? await harness.api.get(Pod.self, namespace: "default", name: "impatient")
        #expect(impatient == nil || impatient?.metadata.deletionTimestamp != nil, "evicted")
        let patient = try await harness.api.get(Pod.self, namespace: "default", name: "patient")
        #expect(patient.metadata.deletionTimestamp == nil)
        let elsewhere = try await harness.api.get(Pod.self, namespace: "default", name: "elsewhere")
        #expect(elsewhere.metadata.deletionTimestamp == nil)
        let events = try await harness.api.list(Event.self, namespace: "default").items
        #expect(events.contains { $0.reason == "NodeNotReady" && $0.involvedObject.name == "silent" })
    }

    @Test func aNodeReportingNotReadyGetsTheNotReadyTaintAndLosesItWhenReady() async throws {
        let harness = try await ControllerHarness([NodeLifecycleController.self])
        defer { harness.close() }
        try await Self.register(harness, "other")
        try await Self.register(harness, "sick", ready: "False")
        try await harness.settle()
        #expect(try await Self.taints(harness, "sick").contains("node.kubernetes.io/not-ready:NoSchedule"))

        var sick = try await harness.api.get(Node.self, namespace: nil, name: "sick")
        sick.status.conditions = [
            NodeCondition(
                type: "Ready", status: "True", lastHeartbeatTime: .now(), lastTransitionTime: .now(),
                reason: "KubeletReady")
        ]
        _ = try await harness.api.updateStatus(sick)
        try await harness.settle()
        #expect(try await Self.taints(harness, "sick").isEmpty)
    }
}
