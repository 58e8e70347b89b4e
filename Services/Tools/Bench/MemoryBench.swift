import ArgumentParser
import Bus
import Foundation
import UpKit

/// The default cluster's memory, counted honestly: `kubus-up` with the cluster file a user gets, every process it
/// runs (services, their children such as the ingress's nginx, and the supervisor itself) with its RSS and PSS, and
/// the total PSS, idle and with pods and api load. Once as the file says, once with every `kubus-controller` entry
/// replaced by one `kubus-controller all`, to show what hosting the controllers in one process saves.
extension BenchCommand {
    struct MemoryBenchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "memory",
            abstract: "The default cluster's RSS and PSS per process and in total, idle and under load (root).")
        @OptionGroup var options: BenchOptions
        @Option(help: "The cluster file (default: compose/kubus.yaml of this package).")
        var file: String?
        @Option(help: "Replicas of the Deployment the load runs (busybox sleep, on the cluster's real kubelet).")
        var pods: Int = 20
        @Option(help: "Seconds to wait after the cluster is ready before the idle figures.")
        var settle: Double = 15
        @Option(help: "separate (the file as it is), shared (all controllers in one process), or both.")
        var layout: String = "both"

        func validate() throws {
            guard ["separate", "shared", "both"].contains(layout) else {
                throw ValidationError("--layout: must be separate, shared or both")
            }
            guard pods >= 0 else { throw ValidationError("--pods: must be 0 or more") }
        }

        func run() async throws {
            try await benchMain(options) { parts in
                let path = try file ?? UpContext.current().clusterFilePath(nil)
                let layouts: [ControllerLayout] =
                    layout == "both" ? [.separate, .shared] : [layout == "shared" ? .shared : .separate]
                try await parts.memory(clusterFile: path, layouts: layouts, pods: pods, settle: settle)
            }
        }
    }
}

/// How the controllers of the cluster file are hosted.
enum ControllerLayout: String {
    /// As the file says (one process per controller in compose/kubus.yaml).
    case separate
    /// Every `kubus-controller` entry replaced by one `kubus-controller all`.
    case shared
}

/// One process of the cluster and its memory.
struct ProcessFootprint {
    var name: String
    var pid: Int32
    var rssMiB: Double
    var pssMiB: Double
}

extension BenchParts {
    func memory(clusterFile: String, layouts: [ControllerLayout], pods: Int, settle: Double) async throws {
        header(
            "memory of the default cluster (\(clusterFile)): every process kubus-up runs, RSS and PSS; "
                + "idle, then with \(pods) pods and api writes")
        guard getuid() == 0 else {
            throw BenchCluster.Failure("kubus-bench memory runs the cluster's real kubelet: run it as root")
        }
        for _ in 0..<options.runs {
            for layout in layouts {
                try await memoryRun(clusterFile: clusterFile, layout: layout, pods: pods, settle: settle)
            }
        }
    }

    private func memoryRun(clusterFile: String, layout: ControllerLayout, pods: Int, settle: Double) async throws {
        let cluster = try UpCluster(clusterFile: clusterFile, layout: layout)
        defer { cluster.down() }
        print("\n  layout \(layout.rawValue): starting kubus-up in \(cluster.dir)")
        try cluster.start()
        try await Task.sleep(for: .seconds(settle))

        let idle = cluster.footprints()
        let idlePSS = idle.reduce(0) { $0 + $1.pssMiB }
        print("  idle, \(Int(settle)) s after ready: \(idle.count) processes")
        for f in idle.sorted(by: { $0.pssMiB > $1.pssMiB }) {
            let name = f.name.padding(toLength: max(f.name.count, 32), withPad: " ", startingAt: 0)
            print("    \(name)" + String(format: " pid %7d  RSS %6.1f MiB  PSS %6.1f MiB", f.pid, f.rssMiB, f.pssMiB))
        }
        print(String(format: "    total: RSS %.1f MiB, PSS %.1f MiB", idle.reduce(0) { $0 + $1.rssMiB }, idlePSS))
        let key = "mem.cluster.\(layout.rawValue)"
        let what = layout == .separate ? "a process per controller" : "controllers in one process"
        report.record(
            "\(key).idle", "default cluster total PSS idle, \(what)", idlePSS, unit: "MiB",
            goal: layout == .separate ? .below(120) : nil)
        report.record("\(key).processes", "default cluster processes, \(what)", Double(idle.count), unit: "")
        let controllers = idle.filter { $0.name.contains("controller") || $0.name == "garbage-collector" }
        report.record(
            "\(key).controllers", "controllers' PSS idle, \(what)", controllers.reduce(0) { $0 + $1.pssMiB },
            unit: "MiB")

        guard pods > 0 else { return }
        let ready = try await cluster.deploy(pods: pods)
        print(String(format: "  %d pods Running in %.1f s", pods, ready))
        let withPods = cluster.footprints()
        let podProcesses = cluster.podFootprints()
        let withPodsPSS = withPods.reduce(0) { $0 + $1.pssMiB }
        print(
            String(
                format: "  with %d pods: cluster processes PSS %.1f MiB (kubelet %.1f); the pods' own %d processes "
                    + "(shims and containers) PSS %.1f MiB", pods, withPodsPSS,
                withPods.first { $0.name.hasPrefix("kubelet") }?.pssMiB ?? 0, podProcesses.count,
                podProcesses.reduce(0) { $0 + $1.pssMiB }))
        report.record("\(key).pods", "default cluster total PSS with \(pods) pods, \(what)", withPodsPSS, unit: "MiB")

        // Under load: 8 clients creating ConfigMaps for 10 s; the largest total PSS sampled every 250 ms.
        let peak = try await cluster.peakDuringWrites(seconds: 10, clients: 8)
        print(
            String(
                format: "  during 10 s of api creates (8 clients, %d created): peak total PSS %.1f MiB", peak.1, peak.0)
        )
        report.record("\(key).load", "default cluster peak total PSS under api load, \(what)", peak.0, unit: "MiB")
    }
}

