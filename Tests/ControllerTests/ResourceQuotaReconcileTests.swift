import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Schema
import Testing

/// The resourcequota controller against the in-memory api: the api charges what is created, the controller
/// gives back what is deleted or finishes, and corrects a status written wrong.
@Suite(.timeLimit(.minutes(1)))
struct ResourceQuotaReconcileTests {
    static func used(_ harness: ControllerHarness, _ resource: String) async throws -> Quantity? {
        try await harness.api.get(ResourceQuota.self, namespace: "team-a", name: "objects").status.used?[resource]
    }

    @Test func deletedAndFinishedObjectsAreGivenBack() async throws {
        let harness = try await ControllerHarness([ResourceQuotaController.self])
        defer { harness.close() }
        try await harness.create(yaml: "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}")
        try await harness.create(
            yaml: """
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: objects, namespace: team-a}
                spec:
                  hard: {pods: "2", services: "1", configmaps: "5"}
                """)
        for name in ["a", "b"] {
            try await harness.create(
                yaml: """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: \(name), namespace: team-a}
                    spec: {containers: [{name: c, image: busybox}]}
                    """)
        }
        try await harness.create(yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: team-a}")
        try await harness.settle()
        #expect(try await Self.used(harness, "pods") == Quantity(2))
        #expect(try await Self.used(harness, "configmaps") == Quantity(1))

        // A pod that finished counts no more; one deleted neither.
        var a = try await harness.api.get(Pod.self, namespace: "team-a", name: "a")
        a.status.phase = "Succeeded"
        _ = try await harness.api.updateStatus(a)
        try await harness.settle()
        #expect(try await Self.used(harness, "pods") == Quantity(1))
        _ = try await harness.api.delete(kind: "Pod", namespace: "team-a", name: "b", gracePeriodSeconds: 0)
        try await harness.settle()
        #expect(try await Self.used(harness, "pods") == Quantity(0))

        // A ConfigMap's deletion is given back at the resync.
        _ = try await harness.api.delete(kind: "ConfigMap", namespace: "team-a", name: "cm")
        await harness.resync()
        try await harness.settle()
        #expect(try await Self.used(harness, "configmaps") == Quantity(0))
        #expect(try await Self.used(harness, "services") == Quantity(0))
    }
}
