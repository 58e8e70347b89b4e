import ArgumentParser
import Bus
import Client
import Foundation
import LoadKit
import Schema
import ServiceKit
import Synchronization

/// kube-scheduler's published CI floor for the same workload (scheduler_perf `SchedulingBasic`, 5,000 nodes and
/// 10,000 pods): a published figure, not run here.
let kubeSchedulerPublishedFloor = 680.0

/// Records when each pod of a run was first seen bound (`spec.nodeName`) and Running, from the bus's Pod events.
final class PodWatch: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var boundAt: [String: Int64] = [:]
    private(set) var runningAt: [String: Int64] = [:]
    private(set) var readyAt: [String: Int64] = [:]
    private var subscriber: Subscriber?
    private var task: Task<Void, Never>?
    let prefix: String

    /// Subscribes to `event/Pod/<namespace>/<prefix>`.
    init(endpoints: BusEndpoints, namespace: String, prefix: String) throws {
        self.prefix = prefix
        let topic = "event/Pod/\(namespace)/\(prefix)"
        let subscriber = try Subscriber(endpoints: endpoints, topics: [topic])
        self.subscriber = subscriber
        task = Task { [self] in
            for await m in subscriber.messages {
                let now = BusClock.nowNs()
                guard let pod = try? JSONValue.parse(m.payload) else { continue }
                let name = pod["metadata"]?["name"]?.stringValue ?? ""
                let bound = !(pod["spec"]?["nodeName"]?.stringValue ?? "").isEmpty
                let running = pod["status"]?["phase"]?.stringValue == "Running"
                let ready = (pod["status"]?["conditions"]?.arrayValue ?? []).contains {
                    $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
                }
                lock.withLock {
                    if bound && boundAt[name] == nil { boundAt[name] = now }
                    if running && runningAt[name] == nil { runningAt[name] = now }
                    if ready && readyAt[name] == nil { readyAt[name] = now }
                }
            }
        }
    }

    var bound: Int { lock.withLock { boundAt.count } }
    var running: Int { lock.withLock { runningAt.count } }
    var lastBound: Int64? { lock.withLock { boundAt.values.max() } }
    var lastRunning: Int64? { lock.withLock { runningAt.values.max() } }
    func runningTime(_ name: String) -> Int64? { lock.withLock { runningAt[name] } }
    func boundTime(_ name: String) -> Int64? { lock.withLock { boundAt[name] } }
    func readyTime(_ name: String) -> Int64? { lock.withLock { readyAt[name] } }

    func close() {
        subscriber?.close()
        task?.cancel()
    }
}

/// Waits until `current()` reaches `count`, or did not change for `stall` seconds.
func waitForCount(_ count: Int, stall: Double, _ current: () -> Int) async {
    var last = -1
    var lastChange = Date()
    while true {
        let n = current()
        if n >= count { return }
        if n != last {
            last = n
            lastChange = Date()
        } else if Date().timeIntervalSince(lastChange) > stall {
            return
        }
        try? await Task.sleep(for: .milliseconds(20))
    }
}

/// A small pod for the benches: one container, 100m CPU and 128Mi requested.
func benchPod(_ name: String, namespace: String, command: [String]? = nil, image: String = "busybox") -> JSONValue {
    var container: JSONValue = [
        "name": "c", "image": .string(image),
        "resources": ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["memory": "128Mi"]],
    ]
    if let command { container["command"] = .array(command.map { .string($0) }) }
    return [
        "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": .string(namespace)],
        "spec": ["containers": [container], "terminationGracePeriodSeconds": 1],
    ]
}

/// Creates `count` objects from `make` with `concurrency` creators; returns the number of failures.
func createAll(
    _ client: KubusClient, count: Int, concurrency: Int, make: @escaping @Sendable (Int) -> JSONValue
) async -> Int {
    await concurrently(count: count, concurrency: concurrency, what: "create") { i in
        _ = try await client.create(make(i))
    }
}

