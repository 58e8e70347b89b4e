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
