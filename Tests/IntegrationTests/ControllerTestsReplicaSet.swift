import Bus
import Client
import Foundation
import Schema
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The replicaset controller as a real `kubus-controller replicaset` process against a real control plane.
/// Without a kubelet, pods stay Pending and unscheduled, and are removed at once when deleted.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct ControllerTestsReplicaSet {
    static func replicaSet(_ name: String, replicas: Int, app: String, namespace: String = "default") -> ReplicaSet {
        var rs = ReplicaSet(metadata: ObjectMeta(name: name, namespace: namespace))
        rs.spec.replicas = replicas
        rs.spec.selector = LabelSelector(matchLabels: ["app": app])
        var template = PodTemplateSpec()
        template.metadata.labels = ["app": app]
        template.spec.containers = [Container(name: "app", image: "busybox")]
        rs.spec.template = template
        return rs
    }

    static func pods(_ client: KubusClient, app: String, namespace: String = "default") async throws -> [Pod] {
        try await client.list(Pod.self, namespace: namespace, labelSelector: "app=\(app)").items
    }

    static func activePods(_ client: KubusClient, app: String, namespace: String = "default") async throws -> [Pod] {
        try await pods(client, app: app, namespace: namespace).filter { $0.metadata.deletionTimestamp == nil }
    }

    static func scale(_ client: KubusClient, _ name: String, to replicas: Int) async throws {
        for _ in 0..<5 {
            var rs = try await client.get(ReplicaSet.self, namespace: "default", name: name)
            rs.spec.replicas = replicas
            do {
                _ = try await client.update(rs)
                return
            } catch {
                if error.isConflict { continue }
                throw error
            }
        }
    }

    static func reasons(_ client: KubusClient, _ reason: String, about name: String) async throws -> Int {
        try await client.list(Event.self, namespace: "default").items
            .filter { $0.reason == reason && $0.involvedObject.name == name }
            .reduce(0) { $0 + ($1.count ?? 1) }
    }

    @Test func replicaSetKeepsItsReplicasAdoptsAndReleases() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            try await cluster.startController("replicaset")
            let client = try cluster.apiClient()
            defer { client.bus.close() }

            // An orphan that matches is adopted: the ReplicaSet of 3 creates only 2.
            var orphan = Pod(metadata: ObjectMeta(name: "orphan", namespace: "default", labels: ["app": "web"]))
            orphan.spec.containers = [Container(name: "app", image: "busybox")]
            _ = try await client.create(orphan)
            let rs = try await client.create(Self.replicaSet("web", replicas: 3, app: "web"))
            #expect(
                try await eventually { try await Self.activePods(client, app: "web").count == 3 },
                "\(cluster.log("replicaset").suffix(3000))")
            let adopted = try await client.get(Pod.self, namespace: "default", name: "orphan")
            #expect(adopted.metadata.ownerReferences?.first?.uid == rs.metadata.uid)
            #expect(adopted.metadata.ownerReferences?.first?.controller == true)
            #expect(try await Self.reasons(client, "SuccessfulCreate", about: "web") == 2)
            for pod in try await Self.activePods(client, app: "web") {
                #expect(pod.metadata.ownerReferences?.first?.blockOwnerDeletion == true)
                #expect(pod.metadata.name == "orphan" || pod.metadata.name?.hasPrefix("web-") == true)
            }

            // Deleting a pod: it is replaced.
            let victim = try #require(
                try await Self.activePods(client, app: "web").first { $0.metadata.name != "orphan" })
            try await client.delete(Pod.self, namespace: "default", name: victim.metadata.name ?? "")
            #expect(
                try await eventually {
                    let pods = try await Self.activePods(client, app: "web")
                    return pods.count == 3 && !pods.contains { $0.metadata.name == victim.metadata.name }
                })

            // A pod whose labels stop matching is released and replaced.
            var relabeled = try await client.get(Pod.self, namespace: "default", name: "orphan")
            relabeled.metadata.labels = ["app": "elsewhere"]
            _ = try await client.update(relabeled)
            #expect(
                try await eventually {
                    let released = try await client.get(Pod.self, namespace: "default", name: "orphan")
                    let active = try await Self.activePods(client, app: "web")
                    return (released.metadata.ownerReferences ?? []).isEmpty && active.count == 3
                })

            // Scaling to 1 deletes 2; the status follows.
            try await Self.scale(client, "web", to: 1)
            #expect(try await eventually { try await Self.activePods(client, app: "web").count == 1 })
            #expect(
                try await eventually {
                    let stored = try await client.get(ReplicaSet.self, namespace: "default", name: "web")
                    return stored.status.replicas == 1 && stored.status.observedGeneration == stored.metadata.generation
                        && stored.status.readyReplicas == 0
                })
            // And it stays at 1.
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await Self.activePods(client, app: "web").count == 1)
        }
    }

    @Test func aFailingLeaderIsReplacedMidScaleWithoutDuplicatesOrLosses() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            try await cluster.startController("replicaset", name: "rs-a")
            try await cluster.startController("replicaset", name: "rs-b")
            let client = try cluster.apiClient()
            defer { client.bus.close() }

            // Know the leader before the work starts.
            var holder = ""
            #expect(
                try await eventually {
                    let lease = try? await client.get(Lease.self, namespace: "kube-system", name: "kubus-replicaset")
                    holder = lease?.spec.holderIdentity ?? ""
                    return !holder.isEmpty
                })
            let leader = cluster.log("rs-a").contains("kubus.identity=\(holder)") ? "rs-a" : "rs-b"
            let standby = leader == "rs-a" ? "rs-b" : "rs-a"

            let replicas = 150
            _ = try await client.create(Self.replicaSet("big", replicas: replicas, app: "big"))
            // Kill the leader as soon as creation is under way (how far it got depends on the machine's load).
            #expect(
                try await eventually(every: .milliseconds(10)) { try await !Self.pods(client, app: "big").isEmpty })
            cluster.stop(leader, signal: SIGKILL)
            let made = try await Self.pods(client, app: "big").count
            print("replicaset failover: killed \(leader) with \(made) of \(replicas) pods made")
            // Bring the killed instance back as a standby.
            try await cluster.startController("replicaset", name: "\(leader)-again")

            // Someone else took over: the standby, or (less likely) the restarted instance.
            #expect(
                try await eventually {
                    cluster.log(standby).contains("became the leader")
                        || cluster.log("\(leader)-again").contains("became the leader")
                },
                "\(cluster.log(standby).suffix(2000))")
            #expect(
                try await eventually(within: .seconds(60)) { try await Self.pods(client, app: "big").count == replicas }
            )
            // Nothing extra was created (nothing had to be deleted), and it stays exact.
            try await Task.sleep(for: .seconds(1))
            #expect(try await Self.pods(client, app: "big").count == replicas)
            #expect(try await Self.reasons(client, "SuccessfulDelete", about: "big") == 0)
            #expect(
                try await eventually {
                    try await client.get(ReplicaSet.self, namespace: "default", name: "big").status.replicas == replicas
                })
        }
    }

    @Test func aControllerStartedBeforeTheAPIWaitsForIt() async throws {
        try await withCluster { cluster in
            try cluster.start("bus")
            try cluster.start("controller", name: "replicaset", args: ["replicaset"] + TestCluster.fastElection)
            try await Task.sleep(for: .seconds(1))
            try cluster.start("store")
            try cluster.start("api")
            try await cluster.waitForService("api")
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            _ = try await client.create(Self.replicaSet("early", replicas: 2, app: "early"))
            #expect(
                try await eventually(within: .seconds(60)) {
                    try await Self.activePods(client, app: "early").count == 2
                },
                "\(cluster.log("replicaset").suffix(2000))")
        }
    }

    @Test func aGracefullyStoppedControllerHandsOverAtOnce() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            // A long lease: only the release on graceful stop lets the standby in quickly.
            let slow = [
                "--leader-elect-lease-duration", "60", "--leader-elect-renew-deadline", "40",
                "--leader-elect-retry-period", "0.5",
            ]
            try await cluster.startController("replicaset", name: "rs-old", args: slow)
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            _ = try await client.create(Self.replicaSet("swap", replicas: 2, app: "swap"))
            #expect(try await eventually { try await Self.activePods(client, app: "swap").count == 2 })

            // Swap: the new build starts as a standby, the old one stops gracefully.
            try await cluster.startController("replicaset", name: "rs-new", args: slow)
            cluster.stop("rs-old", signal: SIGTERM)
            #expect(cluster.log("rs-old").contains("released the leader lease"))
            #expect(cluster.log("rs-old").contains("controller stopped"))
            #expect(cluster.log("rs-old").contains("kubus.reconciles="))

            try await Self.scale(client, "swap", to: 5)
            // Well inside the 60 s lease: only the release can have let the new instance in.
            #expect(
                try await eventually(within: .seconds(20)) {
                    try await Self.activePods(client, app: "swap").count == 5
                },
                "\(cluster.log("rs-new").suffix(2000))")
            #expect(try await Self.reasons(client, "SuccessfulCreate", about: "swap") == 5)

            // The instance answers `status` on its bus service.
            let reply = try await client.bus.request(
                service: "controller-replicaset", type: "status", payload: [], timeout: .seconds(5))
            let status = try JSONValue.parse(reply.payload)
            #expect(status["controller"] == "replicaset")
            #expect(status["leader"] == true)
            #expect((status["reconciles"]?.intValue ?? 0) > 0)
        }
    }
}
