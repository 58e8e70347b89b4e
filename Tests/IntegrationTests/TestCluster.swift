import Bus
import Client
import Foundation
import Testing
import UpKit

#if canImport(Glibc)
    import Glibc
#endif

/// Real service processes (bus, store, api) on private `ipc://` endpoints in a temporary folder.
///
/// The bus authenticates as kubus-up runs it: CurveZMQ with a key folder in the cluster folder, each process with a
/// key of its own and its service's rights (`BusRights`), and the test itself (`endpoints`) as the administrator.
///
/// Every process is started from the package's build folder; `withCluster` kills them all and removes the
/// folder when the test ends, also when it throws.
final class TestCluster: @unchecked Sendable {
    let dir: String
    /// The bus, authenticated as the administrator.
    let endpoints: BusEndpoints
    let bin: String
    let keyring: BusKeyring
    /// The administrator's key file (kubusctl's).
    let adminKeyFile: String
    let lock = NSLock()
    private(set) var processes: [String: Process] = [:]
    /// Commands `shutdown` runs after the processes are gone (kubelet state folders to clean up).
    private var cleanups: [(executable: String, arguments: [String])] = []
    /// The bridge and pod range every kubelet of this cluster shares (unique per test cluster).
    let kubeletBridge = "kbt\(BusClock.randomID().prefix(6).lowercased())"
    let kubeletClusterCIDR = "10.\(Int.random(in: 200...254)).0.0/16"

    init() throws {
        dir = "/tmp/kubus-it-\(BusClock.randomID().prefix(10))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        keyring = BusKeyring(directory: "\(dir)/keys")
        adminKeyFile = try keyring.issueAdministrator()
        endpoints = try BusEndpoints(base: "ipc://\(dir)/bus").authenticated(
            as: try BusCredentials.load(path: adminKeyFile))
        bin = try TestCluster.binaryFolder()
    }

