import Bus
import Foundation
import LoadKit
import ServiceKit

#if canImport(Glibc)
    import Glibc
#endif

/// The etcd peer: a real etcd on free loopback ports with a temp data dir, driven through its JSON gateway.
final class EtcdServer: @unchecked Sendable {
    static let path = "/usr/bin/etcd"

    let dir: String
    let clientPort: Int
    private let process: Process
    private var cleanupToken = 0

    init() throws {
        dir = "/tmp/kubus-bench-etcd-\(BusClock.randomID().prefix(10))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        clientPort = try FreePort.one()
        var peerPort = try FreePort.one()
        while peerPort == clientPort { peerPort = try FreePort.one() }
        process = Process()
        process.executableURL = URL(fileURLWithPath: EtcdServer.path)
        process.arguments = [
            "--name", "bench", "--data-dir", "\(dir)/data",
            "--listen-client-urls", "http://127.0.0.1:\(clientPort)", "--advertise-client-urls",
            "http://127.0.0.1:\(clientPort)",
            "--listen-peer-urls", "http://127.0.0.1:\(peerPort)", "--initial-advertise-peer-urls",
            "http://127.0.0.1:\(peerPort)",
            "--initial-cluster", "bench=http://127.0.0.1:\(peerPort)", "--log-level", "warn",
        ]
        _ = FileManager.default.createFile(atPath: "\(dir)/etcd.log", contents: nil)
        let log = FileHandle(forWritingAtPath: "\(dir)/etcd.log")!
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        let p = process
        let d = dir
        cleanupToken = Cleanup.shared.add {
            EtcdServer.kill(p)
            try? FileManager.default.removeItem(atPath: d)
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits until `/health` answers `"health":"true"`.
    func waitHealthy(timeout: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && process.isRunning {
            if let c = try? HTTPConnection(port: clientPort), let r = try? c.request(method: "GET", path: "/health"),
                r.status == 200, String(decoding: r.body, as: UTF8.self).contains("true")
            {
                return true
            }
            usleep(50_000)
        }
        return false
    }

    var log: String { (try? String(contentsOfFile: "\(dir)/etcd.log", encoding: .utf8)) ?? "" }

    private static func kill(_ p: Process) {
        guard p.isRunning else { return }
        Glibc.kill(p.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning {
            Glibc.kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
    }

    func stop() {
        Cleanup.shared.remove(cleanupToken)
        EtcdServer.kill(process)
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// Closed-loop HTTP load: `clients` threads, one keep-alive connection each, `count` requests in all.
enum HTTPLoad {
    static func run(
        port: Int, clients: Int, count: Int, maxSeconds: Double,
        request: @escaping @Sendable (Int) -> (method: String, path: String, body: [UInt8])
    ) throws -> LoadResult {
        let next = AtomicCounter()
        let results = Locked<[LoadResult]>([])
        let group = DispatchGroup()
        let start = BusClock.nowNs()
        let deadline = start + Int64(maxSeconds * 1e9)
        let connections = try (0..<clients).map { _ in try HTTPConnection(port: port) }
        let boxed = connections.map { UncheckedConnection(connection: $0) }
        for box in boxed {
            group.enter()
            let thread = Thread {
                var r = LoadResult()
                while true {
                    let i = next.increment() - 1
                    guard i < count, BusClock.nowNs() < deadline else { break }
                    let (method, path, body) = request(i)
                    let t0 = BusClock.nowNs()
                    do {
                        let reply = try box.connection.request(method: method, path: path, body: body)
                        r.codes[reply.status, default: 0] += 1
                        if reply.status != 200 {
                            r.failures += 1
                            if r.firstFailure == nil {
                                r.firstFailure = String(decoding: reply.body.prefix(300), as: UTF8.self)
                            }
                        }
                    } catch {
                        r.failures += 1
                        if r.firstFailure == nil { r.firstFailure = "\(error)" }
                        r.latency.record(ns: BusClock.nowNs() - t0)
                        r.sent += 1
                        break
                    }
                    r.latency.record(ns: BusClock.nowNs() - t0)
                    r.sent += 1
                }
                let done = r
                results.withLock { $0.append(done) }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        var total = LoadResult()
        for r in results.value {
            total.sent += r.sent
            total.failures += r.failures
            total.firstFailure = total.firstFailure ?? r.firstFailure
            total.latency.merge(r.latency)
            total.codes.merge(r.codes, uniquingKeysWith: +)
        }
        total.seconds = Double(BusClock.nowNs() - start) / 1e9
        return total
    }

    private struct UncheckedConnection: @unchecked Sendable { let connection: HTTPConnection }

    /// The etcd v3 JSON gateway's put of the same ConfigMap the Kubus benchmarks write.
    static func etcdPut(_ i: Int, run: String) -> (method: String, path: String, body: [UInt8]) {
        let name = "e-\(run)-\(i)"
        let key = Data(Payloads.key(name: name).utf8).base64EncodedString()
        let value = Data(Payloads.configMap(name: name).utf8).base64EncodedString()
        return ("POST", "/v3/kv/put", Array(#"{"key":"\#(key)","value":"\#(value)"}"#.utf8))
    }
}

/// etcd's own kind of client: `scripts/peers/etcd_put_bench.go` (clientv3 over gRPC, goroutines sharing one
/// connection, as etcd's `benchmark put`), built with Debian's Go and etcd client sources on first use.
enum EtcdGoClient {
    /// The Go packages the client needs.
    static let packages = "golang-go golang-etcd-server-dev"
    static let goPath = "/usr/share/gocode"

    /// One run's figures, as the client prints them.
    struct Result {
        var clients: Int
        var puts: Int
        var errors: Int
        var seconds: Double
        var perSecond: Double
        var p50: Double
        var p99: Double
    }

    /// The built client: next to the Swift build (`.build/peers/etcd-put-bench`), rebuilt when its source is newer.
    /// Nil, with why, when Go or the etcd client sources are not installed or the build fails.
    static func binary() -> (path: String?, why: String) {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../scripts/peers/etcd_put_bench.go").standardized.path
        guard FileManager.default.fileExists(atPath: source) else {
            return (nil, "\(source) not found (kubus-bench runs from a checkout)")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/go"),
            FileManager.default.fileExists(atPath: "\(goPath)/src/go.etcd.io/etcd/clientv3")
        else {
            return (nil, "needs Go and etcd's client sources: apt-get install -y --no-install-recommends \(packages)")
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let folder = executable.deletingLastPathComponent().appendingPathComponent("../peers").standardized.path
        let binary = folder + "/etcd-put-bench"
        func modified(_ path: String) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        if let built = modified(binary), let written = modified(source), built >= written { return (binary, "") }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let cache = "/tmp/kubus-bench-gocache"
        let (status, output) = run(
            "/usr/bin/go", ["build", "-o", binary, source],
            environment: ["GO111MODULE": "off", "GOPATH": goPath, "GOCACHE": cache])
        guard status == 0 else { return (nil, "go build failed: \(output.suffix(600))") }
        return (binary, "")
    }

    /// Puts for `seconds` with `clients` goroutines on one connection, values of `valueBytes`.
    static func put(
        binary: String, port: Int, clients: Int, seconds: Double, valueBytes: Int
    ) throws -> Result {
        let (status, output) = run(
            binary,
            [
                "--endpoint", "127.0.0.1:\(port)", "--clients", "\(clients)", "--conns", "1",
                "--duration", "\(Int(seconds * 1000))ms", "--val-size", "\(valueBytes)",
            ], environment: [:])
        var fields: [String: String] = [:]
        let words = output.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        for i in stride(from: 0, to: words.count - 1, by: 2) { fields[words[i]] = words[i + 1] }
        guard status == 0, let puts = fields["puts"].flatMap(Int.init),
            let rate = fields["puts_per_s"].flatMap(Double.init)
        else {
            throw BenchCluster.Failure("etcd-put-bench failed (\(status)): \(output.suffix(600))")
        }
        return Result(
            clients: clients, puts: puts, errors: fields["errors"].flatMap(Int.init) ?? 0,
            seconds: fields["seconds"].flatMap(Double.init) ?? seconds, perSecond: rate,
            p50: fields["p50_ms"].flatMap(Double.init) ?? 0, p99: fields["p99_ms"].flatMap(Double.init) ?? 0)
    }

    /// Runs a program to its end: its status and its output (standard output and error together).
    static func run(_ path: String, _ arguments: [String], environment: [String: String]) -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        do {
            try p.run()
        } catch {
            return (-1, "\(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
