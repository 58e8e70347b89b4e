import Bus
import Foundation
import Testing

/// Issue 13 item 5, with real processes and the official `admin/resource/quota-pod*.yaml` and
/// `cpu-constraints` shapes: a Deployment of 3 in a namespace allowed 2 pods gets 2, its ReplicaSet reports the
/// third refused, and a deleted pod's place is given back by the resourcequota controller and taken again; a
/// LimitRange bounds and defaults what pods ask for.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct QuotaIntegrationTests {
    static let manifests = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: quota-pod-example
        ---
        apiVersion: v1
        kind: ResourceQuota
        metadata:
          name: pod-demo
          namespace: quota-pod-example
        spec:
          hard:
            pods: "2"
        ---
        apiVersion: v1
        kind: LimitRange
        metadata:
          name: cpu-min-max-demo-lr
          namespace: quota-pod-example
        spec:
          limits:
          - max:
              cpu: "800m"
            min:
              cpu: "200m"
            type: Container
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: pod-quota-demo
          namespace: quota-pod-example
        spec:
          selector:
            matchLabels:
              purpose: quota-demo
          replicas: 3
          template:
            metadata:
              labels:
                purpose: quota-demo
            spec:
              containers:
              - name: pod-quota-demo
                image: nginx
        """

    @Test func aQuotaHoldsADeploymentToWhatItAllows() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            for controller in ["replicaset", "deployment", "resourcequota"] {
                try await cluster.startController(controller)
            }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("quota-\(UUID().uuidString).yaml")
            try Self.manifests.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let applied = try cluster.ctl(["apply", "-f", file.path])
            #expect(applied.status == 0, "\(applied)")

            func pods() throws -> [String] {
                try cluster.ctl(["get", "pods", "-n", "quota-pod-example", "-o", "name"]).out.split(separator: "\n")
                    .map(String.init)
            }
            let refused = try await eventually(within: .seconds(20)) {
                try cluster.ctl(["get", "events", "-n", "quota-pod-example"]).out.contains(
                    "exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2")
            }
            #expect(refused, "no FailedCreate for the third pod")
            #expect(try pods().count == 2)
            let quota = try cluster.ctl(["get", "quota", "pod-demo", "-n", "quota-pod-example"])
            #expect(quota.out.contains("pods: 2/2"), "\(quota)")

            // The LimitRange's defaults (its max) reached the pods.
            let limits = try cluster.ctl([
                "get", "pods", "-n", "quota-pod-example", "-o",
                "jsonpath={.items[*].spec.containers[0].resources.limits.cpu}",
            ])
            #expect(limits.out == "800m 800m", "\(limits)")

            // A deleted pod's place is given back and the ReplicaSet fills it.
            let victim = try #require(try pods().first)
            #expect(try cluster.ctl(["delete", victim, "-n", "quota-pod-example"]).status == 0)
            let replaced = try await eventually(within: .seconds(20)) {
                let now = try pods()
                return now.count == 2 && !now.contains(victim)
            }
            let left = try pods()
            #expect(replaced, "the deleted pod was not replaced: \(left)")
            let counted = try await eventually(within: .seconds(10)) {
                try cluster.ctl(["get", "quota", "pod-demo", "-n", "quota-pod-example"]).out.contains("pods: 2/2")
            }
            #expect(counted)

            // A pod asking for more than the max is refused in Kubernetes' words.
            let greedyFile = file.deletingPathExtension().appendingPathExtension("greedy.yaml")
            try """
            apiVersion: v1
            kind: Pod
            metadata: {name: greedy, namespace: quota-pod-example}
            spec:
              containers:
              - {name: greedy, image: nginx, resources: {limits: {cpu: "1.5"}}}
            """.write(to: greedyFile, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: greedyFile) }
            let greedy = try cluster.ctl(["apply", "-f", greedyFile.path])
            #expect(greedy.status == 1, "\(greedy)")
            #expect(greedy.err.contains("maximum cpu usage per Container is 800m, but limit is 1500m"), "\(greedy)")
        }
    }
}