/// A cluster started by `kubus-up` in a private folder, on free loopback ports, with its own kubeconfig.
final class UpCluster: @unchecked Sendable {
    let dir: String
    let stateDir: String
    let bus: String
    let bin = BenchCluster.binaryFolder()
    private let clusterFile: String
    private var cleanupToken = 0
    private let environment: [String: String]

    init(clusterFile source: String, layout: ControllerLayout) throws {
        dir = "/tmp/kubus-bench-\(BusClock.randomID().prefix(10))"
        stateDir = dir + "/state"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        bus = "tcp://127.0.0.1:\(try FreePort.consecutive(3))"
        var file = try ClusterFile.load(path: source)
        if layout == .shared {
            let first = file.services.firstIndex { $0.command == "kubus-controller" }
            if let first {
                var all = file.services[first]
                all.name = "controllers"
                all.args = ["all"]
                all.ready = "controller-\(file.services[first].args.first ?? "replicaset")"
                file.services.removeAll { $0.command == "kubus-controller" }
                file.services.insert(all, at: first)
            }
        }
        // JSON is YAML: kubus-up reads it as it reads compose/kubus.yaml.
        clusterFile = dir + "/cluster.yaml"
        try JSONEncoder().encode(file).write(to: URL(fileURLWithPath: clusterFile))
        var environment = ProcessInfo.processInfo.environment
        environment["KUBUSCONFIG"] = dir + "/kubeconfig"
        environment.removeValue(forKey: "KUBUS_BUS")
        self.environment = environment
        let dir = self.dir
        let stateDir = self.stateDir
        let bin = self.bin
        let env = environment
        cleanupToken = Cleanup.shared.add {
            UpCluster.run(bin + "/kubus-up", ["down", "--state-dir", stateDir], environment: env)
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    /// Runs a command to its end; returns its exit status and output. The output goes through a file, not a pipe:
    /// `kubus-up start` leaves a supervisor behind that would hold a pipe open.
    @discardableResult
    static func run(_ path: String, _ arguments: [String], environment: [String: String]) -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.environment = environment
        let outPath = NSTemporaryDirectory() + "kubus-bench-out-\(BusClock.randomID().prefix(10))"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        guard let out = FileHandle(forWritingAtPath: outPath) else { return (-1, "cannot write \(outPath)") }
        defer { try? out.close() }
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return (-1, "\(path): \(error)") }
        p.waitUntilExit()
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        return (p.terminationStatus, text)
    }

    func kubusctl(_ arguments: [String]) -> (Int32, String) {
        Self.run(bin + "/kubusctl", arguments, environment: environment)
    }

    func start() throws {
        let (status, out) = Self.run(
            bin + "/kubus-up", ["start", "-f", clusterFile, "--state-dir", stateDir, "--bus", bus],
            environment: environment)
        guard status == 0 else { throw BenchCluster.Failure("kubus-up start failed (\(status)):\n\(out.suffix(2000))") }
    }

