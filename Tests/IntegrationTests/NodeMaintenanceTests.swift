import Bus
import Client
import Foundation
import Schema
import Testing

/// `kubusctl cordon`, `uncordon`, `taint` and `drain` against real processes: bus, store, api, scheduler and a
/// simulated kubelet (`kubus-kubelet --runtime sim`), which also runs, finishes and deletes the pods.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct NodeMaintenanceTests {
    static func pod(_ name: String, node: String, owner: Bool, annotations: [String: String] = [:], never: Bool = false)
        -> JSONValue
    {
        var meta: JSONValue = ["name": .string(name), "namespace": "default"]
        if owner {
            meta["ownerReferences"] = [
                ["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u-1", "controller": true]
            ]
        }
        if !annotations.isEmpty { meta["annotations"] = .object(annotations.mapValues { .string($0) }) }
        return [
            "apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": [
                "nodeName": .string(node), "restartPolicy": .string(never ? "Never" : "Always"),
                "containers": [["name": "app", "image": "busybox"]],
            ],
        ]
    }

    /// Polls until `check` holds for the pod (or it is gone when `check` is nil); returns the last state seen.
    static func waitForPod(
        _ client: KubusClient, _ name: String, within: Duration = .seconds(30), _ check: ((Pod) -> Bool)?
    ) async throws -> Pod? {
        let deadline = ContinuousClock.now + within
        var last: Pod?
        while ContinuousClock.now < deadline {
            last = try? await client.get(Pod.self, namespace: "default", name: name)
            if let check, let pod = last, check(pod) { return pod }
            if check == nil && last == nil { return nil }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }

    @Test func simulatedNodesRunFinishAndDeletePods() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let prefix = "it-\(BusClock.randomID().prefix(5).lowercased())"
            try await cluster.startSimNodes(prefix: prefix, nodes: 3)
            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let client = KubusClient(bus: bus)

            let node = try await client.get(Node.self, namespace: nil, name: "\(prefix)-2")
            #expect(node.status.conditions?.first { $0.type == "Ready" }?.status == "True")
            #expect(node.metadata.labels?["kubus.io/sim"] == "true")

            _ = try await client.create(Self.pod("web", node: "\(prefix)-1", owner: true))
            let running = try await Self.waitForPod(client, "web") { $0.status.phase == "Running" }
            #expect(running?.status.podIP?.hasPrefix("100.64.1.") == true)
            #expect(running?.status.containerStatuses?.first?.ready == true)

            _ = try await client.create(
                Self.pod(
                    "job", node: "\(prefix)-0", owner: true,
                    annotations: [
                        "kubus.io/sim-exit-after": "0",
                        "kubus.io/sim-exit-code": "3",
                    ], never: true))
            let failed = try await Self.waitForPod(client, "job") { $0.status.phase == "Failed" }
            #expect(failed?.status.containerStatuses?.first?.state?.terminated?.exitCode == 3)

            // A bound pod gets a grace period from the api; the simulated kubelet finishes the delete.
            _ = try await client.delete(kind: "Pod", namespace: "default", name: "web")
            #expect(try await Self.waitForPod(client, "web", nil) == nil)
        }
    }

    @Test func cordonTaintAndDrain() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let prefix = "it-\(BusClock.randomID().prefix(5).lowercased())"
            try await cluster.startSimNodes(prefix: prefix, nodes: 2)
            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let client = KubusClient(bus: bus)
            let n0 = "\(prefix)-0"

            var r = try cluster.ctl(["cordon", n0])
            #expect(r.status == 0 && r.out == "node/\(n0) cordoned\n")
            #expect(try await client.get(Node.self, namespace: nil, name: n0).spec.unschedulable == true)
            r = try cluster.ctl(["get", "nodes"])
            #expect(r.out.contains("\(n0)   Ready,SchedulingDisabled"))
            r = try cluster.ctl(["uncordon", n0])
            #expect(r.status == 0 && r.out == "node/\(n0) uncordoned\n")
            #expect(try await client.get(Node.self, namespace: nil, name: n0).spec.unschedulable == nil)

            r = try cluster.ctl(["taint", "nodes", n0, "dedicated=db:NoSchedule"])
            #expect(r.status == 0 && r.out == "node/\(n0) tainted\n")
            r = try cluster.ctl(["taint", "nodes", n0, "dedicated=web:NoSchedule"])
            #expect(r.status == 1)
            #expect(r.err.contains("already has dedicated taint(s) with same effect(s) and --overwrite is false"))
            r = try cluster.ctl(["taint", "nodes", n0, "dedicated=web:NoSchedule", "--overwrite"])
            #expect(r.status == 0)
            #expect(
                try await client.get(Node.self, namespace: nil, name: n0).spec.taints == [
                    Taint(key: "dedicated", value: "web", effect: "NoSchedule")
                ])
            r = try cluster.ctl(["taint", "nodes", n0, "dedicated-"])
            #expect(r.status == 0 && r.out == "node/\(n0) untainted\n")
            #expect(try await client.get(Node.self, namespace: nil, name: n0).spec.taints == nil)

            _ = try await client.create(Self.pod("managed", node: n0, owner: true))
            _ = try await client.create(Self.pod("bare", node: n0, owner: false))
            _ = try await client.create(Self.pod("elsewhere", node: "\(prefix)-1", owner: false))
            for name in ["managed", "bare"] {
                _ = try await Self.waitForPod(client, name) { $0.status.phase == "Running" }
            }

            r = try cluster.ctl(["drain", n0])
            #expect(r.status == 1)
            #expect(
                r.err.contains(
                    "cannot delete Pods that declare no controller (use --force to override): default/bare"))
            #expect(
                try await client.get(Pod.self, namespace: "default", name: "managed").metadata.deletionTimestamp == nil)

            r = try cluster.ctl(["drain", n0, "--force", "--timeout", "60s"])
            #expect(r.status == 0, "\(r.err)")
            #expect(r.out.contains("pod/managed deleted") && r.out.contains("pod/bare deleted"))
            #expect(r.out.hasSuffix("node/\(n0) drained\n"))
            #expect(r.err.contains("Warning: deleting Pods that declare no controller: default/bare"))
            #expect(try await Self.waitForPod(client, "managed", nil) == nil)
            #expect(try await client.get(Pod.self, namespace: "default", name: "elsewhere").status.phase == "Running")
            #expect(try await client.get(Node.self, namespace: nil, name: n0).spec.unschedulable == true)
        }
    }
}
