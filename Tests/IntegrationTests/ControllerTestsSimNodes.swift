import Bus
import Client
import Foundation
import Schema
import Testing

/// The controllers with a scheduler and a simulated kubelet (`kubus-kubelet --runtime sim`): pods are bound,
/// become Running and Ready, and bound pods being deleted are finished by the kubelet.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct ControllerTestsSimNodes {
    typealias RS = ControllerTestsReplicaSet

    @Test func replicasBecomeReadyAndAvailableAndScaleDownOnNodes() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            try cluster.start("scheduler", args: TestCluster.fastElection)
            let prefix = "sim-\(BusClock.randomID().prefix(6).lowercased())"
            try cluster.start("kubelet", args: ["--runtime", "sim", "--sim-nodes", "2", "--node-name", prefix])
            try await cluster.startController("replicaset")
            try await cluster.startController("garbage-collector")
            try await cluster.startController("namespace")
            let client = try cluster.apiClient()
            defer { client.bus.close() }

            let namespace = "sim-\(BusClock.randomID().prefix(6).lowercased())"
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: namespace)))
            var rs = RS.replicaSet("web", replicas: 4, app: "web", namespace: namespace)
            rs.spec.minReadySeconds = 1
            _ = try await client.create(rs)
            #expect(
                try await eventually(within: .seconds(60)) {
                    let stored = try await client.get(ReplicaSet.self, namespace: namespace, name: "web")
                    return stored.status.readyReplicas == 4 && stored.status.availableReplicas == 4
                },
                "\(cluster.log("replicaset").suffix(2000))\n\(cluster.log("kubelet").suffix(2000))")
            let running = try await RS.activePods(client, app: "web", namespace: namespace)
            #expect(running.allSatisfy { $0.status.phase == "Running" && $0.spec.nodeName?.hasPrefix(prefix) == true })

            // Scale down: bound pods take their graceful deletion, which the kubelet finishes.
            var stored = try await client.get(ReplicaSet.self, namespace: namespace, name: "web")
            stored.spec.replicas = 2
            _ = try await client.update(stored)
            #expect(
                try await eventually(within: .seconds(60)) {
                    try await RS.pods(client, app: "web", namespace: namespace).count == 2
                })
            #expect(
                try await eventually {
                    let s = try await client.get(ReplicaSet.self, namespace: namespace, name: "web").status
                    return s.replicas == 2 && s.readyReplicas == 2 && s.availableReplicas == 2
                })

            // Deleting the namespace waits for the kubelet to finish its pods, then the namespace goes.
            try await client.delete(Namespace.self, namespace: nil, name: namespace)
            #expect(
                try await eventually(within: .seconds(60)) {
                    (try? await client.get(Namespace.self, namespace: nil, name: namespace)) == nil
                },
                "\(cluster.log("namespace").suffix(2000))")
        }
    }
}
