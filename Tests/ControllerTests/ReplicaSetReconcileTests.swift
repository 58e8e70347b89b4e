import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Schema
import Testing

/// The ReplicaSet controller against the in-memory api: what it creates, deletes, adopts and reports.
@Suite(.timeLimit(.minutes(1)))
struct ReplicaSetReconcileTests {
    @Test func createsOwnedPodsAndReportsThemReady() async throws {
        let harness = try await ControllerHarness([ReplicaSetController.self])
        defer { harness.close() }
        try await harness.create(yaml: OfficialExamples.frontend)
        try await harness.settle()

        let rs = try await harness.api.get(ReplicaSet.self, namespace: "default", name: "frontend")
        let pods = try await harness.api.list(Pod.self, namespace: "default").items
        #expect(pods.count == 3)
        for pod in pods {
            #expect(pod.metadata.controllerRef?.uid == rs.metadata.uid)
            #expect(pod.metadata.controllerRef?.kind == "ReplicaSet")
            #expect(pod.metadata.labels?["tier"] == "frontend")
            #expect(pod.metadata.name?.hasPrefix("frontend-") == true)
        }
        #expect(rs.status.replicas == 3)
        #expect((rs.status.readyReplicas ?? 0) == 0)

        try await harness.runPods()
        try await harness.settle()
        let ready = try await harness.api.get(ReplicaSet.self, namespace: "default", name: "frontend")
        #expect(ready.status.readyReplicas == 3)
        #expect(ready.status.availableReplicas == 3)
        #expect(ready.status.observedGeneration == ready.metadata.generation)
    }

    @Test func scalingDownDeletesNotReadyPodsFirst() async throws {
        let harness = try await ControllerHarness([ReplicaSetController.self])
        defer { harness.close() }
        try await harness.create(yaml: OfficialExamples.frontend)
        try await harness.settle()
        // Two of the three run; the one left pending is the first to go.
        let all = try await harness.api.list(Pod.self, namespace: "default").items
        let pending = all[0].metadata.name ?? ""
        try await harness.api.bind(namespace: "default", pod: pending, node: "node-1")
        try await harness.runPods(ready: true)
        var stalled = try await harness.api.get(Pod.self, namespace: "default", name: pending)
        stalled.status.conditions = stalled.status.conditions?.map { condition in
            var c = condition
            if c.type == "Ready" { c.status = "False" }
            return c
        }
        _ = try await harness.api.updateStatus(stalled)
        try await harness.settle()

        _ = try await harness.api.patch(
            kind: "ReplicaSet", namespace: "default", name: "frontend", patch: ["spec": ["replicas": 2]])
        try await harness.settle()
        // The pod chosen is being deleted; its kubelet removes it.
        let deleting = try await harness.api.list(Pod.self, namespace: "default").items.filter {
            $0.metadata.deletionTimestamp != nil
        }
        #expect(deleting.map(\.metadata.name) == [pending])
        try await harness.runPods()
        try await harness.settle()
        let left = try await harness.api.list(Pod.self, namespace: "default").items
        #expect(left.count == 2)
        #expect(!left.contains { $0.metadata.name == pending })
        let rs = try await harness.api.get(ReplicaSet.self, namespace: "default", name: "frontend")
        #expect(rs.status.replicas == 2)
        #expect(rs.status.readyReplicas == 2)
    }

    @Test func adoptsAnOrphanAndReleasesAPodThatStopsMatching() async throws {
        let harness = try await ControllerHarness([ReplicaSetController.self])
        defer { harness.close() }
        // A bare pod with the selector's labels exists first: it is adopted and counts as one of the three.
        try await harness.create(
            yaml: """
                apiVersion: v1
                kind: Pod
                metadata: {name: orphan, labels: {tier: frontend}}
                spec:
                  containers: [{name: web, image: nginx:1.27}]
                """)
        try await harness.create(yaml: OfficialExamples.frontend)
        try await harness.settle()
        let rs = try await harness.api.get(ReplicaSet.self, namespace: "default", name: "frontend")
        let orphan = try await harness.api.get(Pod.self, namespace: "default", name: "orphan")
        #expect(orphan.metadata.controllerRef?.uid == rs.metadata.uid)
        #expect(try await harness.api.list(Pod.self, namespace: "default").items.count == 3)

        // Relabelled out of the selector: released, and a replacement is made.
        _ = try await harness.api.patch(
            kind: "Pod", namespace: "default", name: "orphan", patch: ["metadata": ["labels": ["tier": "debug"]]])
        try await harness.settle()
        let released = try await harness.api.get(Pod.self, namespace: "default", name: "orphan")
        #expect(released.metadata.controllerRef == nil)
        let owned = try await harness.api.list(Pod.self, namespace: "default").items.filter {
            $0.metadata.controllerRef?.uid == rs.metadata.uid
        }
        #expect(owned.count == 3)
    }

    @Test func aFailedCreateIsRetriedAndRecordedAsAnEvent() async throws {
        let harness = try await ControllerHarness([ReplicaSetController.self])
        defer { harness.close() }
        harness.api.failNext(
            "create", kind: "Pod",
            with: APIError(
                status: Status(
                    status: "Failure", message: "pods \"frontend-x\" is forbidden: exceeded quota: compute-resources",
                    reason: "Forbidden", code: 403)))
        try await harness.create(yaml: OfficialExamples.frontend)
        try await harness.settle()

        #expect(try await harness.api.list(Pod.self, namespace: "default").items.count == 3)
        let events = try await harness.api.list(Event.self, namespace: "default").items
        let failed = events.first { $0.reason == "FailedCreate" }
        #expect(failed?.involvedObject.name == "frontend")
        #expect(failed?.message?.contains("exceeded quota") == true)
        #expect(harness.api.writes.filter { $0.verb == "create" && $0.kind == "Pod" }.count == 4)
    }
}
