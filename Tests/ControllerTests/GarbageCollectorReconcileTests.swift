import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Schema
import Testing

/// The garbage collector against the in-memory api, with the controllers that make the dependents: the three
/// propagation policies of a delete (Background, Foreground, Orphan) and a dependent with two owners.
@Suite(.timeLimit(.minutes(1)))
struct GarbageCollectorReconcileTests {
    static func pods(_ harness: ControllerHarness) async throws -> [Pod] {
        try await harness.api.list(Pod.self, namespace: "default").items
    }

    static func exists(_ harness: ControllerHarness, _ kind: String, _ name: String) async throws -> Bool {
        do {
            _ = try await harness.api.get(kind: kind, namespace: "default", name: name)
            return true
        } catch  where error.isNotFound {
            return false
        }
    }

    /// The frontend ReplicaSet with its three pods running.
    static func runningFrontend() async throws -> ControllerHarness {
        let harness = try await ControllerHarness([ReplicaSetController.self, GarbageCollector.self])
        try await harness.create(yaml: OfficialExamples.frontend)
        try await harness.settle()
        try await harness.runPods()
        try await harness.settle()
        return harness
    }

    @Test func backgroundDeleteRemovesTheOwnerAtOnceThenItsPods() async throws {
        let harness = try await Self.runningFrontend()
        defer { harness.close() }
        #expect(try await Self.pods(harness).count == 3)

        // kubectl delete replicaset frontend (cascade=background).
        _ = try await harness.api.delete(kind: "ReplicaSet", namespace: "default", name: "frontend")
        #expect(try await !Self.exists(harness, "ReplicaSet", "frontend"))
        try await harness.settle()
        let stopping = try await Self.pods(harness)
        #expect(stopping.count == 3)
        #expect(stopping.allSatisfy { $0.metadata.deletionTimestamp != nil })
        let deletes = harness.api.writes.filter { $0.verb == "delete" && $0.kind == "Pod" }
        #expect(Set(deletes.compactMap(\.name)) == Set(stopping.compactMap(\.metadata.name)))

        try await harness.runPods()
        try await harness.settle()
        #expect(try await Self.pods(harness).isEmpty)
    }

    @Test func foregroundDeleteKeepsTheOwnersUntilTheirDependentsAreGone() async throws {
        let harness = try await ControllerHarness([
            DeploymentController.self, ReplicaSetController.self, GarbageCollector.self,
        ])
        defer { harness.close() }
        try await harness.create(yaml: OfficialExamples.nginxDeployment)
        try await harness.settle()
        try await harness.runPods()
        try await harness.settle()
        let replicaSet = try #require(try await harness.api.list(ReplicaSet.self, namespace: "default").items.first)
        let rsName = replicaSet.metadata.name ?? ""

        // kubectl delete deployment nginx-deployment --cascade=foreground
        _ = try await harness.api.delete(
            kind: "Deployment", namespace: "default", name: "nginx-deployment", propagationPolicy: "Foreground")
        try await harness.settle()
        // The pods are stopping; the ReplicaSet and the Deployment wait for them, with the foreground finalizer.
        let deployment = try await harness.api.get(Deployment.self, namespace: "default", name: "nginx-deployment")
        #expect(deployment.metadata.deletionTimestamp != nil)
        #expect(deployment.metadata.finalizers == ["foregroundDeletion"])
        let waiting = try await harness.api.get(ReplicaSet.self, namespace: "default", name: rsName)
        #expect(waiting.metadata.deletionTimestamp != nil)
        #expect(waiting.metadata.finalizers == ["foregroundDeletion"])
        let pods = try await Self.pods(harness)
        #expect(pods.count == 3)
        #expect(pods.allSatisfy { $0.metadata.deletionTimestamp != nil })

        // The kubelets stop them: then the ReplicaSet goes, then the Deployment.
        try await harness.runPods()
        try await harness.settle()
        #expect(try await Self.pods(harness).isEmpty)
        #expect(try await !Self.exists(harness, "ReplicaSet", rsName))
        #expect(try await !Self.exists(harness, "Deployment", "nginx-deployment"))
    }

    @Test func orphanDeleteLeavesThePodsRunningWithoutAnOwner() async throws {
        let harness = try await Self.runningFrontend()
        defer { harness.close() }
        let before = try await Self.pods(harness)

        // kubectl delete replicaset frontend --cascade=orphan
        _ = try await harness.api.delete(
            kind: "ReplicaSet", namespace: "default", name: "frontend", propagationPolicy: "Orphan")
        try await harness.settle()
        #expect(try await !Self.exists(harness, "ReplicaSet", "frontend"))
        let after = try await Self.pods(harness)
        #expect(Set(after.compactMap(\.metadata.uid)) == Set(before.compactMap(\.metadata.uid)))
        for pod in after {
            #expect(pod.metadata.ownerReferences == nil)
            #expect(pod.metadata.deletionTimestamp == nil)
            #expect(pod.status.phase == "Running")
        }
        #expect(!harness.api.writes.contains { $0.verb == "delete" && $0.kind == "Pod" })

        // A new ReplicaSet with the same selector adopts them instead of making more.
        try await harness.create(yaml: OfficialExamples.frontend)
        try await harness.settle()
        let adopter = try await harness.api.get(ReplicaSet.self, namespace: "default", name: "frontend")
        let adopted = try await Self.pods(harness)
        #expect(adopted.count == 3)
        #expect(adopted.allSatisfy { $0.metadata.controllerRef?.uid == adopter.metadata.uid })
    }

    @Test func aDependentOfTwoOwnersGoesOnlyWithTheSecond() async throws {
        let harness = try await ControllerHarness([GarbageCollector.self])
        defer { harness.close() }
        // A ConfigMap shared by two apps' Services, owned by both (neither as its controller).
        let owners = try await harness.create(
            yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: frontend}
                spec:
                  selector: {app: frontend}
                  ports: [{port: 80}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: backend}
                spec:
                  selector: {app: backend}
                  ports: [{port: 8080}]
                """)
        func reference(_ owner: JSONValue) -> String {
            let name = owner[path: ["metadata", "name"]]?.stringValue ?? ""
            let uid = owner[path: ["metadata", "uid"]]?.stringValue ?? ""
            return "{apiVersion: v1, kind: Service, name: \(name), uid: \(uid)}"
        }
        try await harness.create(
            yaml: """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: shared-settings
                  ownerReferences: [\(reference(owners[0])), \(reference(owners[1]))]
                data: {LOG_LEVEL: info}
                """)
        try await harness.settle()

        _ = try await harness.api.delete(kind: "Service", namespace: "default", name: "frontend")
        try await harness.settle()
        let kept = try await harness.api.get(ConfigMap.self, namespace: "default", name: "shared-settings")
        #expect(kept.metadata.deletionTimestamp == nil)
        #expect(kept.metadata.ownerReferences?.map(\.name) == ["backend"])

        _ = try await harness.api.delete(kind: "Service", namespace: "default", name: "backend")
        try await harness.settle()
        #expect(try await !Self.exists(harness, "ConfigMap", "shared-settings"))
    }
}
