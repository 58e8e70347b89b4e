import ArgumentParser
import Bus
import Client
import Foundation
import Schema
import Soak

#if canImport(Glibc)
    import Glibc
#endif

extension BenchParts {
    /// Pod churn of every kind of failure on real kubelets for `minutes`, with a kubelet joining and leaving every
    /// other round; reports what was churned, the kubelets' crashes (goal 0) and their memory at the start and end.
    func soak(minutes: Double, kubelets: Int) async throws {
        header(
            "soak: \(String(format: "%g", minutes)) min of pod churn (every kind of failure) on \(kubelets) process kubelets"
        )
        guard getuid() == 0 else {
            print("  skipped: needs root (the process runtime's namespaces and cgroups)")
            return
        }
        try await withBenchCluster { cluster in
            guard try await startControlPlane(cluster) else { throw BenchCluster.Failure("kubus-api is needed") }
            try cluster.start("scheduler")
            // netns pods on a private bridge and pod range, removed with the cluster.
            let suffix = BusClock.randomID().prefix(5).lowercased()
            let network = ["--bridge", "ksk\(suffix)", "--cluster-cidr", "10.\(Int.random(in: 200...250)).0.0/16"]
            let nodes = (0..<kubelets).map { "soak-\(suffix)-\($0)" }
            for node in nodes {
                try startKubelet(
                    cluster, as: "kubelet-\(node)",
                    args: ["--runtime", "process", "--node-name", node, "--initial-backoff-seconds", "1"] + network)
                try await waitForNode(cluster, name: node)
            }
            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let client = KubusClient(bus: bus, timeout: .seconds(30))
            let pids = nodes.compactMap { cluster.pid("kubelet-\($0)") }
            let rssStart = nodes.compactMap { cluster.rssMiB("kubelet-\($0)") }
            let pssStart = pids.compactMap(ProcessMemory.pssMiB)

            var configuration = PodChurn.Configuration()
            configuration.podsPerKind = 2
            let churn = PodChurn(client: client, configuration: configuration)
            try await churn.prepare()
            let start = ContinuousClock.now
            let deadline = start + .milliseconds(Int64(minutes * 60_000))
            var summary = PodChurn.Summary()
            let visitor = "soak-\(suffix)-visitor"
            var crashes: [String] = []
            repeat {
                let visiting = summary.rounds % 2 == 1
                if visiting {
                    try startKubelet(
                        cluster, as: "kubelet-\(visitor)",
                        args: ["--runtime", "process", "--node-name", visitor] + network)
                }
                try await churn.round(summary.rounds, into: &summary)
                summary.rounds += 1
                if visiting {
                    if !cluster.isRunning("kubelet-\(visitor)") { crashes.append("\(visitor) exited by itself") }
                    // Leaving as an operator would take a node out: cordoned, stopped, its Node deleted, so the
                    // scheduler sends no pod to a node whose kubelet is gone.
                    _ = try? await client.patch(
                        kind: "Node", namespace: nil, name: visitor, patch: ["spec": ["unschedulable": true]])
                    cluster.stop("kubelet-\(visitor)", grace: 30)
                    _ = try? await client.delete(kind: "Node", namespace: nil, name: visitor)
                }
                for node in nodes where !cluster.isRunning("kubelet-\(node)") {
                    crashes.append("kubelet \(node) died in round \(summary.rounds)")
                }
                let elapsed = Double((ContinuousClock.now - start).milliseconds) / 60_000
                let rssNow = nodes.compactMap { cluster.rssMiB("kubelet-\($0)") }.max() ?? 0
                print(
                    String(
                        format:
                            "  %.1f min: %d rounds, %d pods created, %d exec, %d logs, %d failures, %d crashes, kubelet RSS %.1f MiB",
                        elapsed, summary.rounds, summary.podsCreated, summary.execCalls, summary.logsCalls,
                        summary.failures, crashes.count, rssNow))
            } while ContinuousClock.now < deadline && crashes.isEmpty
            let rssEnd = nodes.compactMap { cluster.rssMiB("kubelet-\($0)") }
            let pssEnd = pids.compactMap(ProcessMemory.pssMiB)
            let minutesRun = Double((ContinuousClock.now - start).milliseconds) / 60_000
            for message in summary.failureMessages { print("  failure: \(message)") }
            for crash in crashes { print("  CRASH: \(crash)") }
            report.record("soak.minutes", "soak: minutes of churn", minutesRun, unit: "min")
            report.record("soak.pods", "soak: pods created and deleted", Double(summary.podsCreated), unit: "")
            report.record(
                "soak.calls", "soak: exec + logs calls", Double(summary.execCalls + summary.logsCalls), unit: "")
            report.record("soak.failures", "soak: calls that failed", Double(summary.failures), unit: "")
            report.record("soak.crashes", "soak: kubelet crashes (goal 0)", Double(crashes.count), unit: "")
            if let first = rssStart.max(), let last = rssEnd.max() {
                report.record("soak.rss.start", "soak: kubelet RSS at start (max)", first, unit: "MiB")
                report.record("soak.rss.end", "soak: kubelet RSS at end (max)", last, unit: "MiB")
            }
            if let first = pssStart.max(), let last = pssEnd.max() {
                report.record("soak.pss.start", "soak: kubelet PSS at start (max)", first, unit: "MiB")
                report.record("soak.pss.end", "soak: kubelet PSS at end (max)", last, unit: "MiB")
            }
        }
    }

    /// Waits until the Node `name` is Ready; fails when its kubelet exits.
    func waitForNode(_ cluster: BenchCluster, name: String, timeout: Double = 60) async throws {
        let bus = try BusClient(endpoints: cluster.endpoints)
        defer { bus.close() }
        let client = KubusClient(bus: bus)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard cluster.isRunning("kubelet-\(name)") else {
                throw BenchCluster.Failure(
                    "kubelet \(name) exited; log:\n\(cluster.log("kubelet-\(name)").suffix(1500))")
            }
            let node = try? await client.get(kind: "Node", namespace: nil, name: name)
            let ready = node?["status"]?["conditions"]?.arrayValue?.contains {
                $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
            }
            if ready == true { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw BenchCluster.Failure("node \(name) not Ready in \(Int(timeout)) s")
    }
}

extension BenchCommand {
    struct SoakBenchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "soak",
            abstract: "Pod churn of every kind of failure on real kubelets; crashes (goal 0) and kubelet memory.")
        @OptionGroup var options: BenchOptions
        @Option(help: "Minutes of churn (default 30; --quick 1).")
        var minutes: Double?
        @Option(help: "Process kubelets that stay (a further one joins and leaves every other round).")
        var kubelets: Int = 2

        func run() async throws {
            let length = minutes ?? (options.quick ? 1 : 30)
            try await benchMain(options) { try await $0.soak(minutes: length, kubelets: max(1, kubelets)) }
        }
    }
}
