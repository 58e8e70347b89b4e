import ArgumentParser
import Bus
import Client
import Foundation
import Schema

#if canImport(Glibc)
    import Glibc
#endif

extension BenchParts {
    /// kubus-ingress (with its nginx) against nginx as a plain keep-alive reverse proxy, both in front of one static
    /// nginx serving a 100-byte file, measured with wrk as /work/shared/peers/nginx.sh measures its figure.
    func ingress(seconds: Int, threads: Int, connections: Int, accessLog: Bool) async throws {
        let command = "wrk -t\(threads) -c\(connections) -d\(seconds)s --latency"
        header(
            "ingress: \(command), kubus-ingress and nginx as a keep-alive reverse proxy, to a static nginx (100 bytes)")
        for tool in [NginxPeer.nginxPath, Wrk.path] where !FileManager.default.isExecutableFile(atPath: tool) {
            print("  skipped: \(tool) not found (bash scripts/setup.sh installs nginx-light and wrk)")
            return
        }
        let peer = try NginxPeer()
        defer { peer.stop() }
        guard peer.waitServing() else {
            throw BenchCluster.Failure("the nginx peer did not serve the 100-byte file; log:\n\(peer.log)")
        }
        try await withBenchCluster { cluster in
            guard try await startControlPlane(cluster) else { throw BenchCluster.Failure("kubus-api is needed") }
            let http = try FreePort.one()
            var https = try FreePort.one()
            while https == http { https = try FreePort.one() }
            try cluster.start(
                "ingress",
                args: [
                    "--listen-http", "127.0.0.1:\(http)", "--listen-https", "127.0.0.1:\(https)", "--access-log",
                    "\(accessLog)",
                ])
            guard await cluster.waitReady("ingress") else {
                throw BenchCluster.Failure(
                    "kubus-ingress did not register; log:\n\(cluster.log("ingress").suffix(1500))")
            }
            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            try await Self.routeEverything(to: peer.backendPort, api: KubusClient(bus: bus))
            let deadline = Date().addingTimeInterval(20)
            while !NginxPeer.serves100Bytes(port: http) {
                guard Date() < deadline else {
                    throw BenchCluster.Failure(
                        "kubus-ingress did not route to the backend; log:\n\(cluster.log("ingress").suffix(1500))")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            print(
                "  backend 127.0.0.1:\(peer.backendPort), nginx proxy 127.0.0.1:\(peer.proxyPort), "
                    + "kubus-ingress 127.0.0.1:\(http) (access log \(accessLog ? "on" : "off"))"
            )
            print(
                "  versions: \(NginxPeer.version), \(Wrk.version), kernel \(ProcessInfo.processInfo.operatingSystemVersionString), "
                    + "\(ProcessInfo.processInfo.activeProcessorCount) cores, load \(loadAverage())"
            )
            let targets: [(key: String, label: String, port: Int)] = [
                ("ingress.backend", "static nginx backend (direct)", peer.backendPort),
                ("ingress.nginx", "nginx reverse proxy (peer)", peer.proxyPort),
                ("ingress.kubus", "kubus-ingress", http),
            ]
            for _ in 0..<options.runs {
                for target in targets {
                    let r = try Wrk.run(
                        url: "http://127.0.0.1:\(target.port)/index.html", threads: threads, connections: connections,
                        seconds: seconds)
                    print(
                        "  \(target.label): \(Int(r.perSecond)) req/s, p50 \(r.p50) ms, p99 \(r.p99) ms"
                            + (r.errors.isEmpty ? "" : ", " + r.errors)
                    )
                    if !r.errors.isEmpty { report.note("\(target.label): \(r.errors)") }
                    report.record("\(target.key).rps", "\(target.label) req/s", r.perSecond, unit: "/s", goal: nil)
                    report.record("\(target.key).p50", "\(target.label) p50", r.p50, unit: "ms")
                    report.record("\(target.key).p99", "\(target.label) p99", r.p99, unit: "ms")
                }
            }
            report.addRatio(
                "ratio.ingress", "kubus-ingress ÷ nginx proxy, req/s (goal ≥ 1.0)", numerator: "ingress.kubus.rps",
                denominator: "ingress.nginx.rps")
            if let ratio = report.median("ratio.ingress") {
                print(String(format: "  ratio kubus-ingress ÷ nginx: %.2f×", ratio))
            }
            // Memory after the load.
            if let pid = cluster.pid("ingress") {
                record(memory: ProcessTree.memory([pid]), key: "mem.ingress", label: "kubus-ingress")
                let nginxPID = (try? String(contentsOfFile: "\(cluster.dir)/ingress/nginx.pid", encoding: .utf8))
                    .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                if let nginxPID {
                    record(
                        memory: ProcessTree.memory(ProcessTree.withChildren(nginxPID)), key: "mem.ingress.nginx",
                        label: "kubus-ingress's nginx (master+workers)")
                }
            }
            record(
                memory: ProcessTree.memory(ProcessTree.withChildren(peer.pid)), key: "mem.nginx.peer",
                label: "nginx peer (master+workers, also the backend)")
        }
    }

    private func record(memory: (rss: Double, pss: Double), key: String, label: String) {
        report.record("\(key).rss", "\(label) RSS", memory.rss, unit: "MiB")
        report.record("\(key).pss", "\(label) PSS", memory.pss, unit: "MiB")
    }

    /// A selector-less Service with a hand-written EndpointSlice to the backend, and an Ingress sending every
    /// request there.
    static func routeEverything(to port: Int, api: KubusClient) async throws {
        _ = try await api.create(
            Service(
                metadata: ObjectMeta(name: "bench", namespace: "default"),
                spec: ServiceSpec(ports: [ServicePort(name: "http", protocol: "TCP", port: 80, targetPort: .int(port))])
            ))
        _ = try await api.create(
            EndpointSlice(
                metadata: ObjectMeta(
                    name: "bench-1", namespace: "default", labels: [EndpointSlice.serviceNameLabel: "bench"]),
                addressType: "IPv4",
                endpoints: [Endpoint(addresses: ["127.0.0.1"], conditions: EndpointConditions(ready: true))],
                ports: [EndpointSlicePort(name: "http", protocol: "TCP", port: port)]))
        _ = try await api.create(
            Ingress(
                metadata: ObjectMeta(name: "bench", namespace: "default"),
                spec: IngressSpec(
                    ingressClassName: "kubus",
                    rules: [
                        IngressRule(
                            http: HTTPIngressRuleValue(paths: [
                                HTTPIngressPath(
                                    path: "/", pathType: "Prefix",
                                    backend: IngressBackend(
                                        service: IngressServiceBackend(
                                            name: "bench", port: ServiceBackendPort(name: "http"))))
                            ]))
                    ])))
    }
}

/// The peer: one nginx with the static backend (a 100-byte file) and a keep-alive reverse proxy to it, configured
/// exactly as /work/shared/peers/nginx.sh configures it, on free loopback ports.
final class NginxPeer: @unchecked Sendable {
    static let nginxPath = "/usr/sbin/nginx"

    let dir: String
    let backendPort: Int
    let proxyPort: Int
    private let process: Process
    private var cleanupToken = 0

    init() throws {
        dir = "/tmp/kubus-bench-nginx-\(BusClock.randomID().prefix(10))"
        for sub in ["www", "logs", "tmp"] {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(sub)", withIntermediateDirectories: true)
        }
        chmod(dir, 0o755)
        backendPort = try FreePort.one()
        var proxy = try FreePort.one()
        while proxy == backendPort { proxy = try FreePort.one() }
        proxyPort = proxy
        try (String(repeating: "a", count: 99) + "\n").write(
            toFile: "\(dir)/www/index.html", atomically: true, encoding: .utf8)
        let config = """
            worker_processes auto;
            pid \(dir)/nginx.pid;
            error_log \(dir)/logs/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path \(dir)/tmp/body; proxy_temp_path \(dir)/tmp/proxy;
              fastcgi_temp_path \(dir)/tmp/fcgi; uwsgi_temp_path \(dir)/tmp/uwsgi; scgi_temp_path \(dir)/tmp/scgi;
              keepalive_requests 1000000;
              upstream backend { server 127.0.0.1:\(backendPort); keepalive 128; }
              server {
                listen 127.0.0.1:\(backendPort);
                root \(dir)/www;
                location / { default_type text/plain; }
              }
              server {
                listen 127.0.0.1:\(proxyPort);
                location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
              }
            }

            """
        try config.write(toFile: "\(dir)/nginx.conf", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.nginxPath)
        process.arguments = ["-p", dir, "-c", "\(dir)/nginx.conf", "-g", "daemon off; master_process on;"]
        _ = FileManager.default.createFile(atPath: "\(dir)/logs/stdout", contents: nil)
        let log = FileHandle(forWritingAtPath: "\(dir)/logs/stdout")!
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        let p = process
        let d = dir
        cleanupToken = Cleanup.shared.add {
            NginxPeer.terminate(p)
            try? FileManager.default.removeItem(atPath: d)
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    var log: String {
        ((try? String(contentsOfFile: "\(dir)/logs/stdout", encoding: .utf8)) ?? "")
            + ((try? String(contentsOfFile: "\(dir)/logs/error.log", encoding: .utf8)) ?? "")
    }

    /// Waits until the proxy serves the 100-byte file.
    func waitServing(timeout: Double = 15) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && process.isRunning {
            if Self.serves100Bytes(port: proxyPort) { return true }
            usleep(50_000)
        }
        return false
    }

    static func serves100Bytes(port: Int) -> Bool {
        guard let c = try? HTTPConnection(port: port), let r = try? c.request(method: "GET", path: "/index.html") else {
            return false
        }
        return r.status == 200 && r.body.count == 100
    }

    static var version: String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: nginxPath)
        p.arguments = ["-v"]
        let pipe = Pipe()
        p.standardError = pipe
        p.standardOutput = pipe
        guard (try? p.run()) != nil else { return "nginx ?" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text.replacingOccurrences(of: "nginx version: ", with: "").trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    private static func terminate(_ p: Process) {
        guard p.isRunning else { return }
        kill(p.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
    }

    func stop() {
        Cleanup.shared.remove(cleanupToken)
        Self.terminate(process)
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// wrk, run and read as /work/shared/peers/lib.sh reads it (req/s, and p50 and p99 from --latency, in ms).
enum Wrk {
    static let path = "/usr/bin/wrk"

    struct Result {
        var perSecond: Double
        var p50: Double
        var p99: Double
        /// wrk's "Non-2xx" and "Socket errors" lines, if any.
        var errors: String
    }

    static func run(url: String, threads: Int, connections: Int, seconds: Int) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--latency", url]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        var result = Result(perSecond: 0, p50: 0, p99: 0, errors: "")
        var errors: [String] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Requests/sec:"), fields.count > 1 { result.perSecond = Double(fields[1]) ?? 0 }
            if fields.count == 2, fields[0] == "50%" { result.p50 = milliseconds(String(fields[1])) }
            if fields.count == 2, fields[0] == "99%" { result.p99 = milliseconds(String(fields[1])) }
            if line.contains("Non-2xx") || line.contains("Socket errors") {
                errors.append(line.trimmingCharacters(in: .whitespaces))
            }
        }
        result.errors = errors.joined(separator: "; ")
        guard result.perSecond > 0 else { throw BenchCluster.Failure("wrk gave no Requests/sec:\n\(text)") }
        return result
    }

    /// `396.00us`, `1.23ms`, `1.01s` in milliseconds.
    static func milliseconds(_ text: String) -> Double {
        if text.hasSuffix("us") { return (Double(text.dropLast(2)) ?? 0) / 1000 }
        if text.hasSuffix("ms") { return Double(text.dropLast(2)) ?? 0 }
        if text.hasSuffix("s") { return (Double(text.dropLast(1)) ?? 0) * 1000 }
        return Double(text) ?? 0
    }

    static var version: String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["-v"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        guard (try? p.run()) != nil else { return "wrk ?" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text.split(separator: "\n").first.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
            ?? "wrk ?"
    }
}

/// Memory of a process and its children, from /proc.
enum ProcessTree {
    /// `pid` and its direct children (nginx's master and workers).
    static func withChildren(_ pid: Int32) -> [Int32] {
        [pid] + (ProcessTable.read().children[pid] ?? [])
    }

    /// The summed RSS and PSS of `pids`, in MiB (PSS counts shared pages once across them).
    static func memory(_ pids: [Int32]) -> (rss: Double, pss: Double) {
        (pids.compactMap(ProcessMemory.rssMiB).reduce(0, +), pids.compactMap(ProcessMemory.pssMiB).reduce(0, +))
    }
}

extension BenchCommand {
    struct IngressBenchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingress",
            abstract: "kubus-ingress against nginx as a keep-alive reverse proxy, with wrk; and their memory.",
            discussion: """
                Starts bus, store, api and kubus-ingress (HTTP on a free port of 127.0.0.1), and one nginx holding \
                the static backend (a 100-byte file) and the peer proxy, configured as /work/shared/peers/nginx.sh \
                does. An Ingress sends every request through kubus-ingress to that backend. wrk then measures the \
                backend directly, the peer proxy and kubus-ingress, --runs times each (medians in the table).
                """)
        @OptionGroup var options: BenchOptions
        @Option(help: "Seconds per wrk run (default 15, as nginx.sh; --quick 3).")
        var duration: Int?
        @Option(help: "wrk threads.")
        var threads = 2
        @Option(help: "wrk connections.")
        var connections = 64
        @Option(help: "kubus-ingress's --access-log (its default: true).")
        var accessLog = true

        func run() async throws {
            let seconds = duration ?? (options.quick ? 3 : 15)
            try await benchMain(options) { p in
                try await p.ingress(seconds: seconds, threads: threads, connections: connections, accessLog: accessLog)
            }
        }
    }
}
