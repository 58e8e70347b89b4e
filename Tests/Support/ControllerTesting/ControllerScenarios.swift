import APITesting
public import Client
import Foundation
public import Schema

/// Where a controller scenario runs: in this process on the in-memory api (`ControllerHarness`), or against a live
/// cluster of real processes (the integration tests). A scenario written against this runs unchanged on both, so
/// what the fast in-process tests show is also checked against the real services.
public protocol ScenarioCluster: Sendable {
    /// The api.
    var client: any APIClient { get }
    /// Returns `check`'s value once it has one. In memory: after the controllers settle, with pods run as the
    /// scheduler and kubelets would, round after round until it holds or nothing moves. Live: by polling.
    func expect<T: Sendable>(_ what: String, _ check: @escaping @Sendable () async throws -> T?) async throws -> T
}

extension ScenarioCluster {
    /// Creates every object of a YAML manifest, as `kubusctl create -f` would; returns what was stored.
    @discardableResult
    public func create(yaml: String) async throws -> [JSONValue] {
        var created: [JSONValue] = []
        for document in try Manifest.parse(yaml: yaml, source: "scenario manifest") {
            created.append(try await client.create(document).object)
        }
        return created
    }

    /// The pods of `namespace` that are not being deleted.
    public func livePods(namespace: String = "default", selector: String? = nil) async throws -> [Pod] {
        try await client.list(Pod.self, namespace: namespace, labelSelector: selector).items.filter {
            $0.metadata.deletionTimestamp == nil
        }
    }
}

extension ControllerHarness: ScenarioCluster {
    public var client: any APIClient { api }

    public func expect<T: Sendable>(_ what: String, _ check: @escaping @Sendable () async throws -> T?) async throws
        -> T
    {
        for _ in 0..<50 {
            try await settle()
            if let value = try await check() { return value }
            let before = api.writes.count
            try await runPods()
            try await settle()
            if api.writes.count == before {
                if let value = try await check() { return value }
                throw HarnessError("expected \(what); the controllers came to rest without it")
            }
        }
        throw HarnessError("expected \(what); still not so after 50 rounds")
    }
}

/// Scenarios of the workload controllers, each a user's story with the official examples, run both in process
/// (ControllerTests) and live (IntegrationTests).
public enum ControllerScenarios {
    /// The controllers a scenario needs running, by `kubus-controller` name.
    public static let deploymentControllers = ["deployment", "replicaset"]

    /// nginx-deployment comes up with 3 available pods; a new image rolls out to a second ReplicaSet, the first
    /// scaled to 0, every pod on the new image.
    public static func deploymentRollsOutANewImage(_ cluster: some ScenarioCluster) async throws {
        try await cluster.create(yaml: OfficialExamples.nginxDeployment)
        _ = try await cluster.expect("nginx-deployment with 3 available replicas") {
            let d = try await cluster.client.get(Deployment.self, namespace: "default", name: "nginx-deployment")
            return d.status.availableReplicas == 3 ? d : nil
        }
        _ = try await cluster.client.patch(
            kind: "Deployment", namespace: "default", name: "nginx-deployment",
            patch: ["spec": ["template": ["spec": ["containers": [["name": "nginx", "image": "nginx:1.16.1"]]]]]])
        let sets = try await cluster.expect("the rollout of nginx:1.16.1 complete") {
            () async throws -> [ReplicaSet]? in
            let d = try await cluster.client.get(Deployment.self, namespace: "default", name: "nginx-deployment")
            let sets = try await cluster.client.list(ReplicaSet.self, namespace: "default").items
            let pods = try await cluster.livePods(selector: "app=nginx")
            let done =
                d.status.updatedReplicas == 3 && d.status.availableReplicas == 3 && d.status.replicas == 3
                && pods.count == 3 && pods.allSatisfy { $0.spec.containers.first?.image == "nginx:1.16.1" }
            return done ? sets : nil
        }
        guard sets.count == 2,
            let old = sets.first(where: { $0.spec.template?.spec.containers.first?.image == "nginx:1.14.2" }),
            let new = sets.first(where: { $0.spec.template?.spec.containers.first?.image == "nginx:1.16.1" })
        else { throw ScenarioFailure("expected the old and the new ReplicaSet, found \(sets.count)") }
        guard old.spec.replicas == 0, new.spec.replicas == 3 else {
            throw ScenarioFailure(
                "expected the old ReplicaSet at 0 and the new at 3, found \(old.spec.replicas ?? -1) and "
                    + "\(new.spec.replicas ?? -1)")
        }
        guard new.metadata.annotations?["deployment.kubernetes.io/revision"] == "2" else {
            throw ScenarioFailure("expected the new ReplicaSet at revision 2")
        }
    }
}

/// A scenario's expectation that did not hold.
public struct ScenarioFailure: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
