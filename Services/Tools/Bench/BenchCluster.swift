import Bus
import Foundation
import UpKit

#if canImport(Glibc)
    import Glibc
#endif

/// Real Kubus service processes started from the folder of the kubus-bench executable, in a private temp folder.
///
/// `shutdown()` (also run on Ctrl-C through `Cleanup`) kills every process it started and removes the folder.
final class BenchCluster: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    let dir: String
    /// The bus, authenticated as the administrator (CurveZMQ, as kubus-up runs it).
    let endpoints: BusEndpoints
    let bin: String
    let keyring: BusKeyring
    /// Whether the bus runs with `--insecure` (no keys).
    let insecure: Bool
    private let lock = NSLock()
    private var processes: [String: Process] = [:]
    private var afterStop: [() -> Void] = []
    private var cleanupToken = 0

    /// - Parameter tcp: put the bus on free loopback TCP ports instead of `ipc://` paths in the folder.
    ///
    /// The folder is under `KUBUS_BENCH_TMP` (default /tmp): `KUBUS_BENCH_TMP=/dev/shm` puts the kubelets' state on
    /// tmpfs, to tell the file system's cost from Kubus' own (docs/benchmarks.md, pod startup).
    init(tcp: Bool = false) throws {
        dir =
            (ProcessInfo.processInfo.environment["KUBUS_BENCH_TMP"] ?? "/tmp")
            + "/kubus-bench-\(BusClock.randomID().prefix(10))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let base =
            tcp
            ? try BusEndpoints(base: "tcp://127.0.0.1:\(try FreePort.consecutive(3))")
            : try BusEndpoints(base: "ipc://\(dir)/bus")
        keyring = BusKeyring(directory: "\(dir)/keys")
        // KUBUS_BENCH_INSECURE=1 runs the bus in plain text, to measure what CurveZMQ costs.
        insecure = ProcessInfo.processInfo.environment["KUBUS_BENCH_INSECURE"] == "1"
        endpoints =
            insecure ? base : base.authenticated(as: try BusCredentials.load(path: try keyring.issueAdministrator()))
        bin = BenchCluster.binaryFolder()
        let dir = self.dir
        cleanupToken = Cleanup.shared.add { [weak self] in
            self?.killAll()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    /// The folder holding this executable (and, after `swift build`, the services).
    static func binaryFolder() -> String {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }

    static func isBuilt(_ service: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: "\(binaryFolder())/kubus-\(service)")
    }

    /// Starts `kubus-<service>` with the cluster's bus and its own state folder `<dir>/<name>`; output goes to
    /// `<dir>/<name>.log`. `name` (default: the service) is how the other methods refer to the process.
    @discardableResult
    func start(_ service: String, as name: String? = nil, args: [String] = []) throws -> Process {
        let name = name ?? service
        let path = "\(bin)/kubus-\(service)"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure("\(path) is not built: run `swift build -c release` first")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        // KUBUS_BENCH_LOG_LEVEL (default warning) is every service's log level; with KUBUS_BENCH_LOGS=DIR the logs are
        // kept there when the cluster stops (to read, say, the kubelet's debug timings of each pod start).
        let level = ProcessInfo.processInfo.environment["KUBUS_BENCH_LOG_LEVEL"] ?? "warning"
        p.arguments = ["--bus", endpoints.base, "--state-dir", "\(dir)/\(name)", "--log-level", level] + args
        var env = ProcessInfo.processInfo.environment
        // KUBUS_BENCH_AUTHORIZATION=AlwaysAllow runs the api without RBAC, to measure what RBAC costs.
        if service == "api", let mode = ProcessInfo.processInfo.environment["KUBUS_BENCH_AUTHORIZATION"] {
            p.arguments! += ["--authorization-mode", mode]
        }
        // KUBUS_BENCH_AUDIT=1 has the api write its audit log (the standard policy: every bench request at Metadata).
        if service == "api", ProcessInfo.processInfo.environment["KUBUS_BENCH_AUDIT"] == "1" {
            p.arguments! += ["--audit-log-path", "\(dir)/\(name)/audit.log"]
        }
        if insecure {
            if service == "bus" { p.arguments! += ["--insecure"] }
        } else {
            env.merge(try keyring.variables(command: "kubus-\(service)", name: name, arguments: p.arguments ?? [])) {
                _, new in new
            }
        }
        p.environment = env
        _ = FileManager.default.createFile(atPath: "\(dir)/\(name).log", contents: nil)
        let log = FileHandle(forWritingAtPath: "\(dir)/\(name).log")!
        p.standardOutput = log
        p.standardError = log
        p.standardInput = FileHandle.nullDevice
        try p.run()
        lock.withLock { processes[name] = p }
        return p
    }

    /// Stops one process gracefully (SIGTERM, SIGKILL after `grace` seconds) and forgets it.
    func stop(_ name: String, grace: Double = 10) {
        guard let p = lock.withLock({ processes.removeValue(forKey: name) }) else { return }
        Self.terminate([p], grace: grace)
    }

    /// Runs `body` once every process has stopped, before the folder is removed (e.g. a kubelet's cleanup).
    func afterStop(_ body: @escaping () -> Void) {
        lock.withLock { afterStop.append(body) }
    }

    /// The endpoints of a user who is not in `system:masters` — `kubus-bench-writer`, bound to the default `edit`
    /// ClusterRole — so the api's RBAC evaluates its bindings for each request as for any real user; the
    /// administrator's endpoints on an insecure bus.
    func writerEndpoints() async throws -> BusEndpoints {
        guard !insecure else { return endpoints }
        let key = try keyring.issue(
            "bench-writer", identity: "kubus-bench-writer", groups: ["kubus:bench-writers"], calls: ["api"])
        let admin = try BusClient(endpoints: endpoints)
        defer { admin.close() }
        let binding =
            #"{"object":{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","#
            + #""metadata":{"name":"kubus-bench-writers"},"subjects":[{"kind":"Group","name":"kubus:bench-writers","#
            + #""apiGroup":"rbac.authorization.k8s.io"}],"roleRef":{"kind":"ClusterRole","name":"edit","#
            + #""apiGroup":"rbac.authorization.k8s.io"}}}"#
        let reply = try await admin.request(service: "api", type: "create", payload: Array(binding.utf8))
        guard reply.code == 201 || reply.code == 409 else {
            throw Failure("cannot bind the bench writer to edit: \(String(decoding: reply.payload, as: UTF8.self))")
        }
        // The broker reads its registry within a second; the api's policy follows the binding within milliseconds.
        try await Task.sleep(for: .milliseconds(1500))
        return endpoints.authenticated(as: try BusCredentials.load(path: key))
    }

    func pid(_ service: String) -> Int32? { lock.withLock { processes[service]?.processIdentifier } }

    func isRunning(_ service: String) -> Bool { lock.withLock { processes[service]?.isRunning ?? false } }

    func rssMiB(_ service: String) -> Double? { pid(service).flatMap(ProcessMemory.rssMiB) }
    /// The service's proportional set size: shared pages split among the processes that map them.
    func pssMiB(_ service: String) -> Double? { pid(service).flatMap(ProcessMemory.pssMiB) }

    func log(_ service: String) -> String {
        (try? String(contentsOfFile: "\(dir)/\(service).log", encoding: .utf8)) ?? ""
    }

    /// Waits until the broker answers; then, for a service, until it has registered a worker.
    /// Returns false when the service's process exited or the time ran out.
    func waitReady(_ service: String, timeout: Double = 20) async -> Bool {
        guard let client = try? BusClient(endpoints: endpoints, attemptTimeout: .milliseconds(300)) else {
            return false
        }
        defer { client.close() }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !isRunning(service) { return false }
            if let reply = try? await client.request(
                service: "bus", type: "services", payload: [], timeout: .seconds(1))
            {
                if service == "bus" { return true }
                if let obj = try? JSONSerialization.jsonObject(with: Data(reply.payload)) as? [String: Any],
                    let services = obj["services"] as? [String: Any], let s = services[service] as? [String: Any],
                    let n = s["workers"] as? Int, n >= 1
                {
                    return true
                }
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    private func killAll() {
        let (all, hooks) = lock.withLock { () -> ([Process], [() -> Void]) in
            defer {
                processes.removeAll()
                afterStop.removeAll()
            }
            return (Array(processes.values), afterStop)
        }
        Self.terminate(all, grace: 5)
        for hook in hooks { hook() }
    }

    private static func terminate(_ all: [Process], grace: Double) {
        for p in all where p.isRunning { kill(p.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        for p in all {
            while p.isRunning && Date() < deadline { usleep(10_000) }
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                p.waitUntilExit()
            }
        }
    }

    /// Stops every process (SIGTERM, then SIGKILL after 5 s) and removes the folder, keeping the logs in
    /// `KUBUS_BENCH_LOGS` when it is set.
    func shutdown() {
        Cleanup.shared.remove(cleanupToken)
        killAll()
        if let keep = ProcessInfo.processInfo.environment["KUBUS_BENCH_LOGS"] {
            let target = "\(keep)/\((dir as NSString).lastPathComponent)"
            try? FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
                if name.hasSuffix(".log") {
                    try? FileManager.default.copyItem(atPath: "\(dir)/\(name)", toPath: "\(target)/\(name)")
                } else if FileManager.default.fileExists(atPath: "\(dir)/\(name)/audit.log") {
                    // The api's audit log (KUBUS_BENCH_AUDIT=1): every request, to count them.
                    try? FileManager.default.copyItem(
                        atPath: "\(dir)/\(name)/audit.log", toPath: "\(target)/\(name)-audit.log")
                }
            }
            print("  logs kept in \(target)")
        }
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// Runs `body` with a fresh cluster and always shuts it down afterwards.
func withBenchCluster<T>(tcp: Bool = false, _ body: (BenchCluster) async throws -> T) async throws -> T {
    let cluster = try BenchCluster(tcp: tcp)
    do {
        let r = try await body(cluster)
        cluster.shutdown()
        return r
    } catch {
        cluster.shutdown()
        throw error
    }
}

/// Free loopback TCP ports.
enum FreePort {
    /// A port the kernel hands out for 127.0.0.1 right now.
    static func one() throws -> Int {
        for _ in 0..<50 {
            if let p = bind(port: 0) { return p }
        }
        throw BenchCluster.Failure("no free loopback port")
    }

    /// The first of `count` consecutive free ports.
    static func consecutive(_ count: Int) throws -> Int {
        for _ in 0..<200 {
            let p = try one()
            guard p + count < 65535 else { continue }
            if (1..<count).allSatisfy({ bind(port: p + $0) != nil }) { return p }
        }
        throw BenchCluster.Failure("no \(count) consecutive free loopback ports")
    }

    /// Binds a TCP socket to 127.0.0.1:port, closes it and returns the bound port, or nil.
    private static func bind(port: Int) -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { return nil }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