    func down() {
        Self.run(bin + "/kubus-up", ["down", "--state-dir", stateDir], environment: environment)
        try? FileManager.default.removeItem(atPath: dir)
        Cleanup.shared.remove(cleanupToken)
    }

    /// The supervisor and every process under it, except pods' shims and containers: each service instance, what it
    /// started (the ingress's nginx), and kubus-up's fork server (docs/operations.md).
    func footprints() -> [ProcessFootprint] {
        guard let status = StateDirectory(path: stateDir).readStatus() else { return [] }
        let tree = ProcessTable.read()
        var names: [Int32: String] = [:]
        for instance in status.instances { if let pid = instance.pid { names[pid] = instance.name } }
        var out: [ProcessFootprint] = []
        func add(_ pid: Int32, _ name: String) {
            if let f = ProcessTable.footprint(pid: pid, name: name) { out.append(f) }
            for child in tree.children[pid] ?? [] where !tree.isShim(child) {
                add(child, names[child] ?? "\(name)/\(tree.comm[child] ?? "?")")
            }
        }
        add(status.supervisorPid, "kubus-up (supervisor)")
        // A service whose parent is not the supervisor (started by a supervisor before this one): counted too.
        for (pid, name) in names where !out.contains(where: { $0.pid == pid }) { add(pid, name) }
        return out
    }

    /// The pods' processes: every kubus-shim and what runs under it.
    func podFootprints() -> [ProcessFootprint] {
        let tree = ProcessTable.read()
        var out: [ProcessFootprint] = []
        func add(_ pid: Int32) {
            if let f = ProcessTable.footprint(pid: pid, name: tree.comm[pid] ?? "?") { out.append(f) }
            for child in tree.children[pid] ?? [] { add(child) }
        }
        for pid in tree.comm.keys where tree.isShim(pid) && !tree.isShim(tree.parent[pid] ?? 0) { add(pid) }
        return out
    }

    /// Applies a Deployment of `pods` busybox replicas and waits until all are available; returns the seconds.
    func deploy(pods: Int) async throws -> Double {
        let manifest = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: memory-bench
              namespace: default
            spec:
              replicas: \(pods)
              selector:
                matchLabels: {app: memory-bench}
              template:
                metadata:
                  labels: {app: memory-bench}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                    - name: sleep
                      image: busybox
                      command: [sleep, "3600"]
                      resources:
                        requests: {cpu: 10m, memory: 16Mi}
            """
        let path = dir + "/deployment.yaml"
        try manifest.write(toFile: path, atomically: true, encoding: .utf8)
        let start = Date()
        let (applied, out) = kubusctl(["apply", "-f", path])
        guard applied == 0 else { throw BenchCluster.Failure("kubusctl apply failed: \(out)") }
        let (done, status) = kubusctl(["rollout", "status", "deployment/memory-bench", "--timeout", "180s"])
        guard done == 0 else { throw BenchCluster.Failure("the Deployment did not become available: \(status)") }
        return Date().timeIntervalSince(start)
    }

    /// Creates ConfigMaps from `clients` concurrent clients for `seconds`, sampling the total PSS of the cluster's
    /// processes every 250 ms; returns the largest total and how many ConfigMaps were created.
    func peakDuringWrites(seconds: Double, clients: Int) async throws -> (Double, Int) {
        let endpoints = try BusEndpoints(base: bus).authenticated(
            as: try BusCredentials.load(path: StateDirectory(path: stateDir).adminKeyFile))
        let deadline = Date().addingTimeInterval(seconds)
        let created = try await withThrowingTaskGroup(of: Int.self) { group in
            for c in 0..<clients {
                group.addTask {
                    let client = try BusClient(endpoints: endpoints)
                    defer { client.close() }
                    var n = 0
                    while Date() < deadline {
                        let body =
                            #"{"object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"memory-bench-\#(c)-\#(n)","#
                            + #""namespace":"default"},"data":{"key":"value"}}}"#
                        let reply = try await client.request(service: "api", type: "create", payload: Array(body.utf8))
                        if reply.code == 201 { n += 1 }
                    }
                    return n
                }
            }
            var peak = 0.0
            while Date() < deadline {
                peak = max(peak, footprints().reduce(0) { $0 + $1.pssMiB })
                try await Task.sleep(for: .milliseconds(250))
            }
            var total = 0
            for try await n in group { total += n }
            return (peak, total)
        }
        return created
    }
}
