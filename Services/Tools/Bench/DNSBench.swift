import ArgumentParser
import Bus
import Client
import Foundation
import Schema

#if canImport(Glibc)
    import Glibc
#endif

/// Cluster DNS next to its peer, as `shared/peers/dns.sh` measures it: kubus-dns answering 1,000 Services from a real
/// control plane, and Debian's dnsmasq answering the same 1,000 names from a hosts file, each loaded by dnsperf
/// (1 client, 100 queries outstanding, the names shuffled) for QPS, then verbose runs for p50/p99.
enum DNSBench {
    static let dnsperf = "/usr/bin/dnsperf"
    static let dnsmasq = "/usr/sbin/dnsmasq"

    /// `svc-0001.bench.svc.cluster.local` …, and the cluster IP each gets.
    static func names(_ count: Int) -> [(name: String, service: String, ip: String)] {
        (1...count).map { i in
            let service = String(format: "svc-%04d", i)
            return ("\(service).bench.svc.cluster.local", service, "10.100.\(i / 250).\(i % 250 + 1)")
        }
    }

    /// dnsperf's data file: every name once, type A, in a fixed shuffled order.
    static func queryFile(_ names: [String], path: String) throws {
        var generator = SplitMix(seed: 1)
        let lines = names.map { "\($0) A" }.shuffled(using: &generator)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    struct Run {
        var qps: Double
        var completed: Int
        var averageMillis: Double
        var lost: String
    }

    struct Percentiles {
        var qps: Double
        var p50: Double
        var p99: Double
        var answers: Int
    }

    /// One dnsperf run against 127.0.0.1:`port`; `verbose` adds every query's latency to the output.
    static func dnsperf(
        port: Int, queries: String, seconds: Double, maxQPS: Int? = nil, verbose: Bool = false, log: String
    )
        throws -> String
    {
        var arguments = ["-s", "127.0.0.1", "-p", String(port), "-d", queries, "-l", String(Int(seconds))]
        if let maxQPS { arguments += ["-Q", String(maxQPS)] }
        if verbose { arguments.append("-v") }
        try spawnAndWait(dnsperf, arguments, output: log, timeout: seconds + 20)
        return (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    }

    /// Runs `executable` with its output in the file `output`, and waits for it (killing it after `timeout` seconds).
    /// posix_spawn and waitpid rather than Foundation's Process, whose exit monitoring missed dnsperf's exit here.
    static func spawnAndWait(_ executable: String, _ arguments: [String], output: String, timeout: Double) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard rc == 0 else { throw BenchCluster.Failure("cannot start \(executable): errno \(rc)") }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || (r < 0 && errno != EINTR) { return }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                return
            }
            usleep(20_000)
        }
    }

    static func summary(_ output: String) -> Run? {
        func field(_ prefix: String) -> String? {
            output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) }
                .map {
                    $0.trimmingCharacters(in: .whitespaces).dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
                }
        }
        guard let qps = field("Queries per second:").flatMap(Double.init) else { return nil }
        let average = field("Average Latency (s):").flatMap { Double($0.split(separator: " ").first ?? "") } ?? 0
        let completed = field("Queries completed:").flatMap { Int($0.split(separator: " ").first ?? "") } ?? 0
        return Run(qps: qps, completed: completed, averageMillis: average * 1000, lost: field("Queries lost:") ?? "?")
    }

    static func percentiles(_ output: String) -> Percentiles? {
        let latencies = output.split(separator: "\n").filter { $0.hasPrefix("> ") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.sorted()
        guard !latencies.isEmpty, let run = summary(output) else { return nil }
        func at(_ q: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))] * 1000 }
        return Percentiles(qps: run.qps, p50: at(0.50), p99: at(0.99), answers: latencies.count)
    }

    /// Sends one A query over UDP and says whether an answer with a record came back within 300 ms.
    static func answers(_ name: String, port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var tv = timeval(tv_sec: 0, tv_usec: 300_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var query: [UInt8] = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") { query += [UInt8(label.utf8.count)] + Array(label.utf8) }
        query += [0, 0, 1, 0, 1]
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = query.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        var reply = [UInt8](repeating: 0, count: 1500)
        let n = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        // An answer: the id matches, RCODE 0 and ANCOUNT > 0.
        return n >= 12 && reply[0] == 0x12 && reply[1] == 0x34 && reply[3] & 0x0F == 0
            && (Int(reply[6]) << 8 | Int(reply[7])) > 0
    }

    static func waitAnswering(_ name: String, port: Int, timeout: Double, alive: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && alive() {
            if answers(name, port: port) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// A free port on 127.0.0.1 for both UDP and TCP.
    static func freePort() throws -> Int {
        for _ in 0..<50 {
            let port = try FreePort.one()
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let ok =
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                } == 0
            close(fd)
            if ok { return port }
        }
        throw BenchCluster.Failure("no free loopback port for UDP and TCP")
    }
}

/// Debian's dnsmasq answering a hosts file on 127.0.0.1 (the peer), stopped on `stop()` and on Ctrl-C.
final class DNSMasqPeer: @unchecked Sendable {
    let pid: pid_t
    let port: Int
    let log: String
    private var cleanupToken = 0

    init(hosts: String, port: Int, dir: String) throws {
        self.port = port
        log = "\(dir)/dnsmasq.log"
        let arguments = [
            DNSBench.dnsmasq, "--keep-in-foreground", "--conf-file=/dev/null", "--port=\(port)",
            "--listen-address=127.0.0.1",
            "--bind-interfaces", "--no-resolv", "--no-hosts", "--addn-hosts=\(hosts)", "--pid-file=",
            "--log-facility=\(log)",
        ]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, DNSBench.dnsmasq, &actions, nil, argv, environ)
        guard rc == 0 else { throw BenchCluster.Failure("cannot start dnsmasq: errno \(rc)") }
        pid = child
        let spawned = child
        cleanupToken = Cleanup.shared.add { DNSMasqPeer.terminate(spawned) }
    }

    /// Whether the process still runs (not exited, not reaped).
    var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    func stop() {
        Cleanup.shared.remove(cleanupToken)
        Self.terminate(pid)
    }

    private static func terminate(_ pid: pid_t) {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == 0 else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) != 0 { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
    }
}