/// Runs `body(0) … body(count - 1)` from `concurrency` tasks; returns how many threw (the first error is printed).
func concurrently(
    count: Int, concurrency: Int, what: String, _ body: @escaping @Sendable (Int) async throws -> Void
) async -> Int {
    final class Counters: Sendable {
        let next = Atomic<Int>(0)
        let failures = Atomic<Int>(0)
    }
    let counters = Counters()
    await withDiscardingTaskGroup { group in
        for _ in 0..<concurrency {
            group.addTask {
                while true {
                    let i = counters.next.add(1, ordering: .relaxed).oldValue
                    if i >= count { return }
                    do {
                        try await body(i)
                    } catch {
                        if counters.failures.add(1, ordering: .relaxed).oldValue == 0 {
                            print("  first \(what) failure: \(error)")
                        }
                    }
                }
            }
        }
    }
    return counters.failures.load(ordering: .relaxed)
}

/// Counts objects of a kind by paging through a list.
func countObjects(_ client: KubusClient, kind: String, namespace: String? = nil) async throws -> Int {
    var n = 0
    var token: String?
    repeat {
        let page = try await client.list(kind: kind, namespace: namespace, limit: 1000, continue: token)
        n += page.items.count
        token = page.continue
    } while token != nil
    return n
}

extension BenchParts {
    /// Starts bus, store, api, scheduler and a kubelet; returns a client, or throws with the failing service's log.
    func startNodeCluster(_ cluster: BenchCluster, kubeletArgs: [String]) async throws -> (BusClient, KubusClient) {
        guard try await startControlPlane(cluster) else { throw BenchCluster.Failure("kubus-api is needed") }
        try cluster.start("scheduler")
        guard await cluster.waitReady("bus") else { throw BenchCluster.Failure("bus gone") }
        try startKubelet(cluster, as: "kubelet", args: kubeletArgs)
        let bus = try BusClient(endpoints: cluster.endpoints)
        return (bus, KubusClient(bus: bus, timeout: .seconds(60)))
    }

