import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Schema
import Testing

/// The namespace controller against the in-memory api: a deleted namespace is emptied and then finalized; it
/// stays Terminating, saying what remains, while pods stop or a finalizer holds an object.
///
/// While content remains the controller looks again a second later; `settle()` does not wait for that, so the
/// tests check that it asked to, then `resync()` in its place.
@Suite(.timeLimit(.minutes(1)))
struct NamespaceReconcileTests {
    /// A namespace `dev` with a ConfigMap, a Secret, a Service and a pod.
    static let dev = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: dev
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: game-config, namespace: dev}
        data: {lives: "3"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: db-user-pass, namespace: dev}
        stringData: {username: admin}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: my-service, namespace: dev}
        spec:
          selector: {app.kubernetes.io/name: MyApp}
          ports: [{protocol: TCP, port: 80, targetPort: 9376}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: nginx, namespace: dev}
        spec:
          containers: [{name: nginx, image: nginx:1.14.2, ports: [{containerPort: 80}]}]
        """

    static func namespace(_ harness: ControllerHarness) async throws -> Namespace? {
        do {
            return try await harness.api.get(Namespace.self, namespace: nil, name: "dev")
        } catch  where error.isNotFound {
            return nil
        }
    }

    /// Every object left in `dev`, as `Kind/name`.
    static func content(_ harness: ControllerHarness) async throws -> [String] {
        var left: [String] = []
        for info in KindRegistry.all where info.namespaced {
            for item in try await harness.api.list(kind: info.kind, namespace: "dev").items {
                left.append("\(info.kind)/\(item[path: ["metadata", "name"]]?.stringValue ?? "")")
            }
        }
        return left.sorted()
    }

    static func condition(_ namespace: Namespace?, _ type: String) -> NamespaceCondition? {
        namespace?.status.conditions?.first { $0.type == type }
    }

    @Test func deletingANamespaceDeletesItsContentThenItself() async throws {
        let harness = try await ControllerHarness([NamespaceController.self])
        defer { harness.close() }
        try await harness.create(yaml: Self.dev)
        try await harness.settle()
        #expect(
            try await Self.content(harness) == [
                "ConfigMap/game-config", "Pod/nginx", "Secret/db-user-pass", "Service/my-service",
            ])

        _ = try await harness.api.delete(kind: "Namespace", namespace: nil, name: "dev")
        let terminating = try await Self.namespace(harness)
        #expect(terminating?.status.phase == "Terminating")
        #expect(terminating?.spec.finalizers == ["kubernetes"])
        try await harness.settle()

        #expect(try await Self.namespace(harness) == nil)
        #expect(try await Self.content(harness).isEmpty)
        // Each object was deleted, then the namespace let go through its finalize subresource.
        let writes = harness.api.writes.filter { $0.namespace == "dev" || $0.name == "dev" }
        #expect(
            Set(writes.filter { $0.verb == "delete" && $0.kind != "Namespace" }.compactMap(\.name)) == [
                "game-config", "db-user-pass", "my-service", "nginx",
            ])
        #expect(writes.contains { $0.verb == "update" && $0.kind == "Namespace" && $0.subresource == "finalize" })
    }

    @Test func aNamespaceWaitsForItsRunningPodsToStop() async throws {
        let harness = try await ControllerHarness([NamespaceController.self])
        defer { harness.close() }
        try await harness.create(yaml: Self.dev)
        try await harness.runPods(namespace: "dev")
        try await harness.settle()

        _ = try await harness.api.delete(kind: "Namespace", namespace: nil, name: "dev")
        try await harness.settle()
        // The running pod has its grace period to stop; everything else is gone.
        #expect(try await Self.content(harness) == ["Pod/nginx"])
        let pod = try await harness.api.get(Pod.self, namespace: "dev", name: "nginx")
        #expect(pod.metadata.deletionTimestamp != nil)
        let waiting = try await Self.namespace(harness)
        #expect(waiting?.status.phase == "Terminating")
        let remaining = Self.condition(waiting, "NamespaceContentRemaining")
        #expect(remaining?.status == "True")
        #expect(remaining?.reason == "SomeResourcesRemain")
        #expect(remaining?.message == "Some resources are remaining: pods has 1 resource instances")
        #expect(Self.condition(waiting, "NamespaceDeletionContentFailure")?.status == "False")
        #expect(Self.condition(waiting, "NamespaceDeletionContentFailure")?.reason == "ContentDeleted")
        #expect(Self.condition(waiting, "NamespaceFinalizersRemaining")?.status == "False")
        let delay = await harness.context(NamespaceController.name)?.queue.delay(of: "dev")
        #expect(delay.map { $0 <= NamespaceController.recheckDelay } == true)

        // Its kubelet reports it stopped; at the controller's next look the namespace goes.
        try await harness.runPods(namespace: "dev")
        await harness.resync()
        try await harness.settle()
        #expect(try await Self.content(harness).isEmpty)
        #expect(try await Self.namespace(harness) == nil)
    }

    @Test func anObjectsFinalizerHoldsTheNamespaceUntilRemoved() async throws {
        let harness = try await ControllerHarness([NamespaceController.self])
        defer { harness.close() }
        try await harness.create(
            yaml: """
                apiVersion: v1
                kind: Namespace
                metadata: {name: dev}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: mymap
                  namespace: dev
                  finalizers: [kubernetes.io/example-finalizer]
                data: {key: value}
                """)
        try await harness.settle()

        _ = try await harness.api.delete(kind: "Namespace", namespace: nil, name: "dev")
        try await harness.settle()
        let held = try await harness.api.get(ConfigMap.self, namespace: "dev", name: "mymap")
        #expect(held.metadata.deletionTimestamp != nil)
        let waiting = try await Self.namespace(harness)
        #expect(waiting?.status.phase == "Terminating")
        #expect(
            Self.condition(waiting, "NamespaceContentRemaining")?.message
                == "Some resources are remaining: configmaps has 1 resource instances")
        // What holds it, as `kubectl describe namespace` shows.
        let finalizers = Self.condition(waiting, "NamespaceFinalizersRemaining")
        #expect(finalizers?.status == "True")
        #expect(finalizers?.reason == "SomeFinalizersRemain")
        #expect(
            finalizers?.message
                == "Some content in the namespace has finalizers remaining: kubernetes.io/example-finalizer in 1 resource "
                + "instances")
        // Looking again changes nothing while the finalizer is there.
        await harness.resync()
        try await harness.settle()
        #expect(try await Self.namespace(harness)?.status.phase == "Terminating")

        // Whoever owns the finalizer removes it: the ConfigMap goes, then the namespace.
        _ = try await harness.api.patch(
            kind: "ConfigMap", namespace: "dev", name: "mymap", patch: ["metadata": ["finalizers": .null]])
        #expect(try await Self.content(harness).isEmpty)
        await harness.resync()
        try await harness.settle()
        #expect(try await Self.namespace(harness) == nil)
    }
}
