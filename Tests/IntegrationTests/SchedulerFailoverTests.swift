import Bus
import Client
import Foundation
import Schema
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Two real `kubus-scheduler` processes elect a leader through the Lease `kube-system/kube-scheduler`; killing
/// the leader hands scheduling to the standby, and no pod is bound twice.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct SchedulerFailoverTests {
    static let electionArgs = [
        "--leader-elect-lease-duration", "3", "--leader-elect-renew-deadline", "2",
        "--leader-elect-retry-period", "0.5",
    ]

    static func createNode(_ client: KubusClient, name: String) async throws {
        let node: JSONValue = [
            "apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)],
            "status": [
                "capacity": ["cpu": "4", "memory": "8Gi", "pods": "110"],
                "allocatable": ["cpu": "4", "memory": "8Gi", "pods": "110"],
                "conditions": [["type": "Ready", "status": "True", "reason": "KubeletReady"]],
            ],
        ]
        var stored = try await client.create(node).object
        // Write the status through its subresource too, in case create leaves it to the kubelet.
        stored["status"] = node["status"]
        _ = try await client.update(stored, subresource: "status")
    }

    static func createPod(_ client: KubusClient, name: String) async throws {
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": [
                "containers": [
                    [
                        "name": "app", "image": "busybox",
                        "resources": ["requests": ["cpu": "100m", "memory": "64Mi"]],
                    ]
                ]
            ],
        ]
        _ = try await client.create(pod)
    }

    /// Waits until the pod has a node; returns it.
    static func waitForBinding(_ client: KubusClient, pod: String, within: Duration) async throws -> String? {
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            if let stored = try? await client.get(Pod.self, namespace: "default", name: pod),
                let node = stored.spec.nodeName, !node.isEmpty
            {
                return node
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// The process name (`scheduler-a` or `scheduler-b`) holding the Lease, judged by the holder's log line.
    static func leader(_ client: KubusClient, cluster: TestCluster, within: Duration) async throws -> String? {
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            if let lease = try? await client.get(Lease.self, namespace: "kube-system", name: "kube-scheduler"),
                let holder = lease.spec.holderIdentity, !holder.isEmpty
            {
                // A process logs its own identity as kubus.identity=; the other one names it only as kubus.holder=.
                for name in ["scheduler-a", "scheduler-b"] where cluster.log(name).contains("kubus.identity=\(holder)")
                {
                    return name
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    static func scheduledEvents(_ client: KubusClient) async throws -> [String: Int] {
        let events = try await client.list(Event.self, namespace: "default").items
        var counts: [String: Int] = [:]
        for event in events where event.reason == "Scheduled" {
            counts[event.involvedObject.name ?? "", default: 0] += event.count ?? 1
        }
        return counts
    }

    @Test func killingTheLeaderHandsSchedulingToTheStandby() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            try cluster.start("scheduler", name: "scheduler-a", args: Self.electionArgs)
            try cluster.start("scheduler", name: "scheduler-b", args: Self.electionArgs)
            let bus = try BusClient(endpoints: cluster.endpoints, attemptTimeout: .seconds(1))
            defer { bus.close() }
            let client = KubusClient(bus: bus, timeout: .seconds(10))

            try await Self.createNode(client, name: "node-1")
            try await Self.createPod(client, name: "before")
            let first = try await Self.waitForBinding(client, pod: "before", within: .seconds(20))
            #expect(first == "node-1", "logs in \(cluster.dir)\n\(cluster.log("scheduler-a").suffix(1500))")

            // The leader records the Scheduled event just after the binding; let it land before the kill.
            let eventDeadline = ContinuousClock.now + .seconds(5)
            while try await Self.scheduledEvents(client)["before"] == nil, ContinuousClock.now < eventDeadline {
                try await Task.sleep(for: .milliseconds(100))
            }

            let leader = try #require(
                try await Self.leader(client, cluster: cluster, within: .seconds(5)),
                "no scheduler holds the lease")
            let standby = leader == "scheduler-a" ? "scheduler-b" : "scheduler-a"
            // Only one of them leads: the standby logged no acquisition.
            #expect(!cluster.log(standby).contains("became the leader"))

            cluster.stop(leader, signal: SIGKILL)
            let killedAt = ContinuousClock.now
            try await Self.createPod(client, name: "after")
            let second = try await Self.waitForBinding(client, pod: "after", within: .seconds(10))
            #expect(second == "node-1", "standby \(standby) did not bind:\n\(cluster.log(standby).suffix(2000))")
            print("failover: pod bound \(ContinuousClock.now - killedAt) after the leader was killed")

            let lease = try await client.get(Lease.self, namespace: "kube-system", name: "kube-scheduler")
            #expect(cluster.log(standby).contains("kubus.identity=\(lease.spec.holderIdentity ?? "?")"))
            #expect((lease.spec.leaseTransitions ?? 0) >= 1)

            // Each pod was bound once: one Scheduled event each (events are written after a successful bind).
            try await Task.sleep(for: .milliseconds(500))
            let counts = try await Self.scheduledEvents(client)
            #expect(counts["before"] == 1, "\(counts)")
            #expect(counts["after"] == 1, "\(counts)")
        }
    }

    @Test func aStoppedLeaderReleasesTheLeaseForAnImmediateTakeover() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            // A long lease: only the release on graceful stop lets the standby in quickly.
            let args = [
                "--leader-elect-lease-duration", "30", "--leader-elect-renew-deadline", "20",
                "--leader-elect-retry-period", "0.5",
            ]
            try cluster.start("scheduler", name: "scheduler-a", args: args)
            let bus = try BusClient(endpoints: cluster.endpoints, attemptTimeout: .seconds(1))
            defer { bus.close() }
            let client = KubusClient(bus: bus, timeout: .seconds(10))
            #expect(try await Self.leader(client, cluster: cluster, within: .seconds(20)) == "scheduler-a")
            try cluster.start("scheduler", name: "scheduler-b", args: args)
            try await Task.sleep(for: .seconds(1))

            cluster.stop("scheduler-a", signal: SIGTERM)
            #expect(cluster.log("scheduler-a").contains("released the leader lease"))
            // Well inside the 30 s lease: only the release can have let the standby in.
            #expect(try await Self.leader(client, cluster: cluster, within: .seconds(15)) == "scheduler-b")
        }
    }
}
