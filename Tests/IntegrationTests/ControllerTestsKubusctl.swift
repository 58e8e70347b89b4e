import Bus
import Client
import Foundation
import Schema
import Testing

/// `kubusctl scale` and `kubusctl delete --cascade` as real commands against a real control plane.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ControllerTestsKubusctl {
    /// Runs kubusctl on the cluster; returns the exit status and stdout and stderr together.
    static func kubusctl(_ cluster: TestCluster, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try cluster.ctl(arguments)
        return (result.status, result.out + result.err)
    }

    @Test func scaleWithPreconditionsAndCascadingDelete() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            _ = try await client.create(ControllerTestsReplicaSet.replicaSet("web", replicas: 1, app: "web"))

            let refused = try Self.kubusctl(cluster, ["scale", "rs/web", "--replicas", "3", "--current-replicas", "2"])
            #expect(refused.status != 0)
            #expect(refused.output.contains("error: Expected replicas to be 2, was 1"), "\(refused.output)")
            #expect(try await client.get(ReplicaSet.self, namespace: "default", name: "web").spec.replicas == 1)

            let scaled = try Self.kubusctl(cluster, ["scale", "rs/web", "--replicas", "3", "--current-replicas", "1"])
            #expect(scaled.status == 0, "\(scaled.output)")
            #expect(scaled.output.contains("replicaset.apps/web scaled"))
            #expect(try await client.get(ReplicaSet.self, namespace: "default", name: "web").spec.replicas == 3)

            let notScalable = try Self.kubusctl(cluster, ["scale", "configmap/x", "--replicas", "3"])
            #expect(notScalable.status != 0)

            // Without a garbage collector running, the orphan finalizer stays on the ReplicaSet.
            let deleted = try Self.kubusctl(cluster, ["delete", "rs", "web", "--cascade=orphan"])
            #expect(deleted.status == 0, "\(deleted.output)")
            let pending = try await client.get(ReplicaSet.self, namespace: "default", name: "web")
            #expect(pending.metadata.finalizers == ["orphan"])
            #expect(pending.metadata.deletionTimestamp != nil)
        }
    }
}
