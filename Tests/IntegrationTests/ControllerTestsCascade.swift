import Bus
import Client
import Foundation
import Schema
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The garbage-collector, namespace and serviceaccount controllers as real processes, with the replicaset
/// controller making the dependents.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct ControllerTestsCascade {
    typealias RS = ControllerTestsReplicaSet

    static func withControllers(_ body: (TestCluster, KubusClient) async throws -> Void) async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            try await cluster.startController("replicaset")
            try await cluster.startController("garbage-collector")
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            try await body(cluster, client)
        }
    }

    static func replicaSetExists(_ client: KubusClient, _ name: String, namespace: String = "default") async throws
        -> Bool
    {
        do {
            _ = try await client.get(ReplicaSet.self, namespace: namespace, name: name)
            return true
        } catch {
            if error.isNotFound { return false }
            throw error
        }
    }

    @Test func cascadingDeletes() async throws {
        try await Self.withControllers { cluster, client in
            // Background (the default): the ReplicaSet goes at once, then the collector removes its pods.
            _ = try await client.create(RS.replicaSet("bg", replicas: 3, app: "bg"))
            #expect(try await eventually { try await RS.activePods(client, app: "bg").count == 3 })
            try await client.delete(ReplicaSet.self, namespace: "default", name: "bg")
            #expect(
                try await eventually { try await RS.pods(client, app: "bg").isEmpty },
                "\(cluster.log("garbage-collector").suffix(3000))")

            // Foreground: the ReplicaSet stays (with the finalizer) until its pods are gone.
            _ = try await client.create(RS.replicaSet("fg", replicas: 3, app: "fg"))
            #expect(try await eventually { try await RS.activePods(client, app: "fg").count == 3 })
            let deleting = try await client.delete(
                ReplicaSet.self, namespace: "default", name: "fg", propagationPolicy: "Foreground")
            #expect(deleting?.metadata.finalizers == ["foregroundDeletion"])
            #expect(try await eventually { !(try await Self.replicaSetExists(client, "fg")) })
            #expect(try await RS.pods(client, app: "fg").isEmpty)

            // Orphan: the ReplicaSet goes, its pods stay without the reference.
            _ = try await client.create(RS.replicaSet("or", replicas: 2, app: "or"))
            #expect(try await eventually { try await RS.activePods(client, app: "or").count == 2 })
            try await client.delete(ReplicaSet.self, namespace: "default", name: "or", propagationPolicy: "Orphan")
            #expect(try await eventually { !(try await Self.replicaSetExists(client, "or")) })
            #expect(
                try await eventually {
                    let pods = try await RS.activePods(client, app: "or")
                    return pods.count == 2 && pods.allSatisfy { ($0.metadata.ownerReferences ?? []).isEmpty }
                })
        }
    }

    @Test func aRestartedCollectorFinishesWhatHappenedWhileItWasDown() async throws {
        try await Self.withControllers { cluster, client in
            _ = try await client.create(RS.replicaSet("down", replicas: 5, app: "down"))
            #expect(try await eventually { try await RS.activePods(client, app: "down").count == 5 })
            cluster.stop("garbage-collector", signal: SIGKILL)
            // Owners go while nobody collects: a background delete, and an orphaning one left pending.
            try await client.delete(ReplicaSet.self, namespace: "default", name: "down")
            _ = try await client.create(RS.replicaSet("kept", replicas: 2, app: "kept"))
            #expect(try await eventually { try await RS.activePods(client, app: "kept").count == 2 })
            try await client.delete(ReplicaSet.self, namespace: "default", name: "kept", propagationPolicy: "Orphan")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await RS.pods(client, app: "down").count == 5)

            try await cluster.startController("garbage-collector", name: "gc-again")
            #expect(
                try await eventually { try await RS.pods(client, app: "down").isEmpty },
                "\(cluster.log("gc-again").suffix(2000))")
            #expect(try await eventually { !(try await Self.replicaSetExists(client, "kept")) })
            #expect(try await RS.activePods(client, app: "kept").count == 2)
        }
    }

    @Test func aDependentWithAnotherLiveOwnerOnlyLosesTheReference() async throws {
        try await Self.withControllers { cluster, client in
            let a = try await client.create(ConfigMap(metadata: ObjectMeta(name: "owner-a", namespace: "default")))
            let b = try await client.create(ConfigMap(metadata: ObjectMeta(name: "owner-b", namespace: "default")))
            func ref(_ owner: ConfigMap) -> OwnerReference {
                OwnerReference(
                    apiVersion: "v1", kind: "ConfigMap", name: owner.metadata.name ?? "", uid: owner.metadata.uid ?? "")
            }
            _ = try await client.create(
                ConfigMap(
                    metadata: ObjectMeta(
                        name: "shared", namespace: "default", ownerReferences: [ref(a), ref(b)])))
            _ = try await client.create(
                ConfigMap(
                    metadata: ObjectMeta(
                        name: "only-a", namespace: "default", ownerReferences: [ref(a)])))
            try await client.delete(ConfigMap.self, namespace: "default", name: "owner-a")
            #expect(
                try await eventually {
                    (try? await client.get(ConfigMap.self, namespace: "default", name: "only-a")) == nil
                })
            #expect(
                try await eventually {
                    let shared = try await client.get(ConfigMap.self, namespace: "default", name: "shared")
                    return shared.metadata.ownerReferences?.map(\.uid) == [b.metadata.uid ?? ""]
                })

            // A cluster-scoped owner: a Node's Lease goes with the Node.
            let node = try await client.create(Node(metadata: ObjectMeta(name: "gc-node")))
            let owner = OwnerReference(apiVersion: "v1", kind: "Node", name: "gc-node", uid: node.metadata.uid ?? "")
            _ = try await client.create(
                Lease(
                    metadata: ObjectMeta(
                        name: "gc-node", namespace: "kube-node-lease", ownerReferences: [owner])))
            try await client.delete(Node.self, namespace: nil, name: "gc-node")
            #expect(
                try await eventually {
                    (try? await client.get(Lease.self, namespace: "kube-node-lease", name: "gc-node")) == nil
                })
        }
    }

    @Test func aForegroundDeleteWaitsForTheWholeChain() async throws {
        try await Self.withControllers { cluster, client in
            // top ← middle ← bottom, each blocking its owner's deletion.
            func ref(_ owner: ConfigMap) -> OwnerReference {
                OwnerReference(
                    apiVersion: "v1", kind: "ConfigMap", name: owner.metadata.name ?? "", uid: owner.metadata.uid ?? "",
                    controller: true, blockOwnerDeletion: true)
            }
            let top = try await client.create(ConfigMap(metadata: ObjectMeta(name: "top", namespace: "default")))
            let middle = try await client.create(
                ConfigMap(
                    metadata: ObjectMeta(
                        name: "middle", namespace: "default", ownerReferences: [ref(top)])))
            _ = try await client.create(
                ConfigMap(
                    metadata: ObjectMeta(
                        name: "bottom", namespace: "default", ownerReferences: [ref(middle)])))
            // Let the collector see the chain before the delete.
            try await Task.sleep(for: .milliseconds(300))
            try await client.delete(ConfigMap.self, namespace: "default", name: "top", propagationPolicy: "Foreground")
            #expect(
                try await eventually {
                    try await client.list(kind: "ConfigMap", namespace: "default").items.isEmpty
                },
                "\(cluster.log("garbage-collector").suffix(3000))")
        }
    }

    @Test func deletingANamespaceRemovesItsContentThenItself() async throws {
        try await Self.withControllers { cluster, client in
            try await cluster.startController("namespace")
            try await cluster.startController("serviceaccount")
            let name = "ns-\(BusClock.randomID().prefix(6).lowercased())"
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: name)))

            // Every namespace gets a default ServiceAccount, recreated when deleted.
            #expect(
                try await eventually {
                    (try? await client.get(ServiceAccount.self, namespace: name, name: "default")) != nil
                })
            let first = try await client.get(ServiceAccount.self, namespace: name, name: "default")
            try await client.delete(ServiceAccount.self, namespace: name, name: "default")
            #expect(
                try await eventually {
                    let again = try? await client.get(ServiceAccount.self, namespace: name, name: "default")
                    return again != nil && again?.metadata.uid != first.metadata.uid
                })

            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "settings", namespace: name)))
            _ = try await client.create(RS.replicaSet("web", replicas: 2, app: "web", namespace: name))
            #expect(try await eventually { try await RS.activePods(client, app: "web", namespace: name).count == 2 })

            try await client.delete(Namespace.self, namespace: nil, name: name)
            #expect(
                try await eventually {
                    (try? await client.get(Namespace.self, namespace: nil, name: name)) == nil
                })
            #expect(try await client.list(kind: "Pod", namespace: name).items.isEmpty)
            #expect(try await client.list(kind: "ConfigMap", namespace: name).items.isEmpty)
            #expect(try await client.list(kind: "ServiceAccount", namespace: name).items.isEmpty)
        }
    }

    @Test func killedNamespaceAndServiceAccountControllersFinishTheirWork() async throws {
        try await Self.withControllers { cluster, client in
            try await cluster.startController("namespace")
            try await cluster.startController("serviceaccount")
            let run = BusClock.randomID().prefix(5).lowercased()

            // Namespaces made while the serviceaccount controller is down get their one default ServiceAccount
            // from the next instance.
            cluster.stop("serviceaccount", signal: SIGKILL)
            let names = (0..<3).map { "sa\($0)-\(run)" }
            for name in names { _ = try await client.create(Namespace(metadata: ObjectMeta(name: name))) }
            try await cluster.startController("serviceaccount")
            #expect(
                try await eventually(within: .seconds(60)) {
                    for name in names where try await client.list(ServiceAccount.self, namespace: name).items.count != 1
                    {
                        return false
                    }
                    return true
                }, "\(cluster.log("serviceaccount").suffix(3000))")
            for name in names {
                let accounts = try await client.list(ServiceAccount.self, namespace: name).items
                #expect(
                    accounts.map { $0.metadata.name } == ["default"], "\(name): \(accounts.map { $0.metadata.name })")
            }

            // The namespace controller dies while emptying a namespace; the next instance finishes the job.
            let doomed = names[0]
            for i in 0..<40 {
                _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "cm-\(i)", namespace: doomed)))
            }
            _ = try await client.create(RS.replicaSet("web", replicas: 3, app: "web", namespace: doomed))
            #expect(try await eventually { try await RS.activePods(client, app: "web", namespace: doomed).count == 3 })
            try await client.delete(Namespace.self, namespace: nil, name: doomed)
            #expect(
                try await eventually {
                    try await client.list(kind: "ConfigMap", namespace: doomed).items.count < 40
                })
            cluster.stop("namespace", signal: SIGKILL)
            #expect(try await client.get(Namespace.self, namespace: nil, name: doomed).status.phase == "Terminating")
            try await cluster.startController("namespace")
            #expect(
                try await eventually(within: .seconds(60)) {
                    (try? await client.get(Namespace.self, namespace: nil, name: doomed)) == nil
                }, "\(cluster.log("namespace").suffix(3000))")
            for kind in ["ConfigMap", "ReplicaSet", "Pod", "ServiceAccount"] {
                #expect(try await client.list(kind: kind, namespace: doomed).items.isEmpty, "\(kind) left in \(doomed)")
            }
            // The other namespaces are untouched.
            for name in names.dropFirst() {
                #expect(try await client.get(Namespace.self, namespace: nil, name: name).status.phase == "Active")
            }
        }
    }
}
