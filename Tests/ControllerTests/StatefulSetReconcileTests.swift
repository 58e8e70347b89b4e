import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Schema
import Testing

/// The StatefulSet controller against the in-memory api: ordered start with a claim per pod, scale-down from the
/// highest ordinal with the claims kept, a rolling update down to a partition, and a failed pod replaced under
/// its name. The test plays the scheduler and kubelets (claims are not bound: no volume controller runs).
@Suite(.timeLimit(.minutes(1)))
struct StatefulSetReconcileTests {
    /// kubernetes/website's application/web/web.yaml: the headless Service `nginx` and the StatefulSet `web`,
    /// with `replicas` and `extra` lines in its spec.
    static func web(replicas: Int = 2, extra: String = "") -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: nginx
          labels:
            app: nginx
        spec:
          ports:
          - port: 80
            name: web
          clusterIP: None
          selector:
            app: nginx
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web
        spec:
          serviceName: "nginx"
          replicas: \(replicas)\(extra.isEmpty ? "" : "\n  " + extra)
          selector:
            matchLabels:
              app: nginx
          template:
            metadata:
              labels:
                app: nginx
            spec:
              containers:
              - name: nginx
                image: registry.k8s.io/nginx-slim:0.21
                ports:
                - containerPort: 80
                  name: web
                volumeMounts:
                - name: www
                  mountPath: /usr/share/nginx/html
          volumeClaimTemplates:
          - metadata:
              name: www
            spec:
              accessModes: [ "ReadWriteOnce" ]
              resources:
                requests:
                  storage: 1Gi
        """
    }

    static func pods(_ harness: ControllerHarness) async throws -> [Pod] {
        try await harness.api.list(Pod.self, namespace: "default").items
    }

    static func names(_ pods: [Pod]) -> [String] { pods.compactMap(\.metadata.name).sorted() }

    static func statefulSet(_ harness: ControllerHarness) async throws -> StatefulSet {
        try await harness.api.get(StatefulSet.self, namespace: "default", name: "web")
    }

    static func claims(_ harness: ControllerHarness) async throws -> [String] {
        try await harness.api.list(PersistentVolumeClaim.self, namespace: "default").items.compactMap(\.metadata.name)
            .sorted()
    }

    /// Settles, then runs the pending pods, until `done` holds; fails after `limit` rounds.
    static func run(_ harness: ControllerHarness, limit: Int = 20, until done: () async throws -> Bool) async throws {
        for _ in 0..<limit {
            try await harness.settle()
            if try await done() { return }
            try await harness.runPods()
        }
        Issue.record("not done after \(limit) rounds")
    }

    @Test func startsPodsOneAtATimeEachWithItsClaim() async throws {
        let harness = try await ControllerHarness([StatefulSetController.self])
        defer { harness.close() }
        try await harness.create(yaml: Self.web())
        try await harness.settle()

        // OrderedReady (the default): web-1 waits for web-0 to be running and ready.
        var pods = try await Self.pods(harness)
        #expect(Self.names(pods) == ["web-0"])
        #expect(try await Self.claims(harness) == ["www-web-0"])
        let set = try await Self.statefulSet(harness)
        let web0 = try #require(pods.first)
        #expect(web0.metadata.controllerRef?.uid == set.metadata.uid)
        #expect(web0.spec.hostname == "web-0")
        #expect(web0.spec.subdomain == "nginx")
        #expect(web0.metadata.labels?["statefulset.kubernetes.io/pod-name"] == "web-0")
        #expect(web0.metadata.labels?["apps.kubernetes.io/pod-index"] == "0")
        #expect(web0.spec.volumes?.first { $0.name == "www" }?.persistentVolumeClaim?.claimName == "www-web-0")

        // Running but not ready yet: still only web-0.
        try await harness.runPods(ready: false)
        try await harness.settle()
        #expect(Self.names(try await Self.pods(harness)) == ["web-0"])

        try await harness.setReady(name: "web-0", true)
        try await harness.settle()
        pods = try await Self.pods(harness)
        #expect(Self.names(pods) == ["web-0", "web-1"])
        #expect(try await Self.claims(harness) == ["www-web-0", "www-web-1"])

        try await harness.runPods()
        try await harness.settle()
        let ready = try await Self.statefulSet(harness)
        #expect(ready.status.replicas == 2)
        #expect(ready.status.readyReplicas == 2)
        #expect(ready.status.availableReplicas == 2)
        #expect(ready.status.currentRevision == ready.status.updateRevision)
        #expect(ready.status.observedGeneration == ready.metadata.generation)
        // The claims belong to no one (whenDeleted: Retain, the default): they outlive the set.
        let claims = try await harness.api.list(PersistentVolumeClaim.self, namespace: "default").items
        #expect(claims.allSatisfy { $0.metadata.ownerReferences == nil })
        #expect(claims.allSatisfy { $0.metadata.labels?["app"] == "nginx" })
    }

    @Test func scalingDownStopsTheHighestOrdinalFirstAndKeepsTheClaims() async throws {
        let harness = try await ControllerHarness([StatefulSetController.self])
        defer { harness.close() }
        try await harness.create(yaml: Self.web(replicas: 3))
        try await Self.run(harness) { try await Self.statefulSet(harness).status.readyReplicas == 3 }

        _ = try await harness.api.patch(
            kind: "StatefulSet", namespace: "default", name: "web", patch: ["spec": ["replicas": 1]])
        var stopped: [String] = []
        for _ in 0..<2 {
            try await harness.settle()
            // One at a time: the next waits until the previous is gone.
            let stopping = try await Self.pods(harness).filter { $0.metadata.deletionTimestamp != nil }
            #expect(stopping.count == 1)
            stopped += stopping.compactMap(\.metadata.name)
            try await harness.runPods()
        }
        try await harness.settle()
        #expect(stopped == ["web-2", "web-1"])
        #expect(Self.names(try await Self.pods(harness)) == ["web-0"])
        #expect(try await Self.claims(harness) == ["www-web-0", "www-web-1", "www-web-2"])
        let set = try await Self.statefulSet(harness)
        #expect(set.status.replicas == 1)
        #expect(set.status.readyReplicas == 1)

        // Scaled up again, web-1 comes back with its old claim.
        _ = try await harness.api.patch(
            kind: "StatefulSet", namespace: "default", name: "web", patch: ["spec": ["replicas": 2]])
        try await harness.settle()
        let web1 = try await harness.api.get(Pod.self, namespace: "default", name: "web-1")
        #expect(web1.spec.volumes?.first { $0.name == "www" }?.persistentVolumeClaim?.claimName == "www-web-1")
        #expect(try await Self.claims(harness) == ["www-web-0", "www-web-1", "www-web-2"])
    }

    @Test func rollingUpdateGoesFromTheHighestOrdinalDownToThePartition() async throws {
        let harness = try await ControllerHarness([StatefulSetController.self])
        defer { harness.close() }
        try await harness.create(yaml: Self.web(replicas: 3))
        try await Self.run(harness) { try await Self.statefulSet(harness).status.readyReplicas == 3 }
        let oldRevision = try await Self.statefulSet(harness).status.currentRevision

        // A staged roll-out: only ordinals 1 and up get the new image.
        let container: JSONValue = ["name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24"]
        _ = try await harness.api.patch(
            kind: "StatefulSet", namespace: "default", name: "web",
            patch: [
                "spec": [
                    "updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["partition": 1]],
                    "template": ["spec": ["containers": [container]]],
                ]
            ])
        var order: [String] = []
        try await Self.run(harness) {
            for pod in try await Self.pods(harness) where pod.metadata.deletionTimestamp != nil {
                if let name = pod.metadata.name, !order.contains(name) { order.append(name) }
            }
            let set = try await Self.statefulSet(harness)
            return set.status.updatedReplicas == 2 && set.status.readyReplicas == 3
        }
        #expect(order == ["web-2", "web-1"])
        var images: [String: String] = [:]
        for pod in try await Self.pods(harness) {
            images[pod.metadata.name ?? ""] = pod.spec.containers.first?.image
        }
        #expect(
            images == [
                "web-0": "registry.k8s.io/nginx-slim:0.21", "web-1": "registry.k8s.io/nginx-slim:0.24",
                "web-2": "registry.k8s.io/nginx-slim:0.24",
            ])
        let set = try await Self.statefulSet(harness)
        #expect(set.status.currentRevision == oldRevision)
        #expect(set.status.updateRevision != oldRevision)
        #expect(set.status.currentReplicas == 1)

        // Partition 0: web-0 follows, and the update revision becomes the current one.
        _ = try await harness.api.patch(
            kind: "StatefulSet", namespace: "default", name: "web",
            patch: ["spec": ["updateStrategy": ["rollingUpdate": ["partition": 0]]]])
        try await Self.run(harness) {
            let status = try await Self.statefulSet(harness).status
            return status.updatedReplicas == 3 && status.readyReplicas == 3
        }
        let done = try await Self.statefulSet(harness)
        #expect(done.status.currentRevision == done.status.updateRevision)
        #expect(done.status.readyReplicas == 3)
        #expect(
            try await Self.pods(harness).allSatisfy {
                $0.spec.containers.first?.image == "registry.k8s.io/nginx-slim:0.24"
            })
    }

    @Test func aFailedPodIsReplacedUnderItsNameWithItsClaim() async throws {
        let harness = try await ControllerHarness([StatefulSetController.self])
        defer { harness.close() }
        try await harness.create(yaml: Self.web())
        try await Self.run(harness) { try await Self.statefulSet(harness).status.readyReplicas == 2 }
        let failed = try await harness.api.get(Pod.self, namespace: "default", name: "web-1")

        try await harness.finishPod(name: "web-1", exitCode: 137)
        try await harness.settle()
        let replacement = try await harness.api.get(Pod.self, namespace: "default", name: "web-1")
        #expect(replacement.metadata.uid != failed.metadata.uid)
        #expect(replacement.status.phase != "Failed")
        #expect(replacement.spec.volumes?.first { $0.name == "www" }?.persistentVolumeClaim?.claimName == "www-web-1")
        #expect(try await Self.claims(harness) == ["www-web-0", "www-web-1"])
        #expect(
            harness.api.writes.filter { $0.verb == "delete" && $0.kind == "Pod" }.map(\.name) == ["web-1"])

        try await harness.runPods()
        try await harness.settle()
        #expect(try await Self.statefulSet(harness).status.readyReplicas == 2)
    }
}
