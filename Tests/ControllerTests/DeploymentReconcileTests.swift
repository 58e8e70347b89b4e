import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Schema
import Testing

/// The Deployment and ReplicaSet controllers together against the in-memory api: a rollout, step by step.
@Suite(.timeLimit(.minutes(1)))
struct DeploymentReconcileTests {
    static func replicaSets(_ harness: ControllerHarness) async throws -> [ReplicaSet] {
        try await harness.api.list(ReplicaSet.self, namespace: "default").items
    }

    static func livePods(_ harness: ControllerHarness) async throws -> [Pod] {
        try await harness.api.list(Pod.self, namespace: "default").items.filter { $0.metadata.deletionTimestamp == nil }
    }

    @Test func rollsOutANewImageWithinSurgeAndUnavailability() async throws {
        let harness = try await ControllerHarness([DeploymentController.self, ReplicaSetController.self])
        defer { harness.close() }
        try await harness.create(yaml: OfficialExamples.nginxDeployment)
        try await harness.settle()
        try await harness.runPods()
        try await harness.settle()

        var deployment = try await harness.api.get(Deployment.self, namespace: "default", name: "nginx-deployment")
        #expect(deployment.status.availableReplicas == 3)
        let first = try await Self.replicaSets(harness)
        #expect(first.count == 1)
        #expect(first.first?.metadata.annotations?["deployment.kubernetes.io/revision"] == "1")

        _ = try await harness.api.patch(
            kind: "Deployment", namespace: "default", name: "nginx-deployment",
            patch: ["spec": ["template": ["spec": ["containers": [["name": "nginx", "image": "nginx:1.16.1"]]]]]])
        // The defaults, 25 % surge and 25 % unavailable of 3: at most 4 pods, at least 3 of them available.
        var steps = 0
        while true {
            try await harness.settle()
            let pods = try await Self.livePods(harness)
            #expect(pods.count <= 4, "step \(steps): \(pods.count) pods")
            let available = pods.filter { $0.status.phase == "Running" }.count
            #expect(available >= 3, "step \(steps): \(available) available")
            let sets = try await Self.replicaSets(harness)
            let old = sets.first { $0.spec.template?.spec.containers.first?.image == "nginx:1.14.2" }
            if (old?.spec.replicas ?? 0) == 0 && pods.count == 3 && available == 3 { break }
            try await harness.runPods()
            steps += 1
            try #require(steps < 20, "the rollout did not finish")
        }
        deployment = try await harness.api.get(Deployment.self, namespace: "default", name: "nginx-deployment")
        #expect(deployment.status.updatedReplicas == 3)
        #expect(deployment.status.availableReplicas == 3)
        #expect(deployment.status.observedGeneration == deployment.metadata.generation)
        let sets = try await Self.replicaSets(harness)
        #expect(sets.count == 2)
        let current = sets.first { $0.spec.template?.spec.containers.first?.image == "nginx:1.16.1" }
        #expect(current?.spec.replicas == 3)
        #expect(current?.metadata.annotations?["deployment.kubernetes.io/revision"] == "2")
        for pod in try await Self.livePods(harness) {
            #expect(pod.spec.containers.first?.image == "nginx:1.16.1")
        }
    }

    /// The scenario IntegrationTests also runs against real processes (`LiveScenarioTests`).
    @Test func theSharedRolloutScenario() async throws {
        let harness = try await ControllerHarness([DeploymentController.self, ReplicaSetController.self])
        defer { harness.close() }
        try await ControllerScenarios.deploymentRollsOutANewImage(harness)
    }

    @Test func pausedDeploymentDoesNotRollOut() async throws {
        let harness = try await ControllerHarness([DeploymentController.self, ReplicaSetController.self])
        defer { harness.close() }
        try await harness.create(yaml: OfficialExamples.nginxDeployment)
        try await harness.settle()
        try await harness.runPods()
        try await harness.settle()
        _ = try await harness.api.patch(
            kind: "Deployment", namespace: "default", name: "nginx-deployment",
            patch: [
                "spec": [
                    "paused": true,
                    "template": ["spec": ["containers": [["name": "nginx", "image": "nginx:1.16.1"]]]],
                ]
            ])
        try await harness.settle()
        #expect(try await Self.replicaSets(harness).count == 1)
        #expect(try await Self.livePods(harness).allSatisfy { $0.spec.containers.first?.image == "nginx:1.14.2" })
    }
}
