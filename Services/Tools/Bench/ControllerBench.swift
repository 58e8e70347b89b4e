import ArgumentParser
import Bus
import Client
import Controllers
import Foundation
import Schema
import ServiceKit
import Synchronization

/// Every controller `kubus-controller` runs.
let benchControllers = ControllerCatalog.names

/// Records every event of one object from the bus, with the time it arrived.
final class ObjectWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [(at: Int64, object: JSONValue)] = []
    private let subscriber: Subscriber
    private var task: Task<Void, Never>?
    private let name: String

    /// Subscribes to `event/<kind>/<namespace>/<name>` (a prefix: events of longer names are skipped).
    init(endpoints: BusEndpoints, kind: String, namespace: String, name: String) throws {
        self.name = name
        subscriber = try Subscriber(endpoints: endpoints, topics: ["event/\(kind)/\(namespace)/\(name)"])
        task = Task { [self] in
            for await m in subscriber.messages {
                let now = BusClock.nowNs()
                guard let object = try? JSONValue.parse(m.payload), object["metadata"]?["name"]?.stringValue == name
                else { continue }
                lock.withLock { seen.append((now, object)) }
            }
        }
    }

    /// The events that arrived at or after `since`, in order.
    func events(since: Int64) -> [(at: Int64, object: JSONValue)] { lock.withLock { seen.filter { $0.at >= since } } }

    /// Waits until an event at or after `since` satisfies `done`, and returns its arrival time. When no event
    /// arrived for 5 s the object is read with a get instead (events can be dropped under load); nil after
    /// `timeout` seconds.
    func wait(
        since: Int64, timeout: Double, client: KubusClient, kind: String, namespace: String,
        _ done: (JSONValue) -> Bool
    ) async -> Int64? {
        let deadline = Date().addingTimeInterval(timeout)
        var lastCount = 0
        var lastChange = Date()
        while Date() < deadline {
            let events = events(since: since)
            if let hit = events.first(where: { done($0.object) }) { return hit.at }
            if events.count != lastCount {
                lastCount = events.count
                lastChange = Date()
            } else if Date().timeIntervalSince(lastChange) > 5 {
                lastChange = Date()
                if let object = try? await client.get(kind: kind, namespace: namespace, name: name), done(object) {
                    return BusClock.nowNs()
                }
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    func close() {
        subscriber.close()
        task?.cancel()
    }
}

/// The 100-replica Deployment of the controller bench: `sleep 3600` from busybox, small requests, grace 1 s.
func benchDeployment(_ name: String, namespace: String, replicas: Int) -> JSONValue {
    [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": .string(name), "namespace": .string(namespace)],
        "spec": [
            "replicas": .int(Int64(replicas)),
            "selector": ["matchLabels": ["app": .string(name)]],
            "template": [
                "metadata": ["labels": ["app": .string(name)]],
                "spec": [
                    "terminationGracePeriodSeconds": 1,
                    "containers": [
                        [
                            "name": "c", "image": "busybox", "command": ["sleep", "3600"],
                            "resources": ["requests": ["cpu": "10m", "memory": "16Mi"]],
                        ]
                    ],
                ],
            ],
        ],
    ]
}

/// Whether a Deployment's status says its current template is fully rolled out and available (what
/// `kubectl rollout status` waits for, plus every replica available).
func deploymentRolledOut(_ d: JSONValue, replicas: Int) -> Bool {
    let generation = d["metadata"]?["generation"]?.intValue ?? 0
    let status = d["status"]
    func count(_ field: String) -> Int64 { status?[field]?.intValue ?? -1 }
    return (status?["observedGeneration"]?.intValue ?? 0) >= generation && count("updatedReplicas") == Int64(replicas)
        && count("replicas") == Int64(replicas) && count("availableReplicas") == Int64(replicas)
}

/// A ReplicaSet with no replicas, for the reconcile throughput part.
func benchReplicaSet(_ name: String, namespace: String) -> JSONValue {
    [
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": ["name": .string(name), "namespace": .string(namespace)],
        "spec": [
            "replicas": 0, "selector": ["matchLabels": ["rs": .string(name)]],
            "template": [
                "metadata": ["labels": ["rs": .string(name)]],
                "spec": ["containers": [["name": "c", "image": "busybox"]]],
            ],
        ],
    ]
}

extension BenchParts {
    /// Starts every controller as its own `kubus-controller` process (named `controller-<name>`, the bus service
    /// each one serves its status on) and waits until each has registered.
    func startControllers(_ cluster: BenchCluster, only: [String] = benchControllers) async throws {
        for name in only {
            try cluster.start("controller", as: "controller-\(name)", args: [name])
        }
        for name in only {
            guard await cluster.waitReady("controller-\(name)", timeout: 30) else {
                throw BenchCluster.Failure(
                    "kubus-controller \(name) did not register; log:\n\(cluster.log("controller-\(name)").suffix(1500))"
                )
            }
        }
    }

    /// The `status` reply of `controller-<name>`: reconciles and errors so far, whether it leads, and the
    /// seconds from its first reconcile's start to its last one's end.
    func controllerStatus(_ bus: BusClient, _ name: String) async -> (
        reconciles: Int, errors: Int, leader: Bool, activeSeconds: Double
    )? {
        guard
            let reply = try? await bus.request(
                service: "controller-\(name)", type: "status", payload: [], timeout: .seconds(2)),
            let body = try? JSONValue.parse(reply.payload)
        else { return nil }
        return (
            Int(body["reconciles"]?.intValue ?? 0), Int(body["errors"]?.intValue ?? 0),
            body["leader"]?.boolValue ?? false,
            body["activeSeconds"]?.doubleValue ?? 0
        )
    }

    // MARK: Deployment availability and rolling update

    /// A 100-replica Deployment on `runtime` nodes: time until fully available, then time for a rolling update
    /// (a template change, as `kubusctl rollout restart` makes), with every controller running.
    func deploymentRollout(runtime: String, replicas: Int, nodes: Int, reconcileObjects: Int) async throws {
        let placement = runtime == "sim" ? "\(nodes) simulated nodes" : "one real kubus-kubelet --runtime \(runtime)"
        header("deployment: \(replicas) replicas on \(placement); every controller its own process")
        for run in 0..<options.runs {
            try await withBenchCluster { cluster in
                let node = "bench\(runtime)-\(BusClock.randomID().prefix(5).lowercased())"
                let kubeletArgs: [String]
                if runtime == "sim" {
                    kubeletArgs = ["--runtime", "sim", "--sim-nodes", String(nodes), "--node-name", node]
                } else {
                    // Loopback pod addresses (no host network changes); room for replicas + maxSurge pods.
                    kubeletArgs = [
                        "--runtime", runtime, "--node-name", node, "--network", "loopback", "--cpu", "64", "--memory",
                        "256Gi", "--max-pods", String(replicas * 2 + 10),
                    ]
                }
                let (bus, client) = try await startNodeCluster(cluster, kubeletArgs: kubeletArgs)
                defer { bus.close() }
                try await startControllers(cluster)
                _ = try await waitForNodes(cluster, client: client, count: runtime == "sim" ? nodes : 1, timeout: 120)
                let namespace = "bench-\(BusClock.randomID().prefix(5).lowercased())"
                _ = try await client.create([
                    "apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)],
                ])
                try await Task.sleep(for: .seconds(1))

                let name = "web"
                let watch = try ObjectWatch(
                    endpoints: cluster.endpoints, kind: "Deployment", namespace: namespace, name: name)
                defer { watch.close() }
                try await Task.sleep(for: .milliseconds(300))
                let before = await reconcileCounts(bus)
                let timeout = runtime == "sim" ? 300.0 : 600.0

                // 1. Create → fully available.
                let t0 = BusClock.nowNs()
                _ = try await client.create(benchDeployment(name, namespace: namespace, replicas: replicas))
                guard
                    let t1 = await watch.wait(
                        since: t0, timeout: timeout, client: client, kind: "Deployment", namespace: namespace,
                        { deploymentRolledOut($0, replicas: replicas) })
                else {
                    throw BenchCluster.Failure(
                        "the Deployment was not available in \(Int(timeout)) s; deployment controller log:\n"
                            + cluster.log("controller-deployment").suffix(1500))
                }
                let available = Double(t1 - t0) / 1e9
                print(String(format: "  run %d: create → %d available: %.2f s", run + 1, replicas, available))
                report.record(
                    "deploy.\(runtime).available", "deployment \(replicas) replicas available (\(runtime))", available,
                    unit: "s")

                // 2. A rolling update of every pod (maxSurge 25 %, maxUnavailable 25 %, the defaults).
                try await Task.sleep(for: .seconds(1))
                let t2 = BusClock.nowNs()
                _ = try await client.patch(
                    kind: "Deployment", namespace: namespace, name: name,
                    patch: [
                        "spec": [
                            "template": [
                                "metadata": [
                                    "annotations": [
                                        "kubectl.kubernetes.io/restartedAt": .string(
                                            ISO8601DateFormatter().string(from: Date()))
                                    ]
                                ]
                            ]
                        ]
                    ])
                guard
                    let t3 = await watch.wait(
                        since: t2, timeout: timeout, client: client, kind: "Deployment", namespace: namespace,
                        {
                            $0["metadata"]?["generation"]?.intValue ?? 0 >= 2
                                && deploymentRolledOut($0, replicas: replicas)
                        })
                else {
                    throw BenchCluster.Failure(
                        "the rolling update did not finish in \(Int(timeout)) s; deployment controller log:\n"
                            + cluster.log("controller-deployment").suffix(1500))
                }
                let rolled = Double(t3 - t2) / 1e9
                // What the Deployment's status said on the way (events, not samples).
                let during = watch.events(since: t2).filter { $0.at <= t3 }.map { $0.object["status"] }
                let maxPods = during.compactMap { $0?["replicas"]?.intValue }.max() ?? 0
                let minAvailable = during.compactMap { $0?["availableReplicas"]?.intValue }.min() ?? 0
                print(
                    String(
                        format:
                            "  rolling update of %d pods: %.2f s; status.replicas at most %lld (maxSurge allows %d pods; "
                            + "the status sums the ReplicaSets' own reports, which lag), availableReplicas at least %lld "
                            + "(limit %d), over %d Deployment events",
                        replicas, rolled, maxPods, replicas + (replicas + 3) / 4, minAvailable, replicas - replicas / 4,
                        during.count))
                report.record(
                    "deploy.\(runtime).rollout", "deployment rolling update of \(replicas) (\(runtime))", rolled,
                    unit: "s")

                let after = await reconcileCounts(bus)
                let seconds = Double(t3 - t0) / 1e9
                let work = ["deployment", "replicaset", "garbage-collector"].map { c in
                    "\(c) \((after[c] ?? 0) - (before[c] ?? 0))"
                }
                print(
                    "  reconciles during both (\(String(format: "%.1f", seconds)) s): \(work.joined(separator: ", "))")
                for c in benchControllers {
                    guard let v = cluster.rssMiB("controller-\(c)") else { continue }
                    report.record(
                        "ctl.\(runtime).\(c).rss", "\(c) controller RSS (\(runtime), \(replicas) pods)", v, unit: "MiB")
                }

                // Remove the Deployment (the garbage collector removes its ReplicaSets and pods) and wait for the
                // pods to go, so no container outlives the bench.
                _ = try? await client.delete(kind: "Deployment", namespace: namespace, name: name)
                let deadline = Date().addingTimeInterval(120)
                while Date() < deadline, (try? await countObjects(client, kind: "Pod", namespace: namespace)) ?? 0 > 0 {
                    try await Task.sleep(for: .milliseconds(250))
                }
                if runtime == "sim" && reconcileObjects > 0 {
                    try await reconcileThroughput(cluster, bus: bus, client: client, objects: reconcileObjects)
                }
            }
        }
    }

    /// Reconciles so far per controller.
    func reconcileCounts(_ bus: BusClient) async -> [String: Int] {
        var counts: [String: Int] = [:]
        for c in benchControllers {
            if let s = await controllerStatus(bus, c) { counts[c] = s.reconciles }
        }
        return counts
    }

    // MARK: work-queue throughput

    /// The replicaset controller's work-queue throughput: `objects` ReplicaSets created while it is stopped, then
    /// a fresh instance works through them — once when each needs a status write (timed from the ReplicaSet
    /// events), once when none does (timed from its reconcile count) — next to the api's own rate for one write
    /// per object at the same concurrency.
    func reconcileThroughput(_ cluster: BenchCluster, bus: BusClient, client: KubusClient, objects: Int) async throws {
        print("  work-queue throughput: \(objects) ReplicaSets (replicas 0), replicaset controller with 5 workers")
        cluster.stop("controller-replicaset")
        let namespace = "rs-\(BusClock.randomID().prefix(5).lowercased())"
        _ = try await client.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
        let failures = await createAll(client, count: objects, concurrency: 16) { i in
            benchReplicaSet("rs-\(i)", namespace: namespace)
        }
        let total = try await countObjects(client, kind: "ReplicaSet")
        print("  created \(objects - failures) (\(failures) failed); \(total) ReplicaSets in the cluster")

        // 1. A fresh controller: every ReplicaSet needs its first status (observedGeneration, replicas 0). Each
        // status write comes back as an update event and queues the object once more (as in Kubernetes), so the
        // reconcile count is not the measure here: the ReplicaSet events are — the time between the first and
        // the last ReplicaSet seen with its status written.
        let statusSeen = Mutex<[String: Int64]>([:])
        let subscriber = try Subscriber(endpoints: cluster.endpoints, topics: ["event/ReplicaSet/\(namespace)/"])
        let listener = Task {
            for await m in subscriber.messages {
                let now = BusClock.nowNs()
                guard let rs = try? JSONValue.parse(m.payload), rs["status"]?["observedGeneration"]?.intValue ?? 0 >= 1,
                    let name = rs["metadata"]?["name"]?.stringValue
                else { continue }
                statusSeen.withLock { if $0[name] == nil { $0[name] = now } }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let c0 = await controllerStatus(bus, "replicaset")?.reconciles ?? 0
        try cluster.start("controller", as: "controller-replicaset", args: ["replicaset", "--workers", "5"])
        await waitForCount(objects - failures, stall: 15) { statusSeen.withLock { $0.count } }
        let reconciled = await controllerStatus(bus, "replicaset")
        subscriber.close()
        listener.cancel()
        let times = statusSeen.withLock { Array($0.values) }
        if times.count > 1, let a = times.min(), let b = times.max(), b > a {
            let seconds = Double(b - a) / 1e9
            print(
                String(
                    format:
                        "  pass 1, a status write each: %d ReplicaSets with status written in %.2f s (%d reconciles, %d errors)",
                    times.count, seconds, (reconciled?.reconciles ?? c0) - c0, reconciled?.errors ?? 0))
            report.record(
                "ctl.reconcile.write", "replicaset reconciles/s, a status write each",
                Double(times.count - 1) / seconds, unit: "/s")
        }
        if times.count < objects - failures {
            report.note(
                "reconcile pass 1: \(times.count) of \(objects - failures) ReplicaSet status writes seen on the bus")
        }
        cluster.stop("controller-replicaset")

        // The peer: the same number of api writes (a metadata patch each) from 5 concurrent clients, the
        // controller's worker count: the rate a write-bound reconcile cannot exceed.
        let p0 = BusClock.nowNs()
        let patchFailures = await concurrently(count: objects, concurrency: 5, what: "patch") { i in
            _ = try await client.patch(
                kind: "ReplicaSet", namespace: namespace, name: "rs-\(i)",
                patch: ["metadata": ["annotations": ["kubus.io/bench": .string(String(i))]]])
        }
        if patchFailures > 0 { report.note("peer: \(patchFailures) of \(objects) api patches failed") }
        let peer = Double(objects) / (Double(BusClock.nowNs() - p0) / 1e9)
        print(String(format: "  peer: %d api patches from 5 clients: %.0f/s", objects, peer))
        report.record("ctl.api.patch", "api patches/s, 5 clients (the peer)", peer, unit: "/s")

        // 2. A fresh controller again: every status is current, so each reconcile reads the caches and writes nothing.
        if let r = try await measurePass(cluster, bus: bus, reconciles: total) {
            print(
                String(
                    format: "  pass 2, nothing to write: %d reconciles in %.2f s, %d errors", r.count, r.seconds,
                    r.errors))
            report.record(
                "ctl.reconcile.noop", "replicaset reconciles/s, nothing to write", Double(r.count) / r.seconds,
                unit: "/s")
        }
        report.addRatio(
            "ctl.ratio", "reconciles with a write ÷ api patches", numerator: "ctl.reconcile.write",
            denominator: "ctl.api.patch")
        _ = try? await client.delete(kind: "Namespace", namespace: nil, name: namespace)
    }

    /// Starts the replicaset controller and polls its status until its reconcile count reaches `reconciles` (or
    /// stops moving for 10 s); returns the count and the controller's own time from its first reconcile's start
    /// to its last one's end.
    func measurePass(_ cluster: BenchCluster, bus: BusClient, reconciles: Int) async throws -> (
        count: Int, errors: Int, seconds: Double
    )? {
        try cluster.start("controller", as: "controller-replicaset", args: ["replicaset", "--workers", "5"])
        var last: (count: Int, errors: Int, seconds: Double) = (0, 0, 0)
        var lastChange = Date()
        let start = Date()
        while Date().timeIntervalSince(start) < 300 {
            guard cluster.isRunning("controller-replicaset") else {
                throw BenchCluster.Failure(
                    "kubus-controller replicaset exited; log:\n\(cluster.log("controller-replicaset").suffix(1500))")
            }
            if let s = await controllerStatus(bus, "replicaset"), s.leader {
                if s.reconciles != last.count {
                    last = (s.reconciles, s.errors, s.activeSeconds)
                    lastChange = Date()
                }
                if s.reconciles >= reconciles { break }
            }
            if last.count > 0 && Date().timeIntervalSince(lastChange) > 10 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard last.count > 1, last.seconds > 0 else {
            report.note("reconcile pass: the replicaset controller did no measurable work")
            return nil
        }
        if last.count < reconciles {
            report.note("reconcile pass: \(last.count) of \(reconciles) reconciles seen")
        }
        return last
    }
}

extension BenchCommand {
    struct ControllersBenchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "controllers",
            abstract:
                "A 100-replica Deployment: time to available and to roll, on sim and process pods; reconciles/s; controller memory."
        )
        @OptionGroup var options: BenchOptions
        @Option(help: "Where the pods run, comma-separated: sim (simulated nodes), process (a real kubelet, root).")
        var runtime: String = "sim,process"
        @Option(help: "Deployment replicas (default 100; --quick 20).")
        var replicas: Int?
        @Option(help: "Simulated nodes for the sim runtime.")
        var nodes: Int = 10
        @Option(
            help:
                "ReplicaSets for the work-queue throughput part, after the sim run (0 skips it; default 2,000; --quick 300)."
        )
        var reconcileObjects: Int?

        var runtimes: [String] { runtime.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }

        func validate() throws {
            for r in runtimes where !["sim", "process", "runc"].contains(r) {
                throw ValidationError("--runtime: \"\(r)\" is not one of sim, process, runc")
            }
            if let replicas, replicas < 1 { throw ValidationError("--replicas: must be at least 1") }
            guard nodes >= 1 else { throw ValidationError("--nodes: must be at least 1") }
        }

        func run() async throws {
            let replicas = replicas ?? (options.quick ? 20 : 100)
            let objects = reconcileObjects ?? (options.quick ? 300 : 2_000)
            try await benchMain(options) { p in
                for r in runtimes {
                    try await p.deploymentRollout(
                        runtime: r, replicas: replicas, nodes: nodes, reconcileObjects: objects)
                }
            }
        }
    }
}