/// A deterministic generator for the query order.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension BenchParts {
    /// kubus-dns and dnsmasq on the same 1,000 names, dnsperf against each in turn.
    func dns(services count: Int, seconds: Double, verboseSeconds: Double, lowQPS: Int, threads: Int) async throws {
        header(
            "cluster DNS: kubus-dns (\(count) Services from a control plane) against dnsmasq (the same names), dnsperf")
        for tool in [DNSBench.dnsperf, DNSBench.dnsmasq] where !FileManager.default.isExecutableFile(atPath: tool) {
            print("dns: \(tool) not found, skipped (apt-get install -y dnsperf dnsmasq-base; scripts/setup.sh does it)")
            return
        }
        guard BenchCluster.isBuilt("dns") else {
            print("dns: kubus-dns not built, skipped")
            return
        }
        let names = DNSBench.names(count)
        try await withBenchCluster { cluster in
            guard try await startControlPlane(cluster) else { throw BenchCluster.Failure("the api did not start") }
            let queries = "\(cluster.dir)/queries"
            try DNSBench.queryFile(names.map(\.name), path: queries)
            try await createServices(cluster, names)

            // kubus-dns
            let port = try DNSBench.freePort()
            let dead = try DNSBench.freePort()
            try cluster.start(
                "dns",
                args: [
                    "--listen", "127.0.0.1:\(port)", "--upstream", "127.0.0.1:\(dead)", "--threads", String(threads),
                    "--udp-sockets", String(threads),
                ])
            guard
                await DNSBench.waitAnswering(
                    names.last!.name, port: port, timeout: 30, alive: { cluster.isRunning("dns") })
            else {
                throw BenchCluster.Failure(
                    "kubus-dns did not answer \(names.last!.name); log:\n\(cluster.log("dns").suffix(1500))")
            }
            if let pid = cluster.pid("dns") {
                if let v = ProcessMemory.rssMiB(pid: pid) {
                    report.record("mem.dns.idle", "kubus-dns RSS idle (\(count) svc)", v, unit: "MiB")
                }
            }
            try measure(
                "kubus-dns", key: "kubus", pid: cluster.pid("dns"), port: port, queries: queries, dir: cluster.dir,
                seconds: seconds, verboseSeconds: verboseSeconds, lowQPS: lowQPS)
            if let pid = cluster.pid("dns") {
                if let v = ProcessMemory.rssMiB(pid: pid) {
                    report.record("mem.dns.rss", "kubus-dns RSS after load", v, unit: "MiB")
                }
                if let v = ProcessMemory.pssMiB(pid: pid) {
                    report.record("mem.dns.pss", "kubus-dns PSS after load", v, unit: "MiB")
                }
            }
            cluster.stop("dns")

            // dnsmasq, the peer
            let hosts = "\(cluster.dir)/hosts"
            try (names.map { "\($0.ip) \($0.name)" }.joined(separator: "\n") + "\n").write(
                toFile: hosts, atomically: true, encoding: .utf8)
            let peerPort = try DNSBench.freePort()
            let peer = try DNSMasqPeer(hosts: hosts, port: peerPort, dir: cluster.dir)
            defer { peer.stop() }
            guard await DNSBench.waitAnswering(names.last!.name, port: peerPort, timeout: 10, alive: { peer.isRunning })
            else {
                let log = (try? String(contentsOfFile: peer.log, encoding: .utf8)) ?? ""
                throw BenchCluster.Failure("dnsmasq did not answer; log:\n\(log.suffix(1500))")
            }
            try measure(
                "dnsmasq", key: "dnsmasq", pid: peer.pid, port: peerPort, queries: queries, dir: cluster.dir,
                seconds: seconds, verboseSeconds: verboseSeconds, lowQPS: lowQPS)
            if let v = ProcessMemory.rssMiB(pid: peer.pid) {
                report.record("mem.dnsmasq.rss", "dnsmasq RSS after load", v, unit: "MiB")
            }
            if let v = ProcessMemory.pssMiB(pid: peer.pid) {
                report.record("mem.dnsmasq.pss", "dnsmasq PSS after load", v, unit: "MiB")
            }
            report.addRatio(
                "ratio.dns", "kubus-dns QPS ÷ dnsmasq QPS (goal ≥ 1.0)", numerator: "dns.kubus.qps",
                denominator: "dns.dnsmasq.qps")
            print(
                "  dnsperf \(dnsperfVersion(cluster.dir)), dnsmasq \(dnsmasqVersion(cluster.dir)); command: dnsperf -s 127.0.0.1 -p PORT -d queries -l \(Int(seconds))"
            )
        }
    }

    /// Creates namespace `bench` and one ClusterIP Service per name, 16 at a time.
    private func createServices(_ cluster: BenchCluster, _ names: [(name: String, service: String, ip: String)])
        async throws
    {
        let bus = try BusClient(endpoints: cluster.endpoints)
        defer { bus.close() }
        let api = KubusClient(bus: bus)
        _ = try? await api.create(Namespace(metadata: ObjectMeta(name: "bench")))
        let start = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for i in stride(from: worker, to: names.count, by: 16) {
                        let n = names[i]
                        _ = try await api.create(
                            Service(
                                metadata: ObjectMeta(name: n.service, namespace: "bench"),
                                spec: ServiceSpec(
                                    ports: [ServicePort(name: "http", protocol: "TCP", port: 80)], clusterIP: n.ip,
                                    clusterIPs: [n.ip])))
                    }
                }
            }
            try await group.waitForAll()
        }
        print(String(format: "  created %d Services in %.1f s", names.count, Date().timeIntervalSince(start)))
    }

    /// Full-speed runs (QPS: the median is recorded; the server's CPU per answered query), then a verbose
    /// full-speed run and a verbose run at `lowQPS` for p50/p99.
    private func measure(
        _ label: String, key: String, pid: Int32?, port: Int, queries: String, dir: String, seconds: Double,
        verboseSeconds: Double, lowQPS: Int
    ) throws {
        for run in 1...max(1, options.runs) {
            let cpu0 = pid.flatMap { ProcessCPU.seconds(pid: $0) }
            let out = try DNSBench.dnsperf(
                port: port, queries: queries, seconds: seconds, log: "\(dir)/dnsperf-\(key)-\(run).txt")
            guard let r = DNSBench.summary(out) else {
                throw BenchCluster.Failure("dnsperf against \(label) printed no summary:\n\(out.suffix(1500))")
            }
            print(
                String(
                    format: "  run %d %@: %.0f qps, avg %.3f ms; lost %@", run, label, r.qps, r.averageMillis, r.lost))
            report.record("dns.\(key).qps", "\(label) QPS (dnsperf, 100 outstanding)", r.qps, unit: "/s")
            if let cpu0, let cpu1 = pid.flatMap({ ProcessCPU.seconds(pid: $0) }), r.completed > 0 {
                report.record(
                    "dns.\(key).cpu", "\(label) CPU per query", (cpu1 - cpu0) / Double(r.completed) * 1e6, unit: "µs")
            }
        }
        for (suffix, limit) in [("full", nil as Int?), ("low", lowQPS)] {
            let out = try DNSBench.dnsperf(
                port: port, queries: queries, seconds: verboseSeconds, maxQPS: limit, verbose: true,
                log: "\(dir)/dnsperf-\(key)-v-\(suffix).txt")
            try? FileManager.default.removeItem(atPath: "\(dir)/dnsperf-\(key)-v-\(suffix).txt")
            guard let p = DNSBench.percentiles(out) else { continue }
            let what = limit.map { "at -Q \($0)" } ?? "at full speed"
            print(
                String(
                    format: "  %@ verbose run %@: %.0f qps, p50 %.3f ms, p99 %.3f ms (%d answers)", label, what, p.qps,
                    p.p50, p.p99, p.answers))
            let tag = limit == nil ? "full" : "low"
            report.record("dns.\(key).p50.\(tag)", "\(label) p50 \(what)", p.p50, unit: "ms")
            report.record("dns.\(key).p99.\(tag)", "\(label) p99 \(what)", p.p99, unit: "ms")
        }
    }

    private func dnsperfVersion(_ dir: String) -> String {
        let out = runCapturing(DNSBench.dnsperf, ["-h"], dir: dir)
        return out.split(separator: "\n").first { $0.hasPrefix("Version") }.map { String($0.dropFirst(8)) } ?? "?"
    }

    private func dnsmasqVersion(_ dir: String) -> String {
        let out = runCapturing(DNSBench.dnsmasq, ["--version"], dir: dir)
        return out.split(separator: "\n").first.map {
            $0.split(separator: " ").dropFirst(2).first.map(String.init) ?? "?"
        } ?? "?"
    }

    private func runCapturing(_ executable: String, _ arguments: [String], dir: String) -> String {
        let path = "\(dir)/version.txt"
        try? DNSBench.spawnAndWait(executable, arguments, output: path, timeout: 5)
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

extension BenchCommand {
    struct DNSBenchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dns",
            abstract:
                "Cluster DNS: kubus-dns with 1,000 Services against dnsmasq with the same names, dnsperf QPS and p99.")
        @OptionGroup var options: BenchOptions
        @Option(help: "Services (and names) to serve.")
        var services = 1_000
        @Option(help: "Seconds per full-speed dnsperf run (default 20; --quick 5).")
        var seconds: Double?
        @Option(help: "Seconds per verbose dnsperf run that gives p50/p99 (default 10; --quick 3).")
        var verboseSeconds: Double?
        @Option(help: "The fixed rate of the second verbose run (dnsperf -Q).")
        var lowQPS = 10_000
        @Option(help: "kubus-dns event loop threads (and UDP sockets).")
        var threads = 1

        func run() async throws {
            let s = seconds ?? (options.quick ? 5 : 20)
            let v = verboseSeconds ?? (options.quick ? 3 : 10)
            try await benchMain(options) {
                try await $0.dns(services: services, seconds: s, verboseSeconds: v, lowQPS: lowQPS, threads: threads)
            }
        }
    }
}
