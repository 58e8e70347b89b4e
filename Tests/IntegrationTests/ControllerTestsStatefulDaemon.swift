import Bus
import Client
import Foundation
import Schema
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The statefulset and daemonset controllers as real `kubus-controller` processes, with simulated nodes.
@Suite(.serialized, .timeLimit(.minutes(6)))
struct ControllerTestsStatefulDaemon {
    static func suffix() -> String { String(BusClock.randomID().prefix(6).lowercased()) }

    static func decode<T: KubeObject>(_ json: String, as type: T.Type = T.self) throws -> T {
        try JSONValue.parse(json).decode(as: T.self)
    }

    static func statefulSet(namespace: String, replicas: Int) throws -> StatefulSet {
        try decode(
            """
            {"metadata":{"name":"db","namespace":"\(namespace)"},
             "spec":{"replicas":\(replicas),"serviceName":"db","selector":{"matchLabels":{"app":"db"}},
              "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"db:1"}]}},
              "volumeClaimTemplates":[{"metadata":{"name":"data"},
               "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}
            """)
    }

    static func daemonSet(namespace: String) throws -> DaemonSet {
        try decode(
            """
            {"metadata":{"name":"agent","namespace":"\(namespace)"},
             "spec":{"selector":{"matchLabels":{"app":"agent"}},
              "template":{"metadata":{"labels":{"app":"agent"}},
               "spec":{"containers":[{"name":"agent","image":"agent:1"}]}}}}
            """)
    }

    /// Records the Pod watch events of `namespace` published on the bus, in store revision order.
    final class PodEvents: Sendable {
        struct Seen: Sendable {
            var rev: Int64
            var type: String
            var name: String
            var terminating: Bool
        }
        final class Log: Sendable {
            let entries = Mutex<[Seen]>([])
        }
        private let seen = Log()
        private let subscriber: Subscriber
        private let task: Task<Void, Never>

        init(endpoints: BusEndpoints, namespace: String) throws {
            let subscriber = try Subscriber(endpoints: endpoints, topics: ["event/Pod/"])
            self.subscriber = subscriber
            let seen = self.seen
            task = Task {
                for await message in subscriber.messages {
                    guard message.envelope.type == "WatchEvent", let rev = message.envelope.rev,
                        let pod = try? JSONValue.parse(message.payload).decode(as: Pod.self),
                        pod.metadata.namespace == namespace
                    else { continue }
                    let entry = Seen(
                        rev: rev, type: message.envelope.event ?? "", name: pod.metadata.name ?? "",
                        terminating: pod.metadata.deletionTimestamp != nil)
                    seen.entries.withLock { $0.append(entry) }
                }
            }
        }

        /// The names in the order their first event of `type` (or first terminating state) was published.
        func order(_ type: String, terminating: Bool = false) -> [String] {
            var names: [String] = []
            for entry in seen.entries.withLock({ $0 }).sorted(by: { $0.rev < $1.rev }) {
                let hit = terminating ? entry.terminating : entry.type == type
                if hit && !names.contains(entry.name) { names.append(entry.name) }
            }
            return names
        }

        func close() {
            subscriber.close()
            task.cancel()
        }
    }

    static func pods(_ client: KubusClient, namespace: String, app: String) async throws -> [Pod] {
        try await client.list(Pod.self, namespace: namespace, labelSelector: "app=\(app)").items
    }

    static func scaleStatefulSet(_ client: KubusClient, namespace: String, to replicas: Int) async throws {
        for _ in 0..<5 {
            var set = try await client.get(StatefulSet.self, namespace: namespace, name: "db")
            set.spec.replicas = replicas
            do {
                _ = try await client.update(set)
                return
            } catch {
                if error.isConflict { continue }
                throw error
            }
        }
    }