    /// This process's environment with the bus key of `command` started as `name` (`BusKeyring.variables`).
    func busEnvironment(command: String, name: String, arguments: [String] = []) throws -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["KUBUS_BUS_KEY"] = nil
        env.merge(try keyring.variables(command: command, name: name, arguments: arguments)) { _, new in new }
        return env
    }

    /// The folder with the built executables (`swift build` must have run; .ci/run does it).
    static func binaryFolder() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        for candidate in ["\(root)/.build/debug", "\(root)/.build/release"] {
            if FileManager.default.isExecutableFile(atPath: "\(candidate)/kubus-bus") { return candidate }
        }
        throw ClusterError("the service executables are not built: run `swift build` in \(root) first")
    }

    struct ClusterError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// Starts `kubus-<service>` under `name` (default: the service) with the cluster's bus and a state folder.
    @discardableResult
    func start(_ service: String, name: String? = nil, args: [String] = []) throws -> Process {
        let name = name ?? service
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "\(bin)/kubus-\(service)")
        p.arguments = ["--bus", endpoints.base, "--state-dir", "\(dir)/\(service)", "--log-level", "info"] + args
        p.environment = try busEnvironment(command: "kubus-\(service)", name: name, arguments: p.arguments ?? [])
        // A restarted service appends to its log, so a failure shows both lives.
        if !FileManager.default.fileExists(atPath: "\(dir)/\(name).log") {
            _ = FileManager.default.createFile(atPath: "\(dir)/\(name).log", contents: nil)
        }
        let log = FileHandle(forWritingAtPath: "\(dir)/\(name).log")!
        log.seekToEndOfFile()
        p.standardOutput = log
        p.standardError = log
        p.standardInput = FileHandle.nullDevice
        try p.run()
        lock.withLock { processes[name] = p }
        return p
    }

    /// Starts a program that is not a Kubus service (a test's HTTP backend) as `name`, logging to `<name>.log`;
    /// `stop` and `shutdown` treat it like the services.
    @discardableResult
    func startProgram(_ name: String, executable: String, args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        // A tool of the test (kubusctl port-forward) talks to the bus as the administrator.
        p.environment = ProcessInfo.processInfo.environment.merging(["KUBUS_BUS_KEY": adminKeyFile]) { _, new in new }
        _ = FileManager.default.createFile(atPath: "\(dir)/\(name).log", contents: nil)
        let log = FileHandle(forWritingAtPath: "\(dir)/\(name).log")!
        p.standardOutput = log
        p.standardError = log
        p.standardInput = FileHandle.nullDevice
        try p.run()
        lock.withLock { processes[name] = p }
        return p
    }

    /// Sends `signal` to the process started as `name` and waits for it to exit.
    func stop(_ name: String, signal: Int32 = SIGTERM) {
        guard let p = lock.withLock({ processes.removeValue(forKey: name) }) else { return }
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
    }

    func pid(_ name: String) -> Int32? { lock.withLock { processes[name]?.processIdentifier } }

    /// Waits until the broker lists `service` with at least `workers` instances.
    func waitForService(_ service: String, workers: Int = 1, timeout: Duration = .seconds(20)) async throws {
        let client = try BusClient(endpoints: endpoints, attemptTimeout: .milliseconds(500))
        defer { client.close() }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let reply = try? await client.request(
                service: "bus", type: "services", payload: [], timeout: .seconds(1)),
                let obj = try? JSONSerialization.jsonObject(with: Data(reply.payload)) as? [String: Any],
                let services = obj["services"] as? [String: Any], let s = services[service] as? [String: Any],
                let n = s["workers"] as? Int, n >= workers
            {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ClusterError(
            "service \(service) did not register \(workers) instance(s) within \(timeout); logs in \(dir)")
    }

    /// Starts bus, store and api and waits until they serve.
    func startControlPlane(apis: Int = 1, apiArgs: [String] = []) async throws {
        try start("bus")
        try start("store")
        for i in 0..<apis { try start("api", name: apis == 1 ? "api" : "api-\(i)", args: apiArgs) }
        try await waitForService("store")
        try await waitForService("api", workers: apis)
    }

    /// The state folder of the kubelet of `node`: outside /tmp, because containers of the process runtime get a
    /// fresh /tmp and must still see the runtime's files (busybox applets) in the state folder.
    func kubeletStateDirectory(_ node: String) -> String { "\(kubeletRoot)/kubelet-\(node)" }

    /// Where the kubelets' state folders live.
    var kubeletRoot: String { "/var/tmp/\((dir as NSString).lastPathComponent)" }

    /// Starts `kubus-kubelet` for `node` with its own state folder, the cluster's test bridge and pod range; the
    /// cluster's shutdown runs `kubus-kubelet cleanup` on that folder, also when the test failed.
    @discardableResult
    func startKubelet(node: String, args: [String] = []) throws -> Process {
        let state = kubeletStateDirectory(node)
        let network = ["--bridge", kubeletBridge, "--cluster-cidr", kubeletClusterCIDR]
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "\(bin)/kubus-kubelet")
        p.arguments =
            ["--bus", endpoints.base, "--state-dir", state, "--log-level", "debug", "--node-name", node]
            + network + ["--node-status-update-frequency", "2"] + args
        let name = "kubelet-\(node)"
        p.environment = try busEnvironment(command: "kubus-kubelet", name: name, arguments: p.arguments ?? [])
        _ = FileManager.default.createFile(atPath: "\(dir)/\(name).log", contents: nil)
        let log = FileHandle(forWritingAtPath: "\(dir)/\(name).log")!
        log.seekToEndOfFile()
        p.standardOutput = log
        p.standardError = log
        p.standardInput = FileHandle.nullDevice
        lock.withLock {
            if !cleanups.contains(where: { $0.arguments.contains(state) }) {
                cleanups.append(
                    (
                        "\(bin)/kubus-kubelet",
                        ["cleanup", "--state-dir", state, "--remove-node-address"] + network
                    ))
            }
        }
        try p.run()
        lock.withLock { processes[name] = p }
        return p
    }

    /// Runs `kubus-<service> arguments` when the cluster shuts down, after its processes have stopped, also when the
    /// test failed (e.g. `kubus-dns cleanup` for an interface the test had it create).
    func cleanUpAfterwards(_ service: String, _ arguments: [String]) {
        lock.withLock { cleanups.append(("\(bin)/kubus-\(service)", arguments)) }
    }

    /// Runs `kubusctl` against this cluster (with `environment` added to this process's); returns its exit
    /// status, stdout and stderr.
    func ctl(_ args: [String], environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String)
    {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "\(bin)/kubusctl")
        p.environment = ProcessInfo.processInfo.environment.merging(["KUBUS_BUS_KEY": adminKeyFile]) { _, new in new }
            .merging(environment) { _, new in new }
        // Options go before a `--`: what follows it is the command `exec` runs.
        if let dash = args.firstIndex(of: "--") {
            p.arguments = Array(args[..<dash]) + ["--bus", endpoints.base] + Array(args[dash...])
        } else {
            p.arguments = args + ["--bus", endpoints.base]
        }
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Read before waiting, so a full pipe cannot block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// Starts a scheduler and one simulated kubelet with `nodes` nodes named `<prefix>-0 …`, and waits until
    /// every node is registered.
    func startSimNodes(prefix: String, nodes: Int, extraArgs: [String] = []) async throws {
        try start("scheduler", args: ["--leader-elect", "false"])
        try start(
            "kubelet", name: "kubelet-\(prefix)",
            args: ["--runtime", "sim", "--sim-nodes", String(nodes), "--node-name", prefix] + extraArgs)
        let client = try BusClient(endpoints: endpoints)
        defer { client.close() }
        let api = KubusClient(bus: client)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if (try? await api.get(kind: "Lease", namespace: "kube-node-lease", name: "\(prefix)-\(nodes - 1)")) != nil
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ClusterError(
            "the simulated nodes \(prefix)-* did not register; log:\n\(log("kubelet-\(prefix)").suffix(1500))")
    }

    func log(_ name: String) -> String {
        (try? String(contentsOfFile: "\(dir)/\(name).log", encoding: .utf8)) ?? ""
    }

    func shutdown() {
        let all = lock.withLock { () -> [Process] in
            defer { processes.removeAll() }
            return Array(processes.values)
        }
        for p in all where p.isRunning { kill(p.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(5)
        for p in all {
            while p.isRunning && Date() < deadline { usleep(20_000) }
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                p.waitUntilExit()
            }
        }
        let commands = lock.withLock { () -> [(executable: String, arguments: [String])] in
            defer { cleanups.removeAll() }
            return cleanups
        }
        for command in commands {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: command.executable)
            p.arguments = command.arguments
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { continue }
            let deadline = Date().addingTimeInterval(30)
            while p.isRunning && Date() < deadline { usleep(20_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        }
        if !commands.isEmpty { try? FileManager.default.removeItem(atPath: kubeletRoot) }
        try? FileManager.default.removeItem(atPath: dir)
    }
}

extension TestCluster {
    /// The end of every service's log in the cluster folder, store and api first: what a failed test prints, so
    /// a failure on CI can be read without the folder (which `shutdown` removes).
    func logTails(characters: Int = 2500) -> String {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasSuffix(".log") }.map { String($0.dropLast(4)) }
        let ordered = ["store", "api"].filter(names.contains) + names.filter { $0 != "store" && $0 != "api" }.sorted()
        return ordered.map { "--- \($0) (\(processState($0))) ---\n\(log($0).suffix(characters))" }.joined(
            separator: "\n")
    }

    /// Whether the process started as `name` runs, or how it ended (a process that died unseen is named so).
    func processState(_ name: String) -> String {
        guard let p = lock.withLock({ processes[name] }) else { return "stopped by the test" }
        if p.isRunning { return "running, pid \(p.processIdentifier)" }
        let how = p.terminationReason == .uncaughtSignal ? "killed by signal" : "exited with status"
        return "pid \(p.processIdentifier) \(how) \(p.terminationStatus)"
    }
}

/// Runs a command to its end and returns what it printed: standard output, and standard error with it when asked.
func runProgram(_ executable: String, _ arguments: [String], withStandardError: Bool) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    if withStandardError { p.standardError = out }
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// Runs `body` with a fresh cluster folder and kills every process it started afterwards.
func withCluster<T>(_ body: (TestCluster) async throws -> T) async throws -> T {
    let cluster = try TestCluster()
    do {
        let r = try await body(cluster)
        cluster.shutdown()
        return r
    } catch {
        Issue.record("cluster logs in \(cluster.dir):\n\(cluster.logTails())")
        cluster.shutdown()
        throw error
    }
}
