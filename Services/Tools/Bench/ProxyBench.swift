import ArgumentParser
import Bus
import Client
import Foundation
import Schema

#if canImport(Glibc)
    import Glibc
#endif

extension BenchParts {
    /// kubus-proxy's data paths against haproxy in TCP mode, all in front of one static nginx serving a 100-byte file,
    /// measured with wrk as /work/shared/peers/haproxy.sh measures its figure: a selector-less Service whose
    /// EndpointSlice names the backend, reached on its cluster IP (in a private range of 127.0.0.0/8, so nothing
    /// needs routing) through `kubus-proxy --mode nftables` (root and nft only; a private table, no bridge) and then
    /// `--mode userspace`.
    func proxy(seconds: Int, threads: Int, connections: Int, proxyThreads: Int?, modes: Set<String>) async throws {
        let command = "wrk -t\(threads) -c\(connections) -d\(seconds)s --latency"
        header(
            "proxy: \(command), through a ClusterIP (nftables, userspace) and haproxy in TCP mode, to a static nginx (100 bytes)"
        )
        for tool in [NginxPeer.nginxPath, Wrk.path, HAProxyPeer.path]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            print("  skipped: \(tool) not found (bash scripts/setup.sh installs nginx-light, wrk and haproxy)")
            return
        }
        let backend = try NginxPeer()
        defer { backend.stop() }
        let haproxy = try HAProxyPeer(backendPort: backend.backendPort)
        defer { haproxy.stop() }
        guard backend.waitServing(), haproxy.waitServing() else {
            throw BenchCluster.Failure(
                "the peers did not serve the 100-byte file; logs:\n\(backend.log)\n\(haproxy.log)")
        }
        let range = "127.\(Int.random(in: 96...99)).\(Int.random(in: 0...255)).0/24"
        try await withBenchCluster { cluster in
            try cluster.start("bus")
            guard await cluster.waitReady("bus") else { throw BenchCluster.Failure("kubus-bus did not answer") }
            try cluster.start("store")
            guard await cluster.waitReady("store") else { throw BenchCluster.Failure("kubus-store did not register") }
            try cluster.start("api", args: ["--service-cluster-ip-range", range])
            guard await cluster.waitReady("api") else {
                throw BenchCluster.Failure("kubus-api did not register; log:\n\(cluster.log("api").suffix(1500))")
            }
            let bus = try BusClient(endpoints: cluster.endpoints)
            defer { bus.close() }
            let clusterIP = try await Self.serviceToBackend(port: backend.backendPort, api: KubusClient(bus: bus))
            let serviceURL = "http://\(clusterIP):8080/index.html"
            print(
                "  backend 127.0.0.1:\(backend.backendPort), haproxy 127.0.0.1:\(haproxy.port), "
                    + "Service bench at \(clusterIP):8080 (range \(range))")
            print(
                "  versions: \(HAProxyPeer.version), \(NginxPeer.version), \(Wrk.version), kernel "
                    + "\(ProcessInfo.processInfo.operatingSystemVersionString), "
                    + "\(ProcessInfo.processInfo.activeProcessorCount) cores, load \(loadAverage())")

            /// `pid`: the proxy process whose CPU time per request is reported (load-independent, unlike req/s).
            func measure(_ key: String, _ label: String, _ url: String, pid: Int32? = nil) throws {
                for _ in 0..<options.runs {
                    let cpu0 = pid.flatMap { ProcessCPU.seconds(pid: $0) }
                    let r = try Wrk.run(url: url, threads: threads, connections: connections, seconds: seconds)
                    var cpuText = ""
                    if let pid, let cpu0, let cpu1 = ProcessCPU.seconds(pid: pid), r.perSecond > 0 {
                        let micros = (cpu1 - cpu0) / (r.perSecond * Double(seconds)) * 1e6
                        cpuText = String(format: ", %.2f µs CPU per request", micros)
                        report.record("proxy.\(key).cpu", "\(label) CPU per request", micros, unit: "µs")
                    }
                    print(
                        "  \(label): \(Int(r.perSecond)) req/s, p50 \(r.p50) ms, p99 \(r.p99) ms\(cpuText)"
                            + (r.errors.isEmpty ? "" : ", " + r.errors))
                    if !r.errors.isEmpty { report.note("\(label): \(r.errors)") }
                    report.record("proxy.\(key).rps", "\(label) req/s", r.perSecond, unit: "/s")
                    report.record("proxy.\(key).p50", "\(label) p50", r.p50, unit: "ms")
                    report.record("proxy.\(key).p99", "\(label) p99", r.p99, unit: "ms")
                }
            }

            try measure(
                "backend", "static nginx backend (direct)", "http://127.0.0.1:\(backend.backendPort)/index.html")
            try measure(
                "haproxy", "haproxy TCP mode (peer)", "http://127.0.0.1:\(haproxy.port)/index.html", pid: haproxy.pid)
            recordProxy(memory: ProcessTree.memory([haproxy.pid]), key: "mem.haproxy", label: "haproxy")

            if !modes.contains("nftables") {
                print("  kubus-proxy nftables: not asked for")
            } else if getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/nft") {
                let table = "kubus-proxy-b\(Int.random(in: 1000...9999))"
                let network = [
                    "--table", table, "--bridge", "kbb\(Int.random(in: 10000...99999))", "--service-cidr", range,
                    "--cluster-cidr", "10.\(Int.random(in: 200...254)).0.0/16",
                ]
                cluster.afterStop { Self.cleanUpProxy(bin: cluster.bin, network: network) }
                try cluster.start("proxy", as: "proxy-nftables", args: ["--mode", "nftables"] + network)
                try await Self.waitServing(serviceURL, cluster: cluster, name: "proxy-nftables")
                try measure("nftables", "kubus-proxy nftables", serviceURL)
                if let pid = cluster.pid("proxy-nftables") {
                    recordProxy(
                        memory: ProcessTree.memory([pid]), key: "mem.proxy.nftables", label: "kubus-proxy nftables")
                }
                cluster.stop("proxy-nftables")
                Self.cleanUpProxy(bin: cluster.bin, network: network)
            } else {
                print("  kubus-proxy nftables: skipped (needs root and nft)")
            }

