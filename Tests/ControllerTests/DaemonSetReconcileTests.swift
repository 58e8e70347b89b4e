import APITesting
import Client
import ControllerKit
import ControllerTesting
import Controllers
import Schema
import Testing

/// The DaemonSet controller against the in-memory api: one pod on every node the template fits (taints and
/// tolerations, node selector), nodes joining, leaving and changing, and a rolling update one node at a time.
/// The test creates the Node objects and plays the kubelets.
@Suite(.timeLimit(.minutes(1)))
struct DaemonSetReconcileTests {
    /// kubernetes/website's controllers/daemonset.yaml, with `extra` lines in its pod spec.
    static func fluentd(extra: String = "") -> String {
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: fluentd-elasticsearch
          namespace: kube-system
          labels:
            k8s-app: fluentd-logging
        spec:
          selector:
            matchLabels:
              name: fluentd-elasticsearch
          template:
            metadata:
              labels:
                name: fluentd-elasticsearch
            spec:
              tolerations:
              # these tolerations are to have the daemonset runnable on control plane nodes
              # remove them if your control plane nodes should not run pods
              - key: node-role.kubernetes.io/control-plane
                operator: Exists
                effect: NoSchedule
              - key: node-role.kubernetes.io/master
                operator: Exists
                effect: NoSchedule
              containers:
              - name: fluentd-elasticsearch
                image: quay.io/fluentd_elasticsearch/fluentd:v2.5.2
                resources:
                  limits:
                    memory: 200Mi
                  requests:
                    cpu: 100m
                    memory: 200Mi
                volumeMounts:
                - name: varlog
                  mountPath: /var/log
              terminationGracePeriodSeconds: 30
              volumes:
              - name: varlog
                hostPath:
                  path: /var/log\(extra.isEmpty ? "" : "\n      " + extra)
        """
    }

    /// A Node named `name` with `labels` and `taints` (`key=value:Effect` or `key:Effect`).
    static func node(_ name: String, labels: [String: String] = [:], taints: [String] = []) -> String {
        var yaml = """
            apiVersion: v1
            kind: Node
            metadata:
              name: \(name)
              labels:
                kubernetes.io/hostname: \(name)
            """
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) { yaml += "\n    \(key): \"\(value)\"" }
        if !taints.isEmpty { yaml += "\nspec:\n  taints:" }
        for taint in taints {
            let (keyValue, effect) = (taint.split(separator: ":")[0], taint.split(separator: ":")[1])
            let parts = keyValue.split(separator: "=")
            yaml += "\n  - key: \(parts[0])\n    effect: \(effect)"
            if parts.count > 1 { yaml += "\n    value: \"\(parts[1])\"" }
        }
        return yaml
    }

    static func pods(_ harness: ControllerHarness) async throws -> [Pod] {
        try await harness.api.list(Pod.self, namespace: "kube-system").items
    }

    /// The nodes of the pods not being deleted.
    static func placed(_ harness: ControllerHarness) async throws -> [String] {
        try await pods(harness).filter { $0.metadata.deletionTimestamp == nil }.compactMap(\.spec.nodeName).sorted()
    }

    static func daemonSet(_ harness: ControllerHarness) async throws -> DaemonSet {
        try await harness.api.get(DaemonSet.self, namespace: "kube-system", name: "fluentd-elasticsearch")
    }

    static func patchNode(_ harness: ControllerHarness, _ name: String, _ patch: JSONValue) async throws {
        _ = try await harness.api.patch(kind: "Node", namespace: nil, name: name, patch: patch)
    }

    @Test func runsOnePodOnEachNodeItTolerates() async throws {
        let harness = try await ControllerHarness([DaemonSetController.self])
        defer { harness.close() }
        try await harness.create(
            yaml: Self.node(
                "control-plane", labels: ["node-role.kubernetes.io/control-plane": ""],
                taints: ["node-role.kubernetes.io/control-plane:NoSchedule"]))
        try await harness.create(yaml: Self.node("worker-1"))
        try await harness.create(yaml: Self.node("worker-2"))
        // Kept for other work: the template does not tolerate this taint.
        try await harness.create(yaml: Self.node("gpu-1", taints: ["dedicated=gpu:NoSchedule"]))
        try await harness.create(yaml: Self.fluentd())
        try await harness.settle()

        var set = try await Self.daemonSet(harness)
        let pods = try await Self.pods(harness)
        #expect(try await Self.placed(harness) == ["control-plane", "worker-1", "worker-2"])
        for pod in pods {
            #expect(pod.metadata.controllerRef?.uid == set.metadata.uid)
            #expect(pod.metadata.labels?["name"] == "fluentd-elasticsearch")
            #expect(pod.metadata.labels?["controller-revision-hash"] != nil)
            // The tolerations every daemon pod gets, so it stays on a node that is not ready or under pressure.
            let tolerated = Set((pod.spec.tolerations ?? []).compactMap { $0.key })
            let automatic: Set = [
                "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "node.kubernetes.io/disk-pressure",
                "node.kubernetes.io/unschedulable",
            ]
            #expect(tolerated.isSuperset(of: automatic))
        }
        #expect(set.status.desiredNumberScheduled == 3)
        #expect(set.status.currentNumberScheduled == 3)
        #expect(set.status.numberMisscheduled == 0)
        #expect(set.status.numberReady == 0)

        try await harness.runPods(namespace: "kube-system")
        try await harness.settle()
        set = try await Self.daemonSet(harness)
        #expect(set.status.numberReady == 3)
        #expect(set.status.numberAvailable == 3)
        #expect(set.status.updatedNumberScheduled == 3)
        #expect((set.status.numberUnavailable ?? 0) == 0)
        #expect(set.status.observedGeneration == set.metadata.generation)
    }

    @Test func followsNodesJoiningAndLeaving() async throws {
        let harness = try await ControllerHarness([DaemonSetController.self])
        defer { harness.close() }
        try await harness.create(yaml: Self.node("worker-1"))
        try await harness.create(yaml: Self.fluentd())
        try await harness.settle()
        try await harness.runPods(namespace: "kube-system")
        #expect(try await Self.placed(harness) == ["worker-1"])

        try await harness.create(yaml: Self.node("worker-2"))
        try await harness.settle()
        #expect(try await Self.placed(harness) == ["worker-1", "worker-2"])
        try await harness.runPods(namespace: "kube-system")
        try await harness.settle()
        #expect(try await Self.daemonSet(harness).status.numberReady == 2)

        // worker-1 is removed from the cluster: its pod, with no kubelet left to stop it, is removed at once.
        let gone = try await Self.pods(harness).first { $0.spec.nodeName == "worker-1" }
        _ = try await harness.api.delete(kind: "Node", namespace: nil, name: "worker-1")
        try await harness.settle()
        #expect(try await Self.pods(harness).map(\.spec.nodeName) == ["worker-2"])
        let delete = harness.api.writes.first { $0.verb == "delete" && $0.name == gone?.metadata.name }
        #expect(delete?.payload["gracePeriodSeconds"]?.intValue == 0)
        let set = try await Self.daemonSet(harness)
        #expect(set.status.desiredNumberScheduled == 1)
        #expect(set.status.currentNumberScheduled == 1)
        #expect(set.status.numberReady == 1)
    }

    @Test func nodesThatStopFittingLoseTheirPod() async throws {
        let harness = try await ControllerHarness([DaemonSetController.self])
        defer { harness.close() }
        try await harness.create(yaml: Self.node("worker-1", labels: ["disktype": "ssd"]))
        try await harness.create(yaml: Self.node("worker-2"))
        try await harness.create(yaml: Self.node("worker-3", labels: ["disktype": "ssd"]))
        // Only on nodes with an SSD, as the DaemonSet page's "Running Pods on select Nodes".
        try await harness.create(yaml: Self.fluentd(extra: "nodeSelector: {disktype: ssd}"))
        try await harness.settle()
        try await harness.runPods(namespace: "kube-system")
        #expect(try await Self.placed(harness) == ["worker-1", "worker-3"])

        // worker-2 gets an SSD; worker-1 loses its label; worker-3 is tainted NoExecute for maintenance.
        try await Self.patchNode(harness, "worker-2", ["metadata": ["labels": ["disktype": "ssd"]]])
        try await Self.patchNode(harness, "worker-1", ["metadata": ["labels": ["disktype": .null]]])
        try await Self.patchNode(
            harness, "worker-3", ["spec": ["taints": [["key": "maintenance", "value": "true", "effect": "NoExecute"]]]])
        try await harness.settle()
        #expect(try await Self.placed(harness) == ["worker-2"])
        let stopping = try await Self.pods(harness).filter { $0.metadata.deletionTimestamp != nil }
        #expect(stopping.compactMap(\.spec.nodeName).sorted() == ["worker-1", "worker-3"])

        try await harness.runPods(namespace: "kube-system")
        try await harness.settle()
        #expect(try await Self.pods(harness).compactMap(\.spec.nodeName) == ["worker-2"])
        let set = try await Self.daemonSet(harness)
        #expect(set.status.desiredNumberScheduled == 1)
        #expect(set.status.numberMisscheduled == 0)
        #expect(set.status.numberReady == 1)
    }

    @Test func rollingUpdateReplacesOneNodeAtATime() async throws {
        let harness = try await ControllerHarness([DaemonSetController.self])
        defer { harness.close() }
        for name in ["worker-1", "worker-2", "worker-3"] { try await harness.create(yaml: Self.node(name)) }
        try await harness.create(yaml: Self.fluentd())
        try await harness.settle()
        try await harness.runPods(namespace: "kube-system")
        try await harness.settle()
        let old = try await Self.daemonSet(harness)
        #expect(old.status.numberAvailable == 3)
        let before = Set(try await Self.pods(harness).compactMap(\.metadata.name))
        harness.api.clearActions()

        let container: JSONValue = [
            "name": "fluentd-elasticsearch", "image": "quay.io/fluentd_elasticsearch/fluentd:v2.6.0",
        ]
        _ = try await harness.api.patch(
            kind: "DaemonSet", namespace: "kube-system", name: "fluentd-elasticsearch",
            patch: ["spec": ["template": ["spec": ["containers": [container]]]]])
        // maxUnavailable 1 (the default): at each step at most one node lacks an available pod.
        var steps = 0
        while true {
            try await harness.settle()
            let pods = try await Self.pods(harness)
            let available = pods.filter { $0.metadata.deletionTimestamp == nil && $0.isPodReady }
            #expect(available.count >= 2, "step \(steps): \(available.count) available")
            #expect(Set(pods.compactMap(\.spec.nodeName)).count == pods.count, "step \(steps): two pods on a node")
            let updated = available.filter { $0.spec.containers.first?.image?.hasSuffix("v2.6.0") == true }
            if updated.count == 3 { break }
            try await harness.runPods(namespace: "kube-system")
            steps += 1
            try #require(steps < 20, "the rollout did not finish")
        }
        let set = try await Self.daemonSet(harness)
        #expect(set.status.updatedNumberScheduled == 3)
        #expect(set.status.numberAvailable == 3)
        #expect(set.status.observedGeneration == set.metadata.generation)
        #expect(try await Self.placed(harness) == ["worker-1", "worker-2", "worker-3"])
        // Each node's pod was replaced once.
        let now = Set(try await Self.pods(harness).compactMap(\.metadata.name))
        #expect(now.isDisjoint(with: before))
        #expect(harness.api.writes.filter { $0.verb == "create" && $0.kind == "Pod" }.count == 3)
    }
}