    /// Starts a kubelet as `name` with its own state folder. A kubelet leaves its pods running when it stops:
    /// unless it is simulated, once every process is down its state folder's containers, mounts and pod addresses
    /// are removed (`kubus-kubelet cleanup`).
    @discardableResult
    func startKubelet(_ cluster: BenchCluster, as name: String, args: [String]) throws -> Process {
        let process = try cluster.start("kubelet", as: name, args: args)
        if let i = args.firstIndex(of: "--runtime"), args[i + 1] == "sim" { return process }
        var cleanup = ["cleanup", "--state-dir", "\(cluster.dir)/\(name)"]
        for flag in ["--network", "--bridge", "--cluster-cidr"] {
            if let n = args.firstIndex(of: flag) { cleanup += [flag, args[n + 1]] }
        }
        // A private bridge goes too once its last node is gone.
        if args.contains("--bridge") { cleanup.append("--remove-node-address") }
        let path = "\(cluster.bin)/kubus-kubelet"
        cluster.afterStop {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: path)
            p.arguments = cleanup
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            if (try? p.run()) != nil { p.waitUntilExit() }
        }
        return process
    }

    /// Waits until `count` nodes exist and are known to be Ready; fails when the kubelet exits.
    func waitForNodes(_ cluster: BenchCluster, client: KubusClient, count: Int, timeout: Double) async throws -> Double
    {
        let start = Date()
        while Date().timeIntervalSince(start) < timeout {
            guard cluster.isRunning("kubelet") else {
                throw BenchCluster.Failure("kubus-kubelet exited; log:\n\(cluster.log("kubelet").suffix(1500))")
            }
            if (try? await countObjects(client, kind: "Lease", namespace: "kube-node-lease")) ?? 0 >= count {
                return Date().timeIntervalSince(start)
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw BenchCluster.Failure(
            "\(count) nodes did not register in \(Int(timeout)) s; kubelet log:\n\(cluster.log("kubelet").suffix(1500))"
        )
    }

    // MARK: scheduler throughput

    func scheduler(nodes: Int, pods: Int, creators: Int, leaseRenewSeconds: Int) async throws {
        header("scheduler: \(nodes) simulated nodes, \(pods) pods (100m CPU, 128Mi), \(creators) concurrent creators")
        print(
            "  peer: kube-scheduler's published CI floor for scheduler_perf SchedulingBasic (5,000 nodes, 10,000 pods): "
                + "\(Int(kubeSchedulerPublishedFloor)) pods/s — a published figure, not run here")
        for run in 0..<options.runs {
            try await withBenchCluster { cluster in
                let (bus, client) = try await startNodeCluster(
                    cluster,
                    kubeletArgs: [
                        "--runtime", "sim", "--sim-nodes", String(nodes), "--node-name", "bench",
                        "--sim-lease-renew-seconds", String(leaseRenewSeconds),
                    ])
                defer { bus.close() }
                let registered = try await waitForNodes(cluster, client: client, count: nodes, timeout: 600)
                print(
                    "  run \(run + 1): \(nodes) nodes and leases registered in \(String(format: "%.1f", registered)) s")
                report.record("sched.register", "sim kubelet: register \(nodes) nodes + leases", registered, unit: "s")
                // The scheduler's node informer follows the same events; give it a moment to apply the last ones.
                try await Task.sleep(for: .seconds(2))
                let prefix = "s\(BusClock.randomID().prefix(6).lowercased())-"
                let watch = try PodWatch(endpoints: cluster.endpoints, namespace: "default", prefix: prefix)
                defer { watch.close() }
                try await Task.sleep(for: .milliseconds(300))
                let cpu = ServiceCPU(cluster, ["bus", "store", "api", "scheduler", "kubelet"])
                let t0 = BusClock.nowNs()
                let failures = await createAll(client, count: pods, concurrency: creators) { i in
                    benchPod("\(prefix)\(i)", namespace: "default")
                }
                let created = BusClock.nowNs()
                await waitForCount(pods - failures, stall: 30) { watch.bound }
                var bound = watch.bound
                let t1 = watch.lastBound ?? BusClock.nowNs()
                if bound < pods - failures {
                    // Events can be lost under load; the list is the truth for the count, the time stays the last event's.
                    let items = try await client.list(kind: "Pod", namespace: "default", limit: 100_000).items
                    bound =
                        items.filter {
                            ($0["metadata"]?["name"]?.stringValue ?? "").hasPrefix(prefix)
                                && $0["spec"]?["nodeName"]?.stringValue != nil
                        }.count
                    report.note(
                        "scheduler: \(pods - failures - watch.bound) bind events not seen on the bus; counted by list")
                }
                let seconds = Double(t1 - t0) / 1e9
                let rate = Double(bound) / seconds
                print(
                    String(
                        format:
                            "  created %d pods in %.2f s (%d failed), %d bound; first create → last bind %.2f s: %.0f pods/s",
                        pods - failures, Double(created - t0) / 1e9, failures, bound, seconds, rate))
                report.record("sched.rate", "scheduler pods bound/s (\(nodes) nodes)", rate, unit: "/s")
                let used = cpu.used().map { "\($0.name) \(String(format: "%.1f", $0.seconds)) s" }
                print(
                    "  CPU while scheduling: \(used.joined(separator: ", ")) (wall \(String(format: "%.1f", seconds)) s)"
                )
                // The sim kubelet's side: every bound pod reported Running (one status write each).
                await waitForCount(bound, stall: 30) { watch.running }
                if let t2 = watch.lastRunning {
                    let running = Double(watch.running) / (Double(t2 - t0) / 1e9)
                    print(
                        String(
                            format: "  %d Running; first create → last Running %.2f s: %.0f pods/s",
                            watch.running, Double(t2 - t0) / 1e9, running))
                    report.record("sched.running", "sim kubelet: pods reported Running/s", running, unit: "/s")
                }
                report.record(
                    "sched.ratio", "  ÷ kube-scheduler's published 680/s (not run here)",
                    rate / kubeSchedulerPublishedFloor,
                    unit: "x")
                if let v = cluster.rssMiB("scheduler") {
                    report.record("sched.rss", "scheduler RSS (\(nodes) nodes, \(pods) pods)", v, unit: "MiB")
                }
                if let v = cluster.rssMiB("kubelet") {
                    report.record("sched.kubelet.rss", "sim kubelet RSS (\(nodes) nodes)", v, unit: "MiB")
                }
                if let v = cluster.rssMiB("api") { report.record("sched.api.rss", "api RSS", v, unit: "MiB") }
            }
        }
    }

    // MARK: pod startup latency

    func podStartup(runtime: String, count: Int, concurrency: Int, oneAtATime: Bool, settle: Int) async throws {
        header(
            "pod startup: \(count) pods on one node (--runtime \(runtime)), create → Running"
                + (oneAtATime ? ", one at a time" : ", \(concurrency) creators"))
        if runtime != "sim" {
            print("  note: needs the real kubus-kubelet --runtime \(runtime) (root for namespaces and cgroups)")
        }
        for run in 0..<options.runs {
            if run > 0, settle > 0 {
                print("  settling \(settle) s before the next run (--settle)")
                try await Task.sleep(for: .seconds(settle))
            }
            try await withBenchCluster { cluster in
                let node = "benchpods-\(BusClock.randomID().prefix(6).lowercased())"
                // Loopback pod addresses: the bench touches no host network configuration.
                // Capacity for every pod: the bench pods request 100m CPU each, and a 2-core host fits only 20.
                var args = [
                    "--runtime", runtime, "--node-name", node, "--network", "loopback", "--cpu", "64", "--memory",
                    "256Gi",
                ]
                if runtime == "sim" { args = ["--runtime", "sim", "--sim-nodes", "1", "--node-name", node] }
                let (bus, client) = try await startNodeCluster(cluster, kubeletArgs: args)
                defer { bus.close() }
                _ = try await waitForNodes(cluster, client: client, count: 1, timeout: 60)
                try await Task.sleep(for: .seconds(1))
                let prefix = "p\(BusClock.randomID().prefix(6).lowercased())-"
                let watch = try PodWatch(endpoints: cluster.endpoints, namespace: "default", prefix: prefix)
                defer { watch.close() }
                try await Task.sleep(for: .milliseconds(300))
                let sent = Mutex<[String: Int64]>([:])
                var failures = 0
                // CPU per pod of each service (its own threads; the shims and containers are other processes).
                let cpu = ServiceCPU(cluster, ["bus", "store", "api", "scheduler", "kubelet"])
                if oneAtATime {
                    // One pod on an idle node: each create waits for the pod before it to be Running, then 200 ms.
                    for i in 0..<count {
                        let name = "\(prefix)\(i)"
                        sent.withLock { $0[name] = BusClock.nowNs() }
                        do {
                            _ = try await client.create(
                                benchPod(name, namespace: "default", command: ["sleep", "3600"]))
                        } catch {
                            failures += 1
                            continue
                        }
                        let deadline = Date().addingTimeInterval(30)
                        while watch.runningTime(name) == nil, Date() < deadline {
                            try await Task.sleep(for: .milliseconds(1))
                        }
                        try await Task.sleep(for: .milliseconds(200))
                    }
                } else {
                    failures = await createAll(client, count: count, concurrency: concurrency) { i in
                        let name = "\(prefix)\(i)"
                        sent.withLock { $0[name] = BusClock.nowNs() }
                        return benchPod(name, namespace: "default", command: ["sleep", "3600"])
                    }
                }
                await waitForCount(count - failures, stall: runtime == "sim" ? 10 : 60) { watch.running }
                let cpuPerPod = cpu.used().map { ($0.name, $0.seconds / Double(max(1, watch.running)) * 1e3) }
                var latency = LatencyStats()
                // Where the time goes: create sent → the bind's event (api, scheduler, api) and the bind's event →
                // Running (the kubelet's informer, pod sync, network, container start, its status write).
                var toBound = LatencyStats()
                var boundToRunning = LatencyStats()
                for (name, t) in sent.withLock({ $0 }) {
                    if let r = watch.runningTime(name) { latency.record(ns: r - t) }
                    if let b = watch.boundTime(name) {
                        toBound.record(ns: b - t)
                        if let r = watch.runningTime(name) { boundToRunning.record(ns: r - b) }
                    }
                }
                print(
                    "  run \(run + 1): \(latency.count) of \(count) Running (\(failures) creates failed); \(latency.summary)"
                )
                // The rate a burst is started at: pods Running ÷ (last Running − first create sent).
                let times = sent.withLock { $0 }
                if let first = times.values.min(), let last = watch.lastRunning, last > first, latency.count > 1 {
                    let rate = Double(latency.count) / (Double(last - first) / 1e9)
                    print(
                        String(
                            format: "    %d Running in %.2f s: %.1f pods/s", latency.count, Double(last - first) / 1e9,
                            rate))
                    report.record(
                        "pods.\(runtime).rate",
                        "pods Running per second (\(runtime), \(oneAtATime ? "one at a time" : "burst"))",
                        rate, unit: "/s", goal: oneAtATime ? nil : .atLeast(50))
                }
                let allPerPod = cpuPerPod.map(\.1).reduce(0, +)
                print(
                    "    CPU per pod: "
                        + cpuPerPod.map { "\($0) \(String(format: "%.2f", $1)) ms" }.joined(separator: ", ")
                        + String(format: "; all %.2f ms", allPerPod))
                report.record(
                    "pods.\(runtime).cpu.kubelet", "kubelet CPU per pod (\(runtime), \(oneAtATime ? "one" : "burst"))",
                    cpuPerPod.first { $0.0 == "kubelet" }?.1 ?? 0, unit: "ms")
                report.record(
                    "pods.\(runtime).cpu.all", "services' CPU per pod (\(runtime), \(oneAtATime ? "one" : "burst"))",
                    allPerPod, unit: "ms")
                print("    create → bound: \(toBound.summary)")
                print("    bound → Running: \(boundToRunning.summary)")
                report.record(
                    "pods.\(runtime).bound.p50", "pod startup, create → bound p50 (\(runtime))",
                    Double(toBound.percentile(50)) / 1e6, unit: "ms")
                report.record(
                    "pods.\(runtime).running.p50", "pod startup, bound → Running p50 (\(runtime))",
                    Double(boundToRunning.percentile(50)) / 1e6, unit: "ms")
                report.record(
                    "pods.\(runtime).p50", "pod startup p50 (\(runtime))", Double(latency.percentile(50)) / 1e6,
                    unit: "ms", goal: oneAtATime ? .below(100) : nil)
                report.record(
                    "pods.\(runtime).p99", "pod startup p99 (\(runtime))", Double(latency.percentile(99)) / 1e6,
                    unit: "ms")
                if let v = cluster.rssMiB("kubelet") {
                    report.record("pods.\(runtime).rss", "kubelet RSS (\(count) pods)", v, unit: "MiB")
                }
                // A kubelet leaves its pods running when it stops: delete them first so no process outlives the bench.
                for name in sent.withLock({ Array($0.keys) }) {
                    _ = try? await client.delete(kind: "Pod", namespace: "default", name: name, gracePeriodSeconds: 1)
                }
                let deadline = Date().addingTimeInterval(60)
                while Date() < deadline, (try? await countObjects(client, kind: "Pod", namespace: "default")) ?? 0 > 0 {
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
        }
    }
}

extension BenchCommand {
    struct SchedulerBenchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scheduler",
            abstract:
                "Scheduler throughput: pods bound per second on simulated nodes, next to kube-scheduler's published floor."
        )
        @OptionGroup var options: BenchOptions
        @Option(help: "Simulated nodes (default 5,000; --quick 500).")
        var nodes: Int?
        @Option(help: "Pods to schedule (default 10,000; --quick 1,000).")
        var pods: Int?
        @Option(help: "Concurrent pod creators.")
        var creators: Int = 16
        @Option(
            help: "How often the sim kubelet renews each node's Lease (kubelet: 10 s; longer isolates the scheduler).")
        var leaseRenewSeconds: Int = 10

        func run() async throws {
            let n = nodes ?? (options.quick ? 500 : 5_000)
            let p = pods ?? (options.quick ? 1_000 : 10_000)
            try await benchMain(options) {
                try await $0.scheduler(nodes: n, pods: p, creators: creators, leaseRenewSeconds: leaseRenewSeconds)
            }
        }
    }

    struct PodsBenchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pods", abstract: "Pod startup latency: create → Running, p50 and p99, on one node.")
        @OptionGroup var options: BenchOptions
        @Option(help: "sim (the simulated kubelet) or process (a real kubus-kubelet running the pods).")
        var runtime: String = "sim"
        @Option(help: "Pods to start.")
        var count: Int = 100
        @Option(help: "Concurrent creators.")
        var concurrency: Int = 10
        @Flag(help: "Create each pod once the one before it is Running (a pod on an idle node), not in a burst.")
        var oneAtATime = false
        @Option(
            help: """
                Seconds to wait between runs of a real kubelet, so each run starts on a settled node: ext4 without a \
                journal does not reuse inodes freed in the last 30 s, so a run right after the previous one's teardown \
                is slower (docs/benchmarks.md). Default 35 for process and runc, 0 for sim.
                """)
        var settle: Int?

        func validate() throws {
            guard ["sim", "process", "runc"].contains(runtime) else {
                throw ValidationError("--runtime: must be sim, process or runc")
            }
        }

        func run() async throws {
            try await benchMain(options) {
                try await $0.podStartup(
                    runtime: runtime, count: count, concurrency: concurrency, oneAtATime: oneAtATime,
                    settle: settle ?? (runtime == "sim" ? 0 : 35))
            }
        }
    }
}
