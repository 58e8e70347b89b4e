import Bus
import Client
import Foundation
import Schema
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The deployment controller as a real `kubus-controller deployment` process, with the replicaset controller,
/// the garbage collector, a scheduler and simulated nodes, and `kubusctl rollout`.
@Suite(.serialized, .timeLimit(.minutes(6)))
struct ControllerTestsDeployment {
    static let revision = "deployment.kubernetes.io/revision"

    static func deployment(
        _ name: String, replicas: Int, namespace: String, image: String = "web:1", surge: IntOrString = 1,
        unavailable: IntOrString = 1, recreate: Bool = false
    ) -> Deployment {
        var d = Deployment(metadata: ObjectMeta(name: name, namespace: namespace))
        d.spec.replicas = replicas
        d.spec.selector = LabelSelector(matchLabels: ["app": name])
        d.spec.template.metadata.labels = ["app": name]
        d.spec.template.spec.containers = [Container(name: "app", image: image)]
        d.spec.strategy =
            recreate
            ? DeploymentStrategy(type: "Recreate")
            : DeploymentStrategy(
                type: "RollingUpdate",
                rollingUpdate: RollingUpdateDeployment(maxUnavailable: unavailable, maxSurge: surge))
        return d
    }

    /// A control plane, sim nodes, and the replicaset, garbage-collector and deployment controllers; the
    /// replicaset controller runs one worker so it applies scale changes in the order the deployment
    /// controller made them.
    static func withDeploymentCluster(
        nodes: Int = 3, _ body: (TestCluster, KubusClient, String) async throws -> Void
    ) async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let prefix = "dep-\(BusClock.randomID().prefix(5).lowercased())"
            try await cluster.startSimNodes(prefix: prefix, nodes: nodes, extraArgs: ["--sim-startup-millis", "200"])
            try await cluster.startController("replicaset", args: ["--workers", "1"])
            try await cluster.startController("garbage-collector")
            try await cluster.startController("deployment")
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            let namespace = "dep-\(BusClock.randomID().prefix(6).lowercased())"
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: namespace)))
            try await body(cluster, client, namespace)
        }
    }

    static func replicaSets(_ client: KubusClient, _ namespace: String) async throws -> [ReplicaSet] {
        try await client.list(ReplicaSet.self, namespace: namespace).items
    }

    /// Updates the Deployment with `change`, retrying a lost race.
    static func update(_ client: KubusClient, _ namespace: String, _ name: String, _ change: (inout Deployment) -> Void)
        async throws
    {
        for _ in 0..<5 {
            var d = try await client.get(Deployment.self, namespace: namespace, name: name)
            change(&d)
            do {
                _ = try await client.update(d)
                return
            } catch {
                if error.isConflict { continue }
                throw error
            }
        }
    }

    static func rolledOut(_ client: KubusClient, _ namespace: String, _ name: String, replicaSets count: Int? = nil)
        async throws -> Bool
    {
        if let count, try await replicaSets(client, namespace).count != count { return false }
        let d = try await client.get(Deployment.self, namespace: namespace, name: name)
        let want = d.spec.replicas ?? 1
        return (d.status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && d.status.updatedReplicas == want
            && d.status.replicas == want && d.status.availableReplicas == want
            && d.status.conditions?.first { $0.type == "Progressing" }?.reason == "NewReplicaSetAvailable"
    }

    /// What the pod event stream showed during a rollout.
    struct PodBounds {
        var maxPods = 0
        var minReady = Int.max
        var maxOldAndNewTogether = 0
        var events = 0
    }

    /// Replays every Pod event of the namespace since `since` over the pods listed at `since`, counting after
    /// each event the pods not being deleted, and the ready ones among them.
    static func podBounds(_ client: KubusClient, _ namespace: String, since: String, start: [Pod], newHash: String)
        async throws -> PodBounds
    {
        var pods: [String: Pod] = [:]
        for pod in start { pods[pod.metadata.name ?? ""] = pod }
        var bounds = PodBounds()
        func measure() {
            let live = pods.values.filter { $0.metadata.deletionTimestamp == nil }
            bounds.maxPods = max(bounds.maxPods, live.count)
            let ready = live.filter { $0.status.conditions?.first { $0.type == "Ready" }?.status == "True" }
            bounds.minReady = min(bounds.minReady, ready.count)
            // Pods of the new template and of an old one that still exist at once (even terminating).
            let existing = pods.values.filter { $0.status.phase != "Succeeded" && $0.status.phase != "Failed" }
            let new = existing.filter { $0.metadata.labels?["pod-template-hash"] == newHash }.count
            if new > 0 && new < existing.count { bounds.maxOldAndNewTogether = max(bounds.maxOldAndNewTogether, new) }
        }
        measure()
        var revision = since
        while true {
            let page = try await client.changes(kind: "Pod", namespace: namespace, since: revision)
            for change in page.changes {
                let pod = try change.object.decode(as: Pod.self)
                if change.type == .deleted {
                    pods.removeValue(forKey: pod.metadata.name ?? "")
                } else {
                    pods[pod.metadata.name ?? ""] = pod
                }
                bounds.events += 1
                measure()
            }
            revision = String(page.revision)
            if !page.more { break }
        }
        return bounds
    }

    static func newHash(_ client: KubusClient, _ namespace: String, _ name: String) async throws -> String {
        let d = try await client.get(Deployment.self, namespace: namespace, name: name)
        let sets = try await replicaSets(client, namespace)
        let new = sets.first { rs in
            var t = rs.spec.template
            t?.metadata.labels?.removeValue(forKey: "pod-template-hash")
            return t == d.spec.template
        }
        return new?.metadata.labels?["pod-template-hash"] ?? ""
    }

    // MARK: Tests

    @Test func rollingUpdateStaysWithinBoundsAndUndoGoesBack() async throws {
        try await Self.withDeploymentCluster { cluster, client, ns in
            _ = try await client.create(Self.deployment("web", replicas: 4, namespace: ns, surge: 1, unavailable: 1))
            let status = try cluster.ctl(["rollout", "status", "deployment/web", "-n", ns, "--timeout", "120s"])
            #expect(status.status == 0, "\(status.err)\n\(cluster.log("deployment").suffix(3000))")
            #expect(status.out.hasSuffix("deployment \"web\" successfully rolled out\n"))
            var d = try await client.get(Deployment.self, namespace: ns, name: "web")
            #expect(d.status.availableReplicas == 4 && d.status.readyReplicas == 4 && d.status.updatedReplicas == 4)
            #expect(d.status.conditions?.first { $0.type == "Available" }?.reason == "MinimumReplicasAvailable")
            #expect(d.metadata.annotations?[Self.revision] == "1")
            let first = try await Self.replicaSets(client, ns)
            #expect(first.count == 1)
            let hash = first.first?.metadata.labels?["pod-template-hash"] ?? "?"
            #expect(first.first?.metadata.name == "web-\(hash)")
            #expect(first.first?.spec.selector?.matchLabels?["pod-template-hash"] == hash)
            #expect(first.first?.metadata.annotations?["deployment.kubernetes.io/desired-replicas"] == "4")
            #expect(first.first?.metadata.annotations?["deployment.kubernetes.io/max-replicas"] == "5")

            // Roll to a new image, replaying the pod events afterwards.
            let (startPods, since) = try await client.list(Pod.self, namespace: ns)
            try await Self.update(client, ns, "web") { $0.spec.template.spec.containers[0].image = "web:2" }
            let rolled = try cluster.ctl(["rollout", "status", "deployment/web", "-n", ns, "--timeout", "120s"])
            #expect(rolled.status == 0, "\(rolled.err)\n\(cluster.log("deployment").suffix(3000))")
            #expect(try await eventually { try await Self.rolledOut(client, ns, "web") })
            let newHash = try await Self.newHash(client, ns, "web")
            let bounds = try await Self.podBounds(client, ns, since: since, start: startPods, newHash: newHash)
            #expect(bounds.events > 0)
            #expect(bounds.maxPods <= 5, "more than replicas + maxSurge pods: \(bounds)")
            #expect(bounds.minReady >= 3, "fewer than replicas - maxUnavailable ready pods: \(bounds)")
            #expect(bounds.maxOldAndNewTogether > 0, "a rolling update overlaps old and new pods: \(bounds)")

            var sets = try await Self.replicaSets(client, ns)
            #expect(sets.count == 2)
            #expect(Set(sets.compactMap { $0.metadata.annotations?[Self.revision] }) == ["1", "2"])
            d = try await client.get(Deployment.self, namespace: ns, name: "web")
            #expect(d.metadata.annotations?[Self.revision] == "2")

            // History and undo: back to web:1 through its old ReplicaSet, which becomes revision 3.
            let history = try cluster.ctl(["rollout", "history", "deployment/web", "-n", ns])
            #expect(history.out.contains("REVISION  CHANGE-CAUSE\n1         <none>\n2         <none>"), "\(history)")
            let detail = try cluster.ctl(["rollout", "history", "deployment/web", "-n", ns, "--revision", "1"])
            #expect(detail.out.contains("with revision #1") && detail.out.contains("web:1"), "\(detail)")
            let undo = try cluster.ctl(["rollout", "undo", "deployment/web", "-n", ns])
            #expect(undo.out == "deployment.apps/web rolled back\n", "\(undo)")
            #expect(try await eventually(within: .seconds(90)) { try await Self.rolledOut(client, ns, "web") })
            d = try await client.get(Deployment.self, namespace: ns, name: "web")
            #expect(d.spec.template.spec.containers.first?.image == "web:1")
            #expect(d.spec.template.metadata.labels?["pod-template-hash"] == nil)
            sets = try await Self.replicaSets(client, ns)
            #expect(sets.count == 2)
            let back = sets.first { $0.metadata.labels?["pod-template-hash"] == hash }
            #expect(back?.metadata.annotations?[Self.revision] == "3")
            #expect(back?.spec.replicas == 4)
            let pods = try await client.list(Pod.self, namespace: ns).items.filter {
                $0.metadata.deletionTimestamp == nil
            }
            #expect(pods.count == 4 && pods.allSatisfy { $0.spec.containers.first?.image == "web:1" })

            // Deleting the Deployment: the garbage collector removes its ReplicaSets and pods.
            try await client.delete(Deployment.self, namespace: ns, name: "web")
            #expect(
                try await eventually(within: .seconds(60)) {
                    let sets = try await Self.replicaSets(client, ns)
                    let pods = try await client.list(Pod.self, namespace: ns).items
                    return sets.isEmpty && pods.isEmpty
                }, "\(cluster.log("garbage-collector").suffix(2000))")
        }
    }

    @Test func pausedDeploymentScalesButDoesNotRollUntilResumed() async throws {
        try await Self.withDeploymentCluster { cluster, client, ns in
            _ = try await client.create(Self.deployment("api", replicas: 2, namespace: ns))
            #expect(try await eventually(within: .seconds(60)) { try await Self.rolledOut(client, ns, "api") })
            let paused = try cluster.ctl(["rollout", "pause", "deployment/api", "-n", ns])
            #expect(paused.out == "deployment.apps/api paused\n", "\(paused)")
            try await Self.update(client, ns, "api") {
                $0.spec.template.spec.containers[0].image = "api:2"
                $0.spec.replicas = 4
            }
            // The controller saw the change (observedGeneration) and only scaled.
            #expect(
                try await eventually(within: .seconds(60)) {
                    let d = try await client.get(Deployment.self, namespace: ns, name: "api")
                    return (d.status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
                        && d.status.availableReplicas == 4
                })
            let d = try await client.get(Deployment.self, namespace: ns, name: "api")
            #expect(d.status.conditions?.first { $0.type == "Progressing" }?.reason == "DeploymentPaused")
            let sets = try await Self.replicaSets(client, ns)
            #expect(sets.count == 1 && sets.first?.spec.replicas == 4)
            #expect(sets.first?.spec.template?.spec.containers.first?.image == "web:1")
            let undo = try cluster.ctl(["rollout", "undo", "deployment/api", "-n", ns])
            #expect(undo.status != 0 && undo.err.contains("cannot rollback a paused deployment"))

            let resumed = try cluster.ctl(["rollout", "resume", "deployment/api", "-n", ns])
            #expect(resumed.out == "deployment.apps/api resumed\n", "\(resumed)")
            let status = try cluster.ctl(["rollout", "status", "deployment/api", "-n", ns, "--timeout", "120s"])
            #expect(status.status == 0 && status.out.contains("successfully rolled out"), "\(status)")
            #expect(try await eventually(within: .seconds(60)) { try await Self.rolledOut(client, ns, "api") })
            let after = try await Self.replicaSets(client, ns)
            #expect(after.count == 2)
            #expect(after.first { $0.spec.replicas == 4 }?.spec.template?.spec.containers.first?.image == "api:2")

            // restart: a new template annotation, a new ReplicaSet.
            let restart = try cluster.ctl(["rollout", "restart", "deployment/api", "-n", ns])
            #expect(restart.out == "deployment.apps/api restarted\n", "\(restart)")
            #expect(
                try await eventually(within: .seconds(90)) {
                    try await Self.rolledOut(client, ns, "api", replicaSets: 3)
                })
            let restarted = try await client.get(Deployment.self, namespace: ns, name: "api")
            #expect(restarted.spec.template.metadata.annotations?["kubectl.kubernetes.io/restartedAt"] != nil)
        }
    }

    @Test func recreateStopsOldPodsBeforeStartingNewOnes() async throws {
        try await Self.withDeploymentCluster { cluster, client, ns in
            _ = try await client.create(Self.deployment("batch", replicas: 3, namespace: ns, recreate: true))
            #expect(try await eventually(within: .seconds(60)) { try await Self.rolledOut(client, ns, "batch") })
            let (startPods, since) = try await client.list(Pod.self, namespace: ns)
            try await Self.update(client, ns, "batch") { $0.spec.template.spec.containers[0].image = "batch:2" }
            #expect(
                try await eventually(within: .seconds(90)) {
                    try await Self.rolledOut(client, ns, "batch", replicaSets: 2)
                }, "\(cluster.log("deployment").suffix(3000))")
            let newHash = try await Self.newHash(client, ns, "batch")
            let bounds = try await Self.podBounds(client, ns, since: since, start: startPods, newHash: newHash)
            #expect(bounds.maxOldAndNewTogether == 0, "old and new pods at once: \(bounds)")
            #expect(bounds.minReady == 0)
        }
    }

    @Test func killedControllerFinishesTheRolloutWithoutDuplicateReplicaSets() async throws {
        try await Self.withDeploymentCluster { cluster, client, ns in
            _ = try await client.create(Self.deployment("svc", replicas: 6, namespace: ns, surge: 1, unavailable: 0))
            #expect(try await eventually(within: .seconds(90)) { try await Self.rolledOut(client, ns, "svc") })
            try await Self.update(client, ns, "svc") { $0.spec.template.spec.containers[0].image = "svc:2" }
            // Mid-rollout: the new ReplicaSet exists and has grown, the old one has not gone yet.
            #expect(
                try await eventually(within: .seconds(60), every: .milliseconds(20)) {
                    let sets = try await Self.replicaSets(client, ns)
                    return sets.count == 2 && sets.allSatisfy { ($0.spec.replicas ?? 0) > 0 }
                })
            cluster.stop("deployment", signal: SIGKILL)
            // A standby would wait out the lease; a fresh process without election resumes at once.
            try await cluster.startController("deployment", name: "deployment-2", args: ["--leader-elect", "false"])
            #expect(
                try await eventually(within: .seconds(120)) { try await Self.rolledOut(client, ns, "svc") },
                "\(cluster.log("deployment-2").suffix(3000))")
            let sets = try await Self.replicaSets(client, ns)
            #expect(sets.count == 2)
            #expect(sets.filter { ($0.spec.replicas ?? 0) > 0 }.count == 1)
            let pods = try await client.list(Pod.self, namespace: ns).items.filter {
                $0.metadata.deletionTimestamp == nil
            }
            #expect(pods.count == 6 && pods.allSatisfy { $0.spec.containers.first?.image == "svc:2" })
        }
    }

    /// Not a check: prints how long a 100-replica Deployment takes to become available and to roll out.
    /// Run by hand: `KUBUS_DEPLOY_TIMING=1 swift test --filter ControllerTestsDeployment/timing`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["KUBUS_DEPLOY_TIMING"] != nil))
    func timing() async throws {
        try await Self.withDeploymentCluster(nodes: 10) { cluster, client, ns in
            let clock = ContinuousClock()
            let start = clock.now
            _ = try await client.create(
                Self.deployment("big", replicas: 100, namespace: ns, surge: "25%", unavailable: "25%"))
            let available = try await eventually(within: .seconds(300), every: .milliseconds(50)) {
                try await Self.rolledOut(client, ns, "big")
            }
            let up = clock.now - start
            let rollStart = clock.now
            try await Self.update(client, ns, "big") { $0.spec.template.spec.containers[0].image = "big:2" }
            let rolled = try await eventually(within: .seconds(300), every: .milliseconds(50)) {
                try await Self.rolledOut(client, ns, "big", replicaSets: 2)
            }
            let roll = clock.now - rollStart
            print(
                "deployment timing: 100 replicas available in \(up) (\(available)); rolled out in \(roll) (\(rolled))")
            #expect(available && rolled)
        }
    }
}