    @Test func statefulSetStartsInOrderStopsInReverseAndKeepsItsClaims() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let prefix = "sts-\(Self.suffix())"
            try await cluster.startSimNodes(prefix: prefix, nodes: 2, extraArgs: ["--sim-startup-millis", "300"])
            try await cluster.startController("statefulset")
            // Claims must be bound before their pods schedule (the scheduler's VolumeBinding), as in Kubernetes.
            try await cluster.startController("persistentvolume", args: ["--volume-dir", "\(cluster.dir)/volumes"])
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            let namespace = "sts-\(Self.suffix())"
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: namespace)))
            let events = try PodEvents(endpoints: cluster.endpoints, namespace: namespace)
            defer { events.close() }
            try await Task.sleep(for: .milliseconds(300))  // the subscription reaches the bus

            _ = try await client.create(try Self.statefulSet(namespace: namespace, replicas: 3))
            #expect(
                try await eventually(within: .seconds(60)) {
                    let set = try await client.get(StatefulSet.self, namespace: namespace, name: "db")
                    return set.status.readyReplicas == 3 && set.status.replicas == 3
                },
                "\(cluster.log("statefulset").suffix(3000))")
            #expect(events.order("ADDED") == ["db-0", "db-1", "db-2"])
            let pods = try await Self.pods(client, namespace: namespace, app: "db")
            for pod in pods {
                let name = pod.metadata.name ?? ""
                #expect(pod.spec.hostname == name)
                #expect(pod.spec.subdomain == "db")
                #expect(pod.metadata.labels?["statefulset.kubernetes.io/pod-name"] == name)
                #expect(
                    pod.spec.volumes?.first { $0.name == "data" }?.persistentVolumeClaim?.claimName == "data-\(name)")
            }
            let set = try await client.get(StatefulSet.self, namespace: namespace, name: "db")
            #expect(set.status.currentRevision == set.status.updateRevision)
            #expect(set.status.updatedReplicas == 3)
            #expect(set.status.observedGeneration == set.metadata.generation)
            // One claim per pod, created with the pod's ordinal, owned by nobody (Retain).
            let claims = try await client.list(PersistentVolumeClaim.self, namespace: namespace).items
            #expect(Set(claims.compactMap(\.metadata.name)) == ["data-db-0", "data-db-1", "data-db-2"])
            #expect(claims.allSatisfy { $0.metadata.ownerReferences == nil })

            try await Self.scaleStatefulSet(client, namespace: namespace, to: 0)
            #expect(
                try await eventually(within: .seconds(60)) {
                    try await Self.pods(client, namespace: namespace, app: "db").isEmpty
                },
                "\(cluster.log("statefulset").suffix(3000))")
            #expect(events.order("", terminating: true) == ["db-2", "db-1", "db-0"])
            #expect(events.order("DELETED") == ["db-2", "db-1", "db-0"])
            // The claims outlive their pods.
            let kept = try await client.list(PersistentVolumeClaim.self, namespace: namespace).items
            #expect(kept.count == 3)
        }
    }

    @Test func statefulSetControllerKilledMidScaleUpDuplicatesNothing() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let prefix = "sts-\(Self.suffix())"
            // Slow starts: the kill lands while the ordered scale-up is under way.
            try await cluster.startSimNodes(prefix: prefix, nodes: 2, extraArgs: ["--sim-startup-millis", "1500"])
            try await cluster.startController("statefulset", name: "sts-a")
            // Claims must be bound before their pods schedule (the scheduler's VolumeBinding), as in Kubernetes.
            try await cluster.startController("persistentvolume", args: ["--volume-dir", "\(cluster.dir)/volumes"])
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            let namespace = "sts-\(Self.suffix())"
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: namespace)))
            _ = try await client.create(try Self.statefulSet(namespace: namespace, replicas: 4))
            #expect(
                try await eventually(within: .seconds(60)) {
                    try await Self.pods(client, namespace: namespace, app: "db").count >= 2
                })
            cluster.stop("sts-a", signal: SIGKILL)
            try await cluster.startController("statefulset", name: "sts-b")
            #expect(
                try await eventually(within: .seconds(90)) {
                    let set = try await client.get(StatefulSet.self, namespace: namespace, name: "db")
                    return set.status.readyReplicas == 4
                },
                "\(cluster.log("sts-b").suffix(3000))")
            let pods = try await Self.pods(client, namespace: namespace, app: "db")
            #expect(pods.compactMap(\.metadata.name).sorted() == ["db-0", "db-1", "db-2", "db-3"])
            let claims = try await client.list(PersistentVolumeClaim.self, namespace: namespace).items
            #expect(claims.count == 4)
        }
    }

    @Test func daemonSetFollowsNodesJoiningAndLeaving() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let first = "ds-\(Self.suffix())"
            try await cluster.startSimNodes(prefix: first, nodes: 2)
            try await cluster.startController("daemonset", name: "ds-a")
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            let namespace = "ds-\(Self.suffix())"
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: namespace)))
            _ = try await client.create(try Self.daemonSet(namespace: namespace))

            func settled(_ nodes: Set<String>) async throws -> Bool {
                let pods = try await Self.pods(client, namespace: namespace, app: "agent")
                let set = try await client.get(DaemonSet.self, namespace: namespace, name: "agent")
                let placed = pods.compactMap(\.spec.nodeName)
                return Set(placed) == nodes && placed.count == nodes.count
                    && set.status.desiredNumberScheduled == nodes.count && set.status.numberReady == nodes.count
                    && set.status.currentNumberScheduled == nodes.count
            }
            let firstNodes: Set<String> = ["\(first)-0", "\(first)-1"]
            #expect(
                try await eventually(within: .seconds(60)) { try await settled(firstNodes) },
                "\(cluster.log("ds-a").suffix(3000))")

            // A second kubelet joins with two more nodes; the controller is killed and restarted meanwhile.
            let second = "dt-\(Self.suffix())"
            cluster.stop("ds-a", signal: SIGKILL)
            try cluster.start(
                "kubelet", name: "kubelet-\(second)",
                args: ["--runtime", "sim", "--sim-nodes", "2", "--node-name", second])
            try await cluster.startController("daemonset", name: "ds-b")
            let allNodes = firstNodes.union(["\(second)-0", "\(second)-1"])
            #expect(
                try await eventually(within: .seconds(60)) { try await settled(allNodes) },
                "\(cluster.log("ds-b").suffix(3000))")
            let created = try await client.list(Event.self, namespace: namespace).items
                .filter { $0.reason == "SuccessfulCreate" && $0.involvedObject.name == "agent" }
            #expect(created.count == 4)

            // The second kubelet leaves and its Nodes are deleted: their pods go.
            cluster.stop("kubelet-\(second)")
            for index in 0..<2 { _ = try? await client.delete(Node.self, namespace: nil, name: "\(second)-\(index)") }
            #expect(
                try await eventually(within: .seconds(60)) { try await settled(firstNodes) },
                "\(cluster.log("ds-b").suffix(3000))")
        }
    }

    @Test func rollingUpdatesRespectThePartitionAndReplaceDaemonPods() async throws {
        try await withCluster { cluster in
            try await cluster.startControlPlane()
            let prefix = "ru-\(Self.suffix())"
            try await cluster.startSimNodes(prefix: prefix, nodes: 2, extraArgs: ["--sim-startup-millis", "200"])
            try await cluster.startController("statefulset")
            // Claims must be bound before their pods schedule (the scheduler's VolumeBinding), as in Kubernetes.
            try await cluster.startController("persistentvolume", args: ["--volume-dir", "\(cluster.dir)/volumes"])
            try await cluster.startController("daemonset")
            let client = try cluster.apiClient()
            defer { client.bus.close() }
            let namespace = "ru-\(Self.suffix())"
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: namespace)))
            _ = try await client.create(try Self.statefulSet(namespace: namespace, replicas: 3))
            _ = try await client.create(try Self.daemonSet(namespace: namespace))
            #expect(
                try await eventually(within: .seconds(60)) {
                    let set = try await client.get(StatefulSet.self, namespace: namespace, name: "db")
                    let ds = try await client.get(DaemonSet.self, namespace: namespace, name: "agent")
                    return set.status.readyReplicas == 3 && ds.status.numberReady == 2
                })

            func revisions() async throws -> [String: String] {
                var byName: [String: String] = [:]
                for pod in try await Self.pods(client, namespace: namespace, app: "db")
                where pod.metadata.deletionTimestamp == nil {
                    byName[pod.metadata.name ?? ""] = pod.metadata.labels?["controller-revision-hash"]
                }
                return byName
            }
            // A new template with partition 1: db-2 then db-1 are replaced, db-0 keeps the old revision.
            var set = try await client.get(StatefulSet.self, namespace: namespace, name: "db")
            let oldRevision = set.status.currentRevision
            set.spec.template.spec.containers[0].image = "db:2"
            set.spec.updateStrategy = StatefulSetUpdateStrategy(
                type: "RollingUpdate", rollingUpdate: RollingUpdateStatefulSetStrategy(partition: 1))
            _ = try await client.update(set)
            #expect(
                try await eventually(within: .seconds(60)) {
                    let s = try await client.get(StatefulSet.self, namespace: namespace, name: "db").status
                    let r = try await revisions()
                    return s.updatedReplicas == 2 && s.readyReplicas == 3 && r["db-0"] == oldRevision
                        && r["db-1"] == s.updateRevision && r["db-2"] == s.updateRevision
                },
                "\(cluster.log("statefulset").suffix(3000))")
            let midway = try await client.get(StatefulSet.self, namespace: namespace, name: "db").status
            #expect(midway.currentRevision == oldRevision)
            #expect(midway.updateRevision != oldRevision)

            // The DaemonSet's new template replaces its pods, one node at a time.
            var ds = try await client.get(DaemonSet.self, namespace: namespace, name: "agent")
            ds.spec.template.spec.containers[0].image = "agent:2"
            _ = try await client.update(ds)
            #expect(
                try await eventually(within: .seconds(60)) {
                    let s = try await client.get(DaemonSet.self, namespace: namespace, name: "agent").status
                    let pods = try await Self.pods(client, namespace: namespace, app: "agent")
                    return s.updatedNumberScheduled == 2 && s.numberReady == 2 && pods.count == 2
                        && pods.allSatisfy { $0.spec.containers.first?.image == "agent:2" }
                },
                "\(cluster.log("daemonset").suffix(3000))")
        }
    }
}