            guard modes.contains("userspace") else { return }
            try cluster.start(
                "proxy", as: "proxy-userspace",
                args: ["--mode", "userspace"] + (proxyThreads.map { ["--threads", String($0)] } ?? []))
            try await Self.waitServing(serviceURL, cluster: cluster, name: "proxy-userspace")
            try measure("userspace", "kubus-proxy userspace", serviceURL, pid: cluster.pid("proxy-userspace"))
            if let pid = cluster.pid("proxy-userspace") {
                recordProxy(
                    memory: ProcessTree.memory([pid]), key: "mem.proxy.userspace", label: "kubus-proxy userspace")
            }
            cluster.stop("proxy-userspace")
        }
        for mode in ["userspace", "nftables"] {
            report.addRatio(
                "ratio.proxy.\(mode)", "kubus-proxy \(mode) ÷ haproxy, req/s (goal ≥ 1.0)",
                numerator: "proxy.\(mode).rps", denominator: "proxy.haproxy.rps")
            if let ratio = report.median("ratio.proxy.\(mode)") {
                print(String(format: "  ratio kubus-proxy %@ ÷ haproxy: %.2f×", mode, ratio))
            }
        }
    }

    private func recordProxy(memory: (rss: Double, pss: Double), key: String, label: String) {
        report.record("\(key).rss", "\(label) RSS", memory.rss, unit: "MiB")
        report.record("\(key).pss", "\(label) PSS", memory.pss, unit: "MiB")
    }

    /// A selector-less Service `bench` (8080/TCP) with a hand-written EndpointSlice to the backend; its cluster IP.
    static func serviceToBackend(port: Int, api: KubusClient) async throws -> String {
        let service = try await api.create(
            Service(
                metadata: ObjectMeta(name: "bench", namespace: "default"),
                spec: ServiceSpec(ports: [
                    ServicePort(name: "http", protocol: "TCP", port: 8080, targetPort: .int(port))
                ])))
        _ = try await api.create(
            EndpointSlice(
                metadata: ObjectMeta(
                    name: "bench-1", namespace: "default", labels: [EndpointSlice.serviceNameLabel: "bench"]),
                addressType: "IPv4",
                endpoints: [Endpoint(addresses: ["127.0.0.1"], conditions: EndpointConditions(ready: true))],
                ports: [EndpointSlicePort(name: "http", protocol: "TCP", port: port)]))
        guard let ip = service.spec.clusterIP else { throw BenchCluster.Failure("the Service got no cluster IP") }
        return ip
    }

    /// Waits until `url` serves the 100-byte file.
    static func waitServing(_ url: String, cluster: BenchCluster, name: String) async throws {
        let deadline = Date().addingTimeInterval(20)
        while !serves100Bytes(url) {
            guard Date() < deadline, cluster.isRunning(name) else {
                throw BenchCluster.Failure("\(name) did not serve \(url); log:\n\(cluster.log(name).suffix(1500))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func serves100Bytes(_ url: String) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "-m", "2", "--noproxy", "*", url]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 && data.count == 100
    }

    /// `kubus-proxy cleanup` for the bench's private table.
    static func cleanUpProxy(bin: String, network: [String]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "\(bin)/kubus-proxy")
        p.arguments = ["cleanup", "--mode", "nftables"] + network
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return }
        p.waitUntilExit()
    }
}

/// The peer: haproxy in TCP mode in front of the backend, configured exactly as /work/shared/peers/haproxy.sh
/// configures it, on a free loopback port.
final class HAProxyPeer: @unchecked Sendable {
    static let path = "/usr/sbin/haproxy"

    let dir: String
    let port: Int
    private let process: Process
    private var cleanupToken = 0

    init(backendPort: Int) throws {
        dir = "/tmp/kubus-bench-haproxy-\(BusClock.randomID().prefix(10))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var port = try FreePort.one()
        while port == backendPort { port = try FreePort.one() }
        self.port = port
        let config = """
            global
              maxconn 4000
            defaults
              mode tcp
              timeout connect 5s
              timeout client 60s
              timeout server 60s
            frontend lb
              bind 127.0.0.1:\(port)
              default_backend web
            backend web
              server nginx1 127.0.0.1:\(backendPort)

            """
        try config.write(toFile: "\(dir)/haproxy.cfg", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = ["-db", "-f", "\(dir)/haproxy.cfg"]
        _ = FileManager.default.createFile(atPath: "\(dir)/out.log", contents: nil)
        let log = FileHandle(forWritingAtPath: "\(dir)/out.log")!
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        let p = process
        let d = dir
        cleanupToken = Cleanup.shared.add {
            HAProxyPeer.terminate(p)
            try? FileManager.default.removeItem(atPath: d)
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    var log: String { (try? String(contentsOfFile: "\(dir)/out.log", encoding: .utf8)) ?? "" }

    func waitServing(timeout: Double = 15) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && process.isRunning {
            if NginxPeer.serves100Bytes(port: port) { return true }
            usleep(50_000)
        }
        return false
    }

    static var version: String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["-v"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        guard (try? p.run()) != nil else { return "haproxy ?" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let fields = text.split(separator: "\n").first?.split(separator: " ") ?? []
        return fields.count > 2 ? "haproxy \(fields[2])" : "haproxy ?"
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

extension BenchCommand {
    struct ProxyBenchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "proxy",
            abstract: "kubus-proxy (nftables and userspace) against haproxy in TCP mode, with wrk; and their memory.",
            discussion: """
                Starts bus, store and api (its service range a private /24 of 127.0.0.0/8), one nginx holding the \
                static backend (a 100-byte file) and haproxy in TCP mode in front of it, configured as \
                /work/shared/peers/haproxy.sh does. A selector-less Service's EndpointSlice names the backend. wrk \
                then measures the backend directly, haproxy, the cluster IP through `kubus-proxy --mode nftables` \
                (as root with nft: a private table, removed afterwards) and through `--mode userspace`, --runs \
                times each (medians in the table).
                """)
        @OptionGroup var options: BenchOptions
        @Option(help: "Seconds per wrk run (default 15, as haproxy.sh; --quick 3).")
        var duration: Int?
        @Option(help: "wrk threads.")
        var threads = 2
        @Option(help: "wrk connections.")
        var connections = 64
        @Option(help: "kubus-proxy userspace event loop threads (default: its own, the number of cores).")
        var proxyThreads: Int?
        @Option(help: "The data paths to measure, comma-separated.")
        var modes = "nftables,userspace"

        func run() async throws {
            let seconds = duration ?? (options.quick ? 3 : 15)
            try await benchMain(options) { p in
                try await p.proxy(
                    seconds: seconds, threads: threads, connections: connections, proxyThreads: proxyThreads,
                    modes: Set(modes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }))
            }
        }
    }
}
