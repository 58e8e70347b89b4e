import ArgumentParser
import Bus
import Foundation
import LoadKit
import ServiceKit

/// `kubus-bench`: measures the bus, the store, the api and watch delivery in one run, next to their peers
/// (raw libzmq and etcd), and prints a table of figures against the goals. Figures are printed, never asserted.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubus-bench",
        abstract: "Benchmark Kubus against raw libzmq and etcd; print figures, goals and whether they are met.",
        discussion: """
            Starts real kubus-bus, kubus-store and kubus-api processes (from the folder of this executable)
            and etcd (/usr/bin/etcd) in temporary folders, and always stops them and removes the folders,
            also on Ctrl-C. Build first: swift build -c release && .build/release/kubus-bench all
            """,
        subcommands: [
            All.self, Raw.self, Events.self, Writes.self, Watch.self, Etcd.self, SchedulerBenchCommand.self,
            PodsBenchCommand.self, ControllersBenchCommand.self, SoakBenchCommand.self, IngressBenchCommand.self,
            DNSBenchCommand.self, ServicesBenchCommand.self, ProxyBenchCommand.self, AbuseBenchCommand.self,
            MemoryBenchCommand.self,
            StoreDirectBenchCommand.self,
        ],
        defaultSubcommand: All.self)
}

/// Options every part takes.
struct BenchOptions: ParsableArguments {
    @Flag(help: "A short smoke run of every part (under 60 s in all), for CI.")
    var quick = false

    @Option(help: "Run each measurement this many times and report the median.")
    var runs = 1

    var sizes: BenchSizes { quick ? .quick : .full }
}

/// How much each part sends.
struct BenchSizes {
    var rawMessages: Int
    var events: Int
    var writesOne: Int
    var writesMany: Int
    var rateSeconds: Double
    var watchSeconds: Double
    var maxSeconds: Double

    static let full = BenchSizes(
        rawMessages: 5_000_000, events: 500_000, writesOne: 2_000, writesMany: 20_000, rateSeconds: 5,
        watchSeconds: 4, maxSeconds: 20)
    static let quick = BenchSizes(
        rawMessages: 300_000, events: 100_000, writesOne: 300, writesMany: 1_500, rateSeconds: 1.5,
        watchSeconds: 1.5, maxSeconds: 8)
}

/// The parts of a bench run.
struct BenchParts {
    let options: BenchOptions
    let report = BenchReport()
    var sizes: BenchSizes { options.sizes }

    func header(_ title: String) {
        print("\n== \(title)")
    }

    // MARK: 1. raw libzmq

    func raw() throws {
        header("raw libzmq: PUSH→PULL over tcp://127.0.0.1, \(sizes.rawMessages) messages of 100 bytes")
        for _ in 0..<options.runs {
            let c0 = ProcessCPU.seconds() ?? 0
            let r = try RawZMQBench.run(messages: sizes.rawMessages)
            let cpu = (ProcessCPU.seconds() ?? 0) - c0
            print("  \(r.messages) messages in \(String(format: "%.3f", r.seconds)) s")
            report.record("raw.rate", "raw libzmq PUSH→PULL msgs", r.perSecond, unit: "/s")
            report.record("raw.cpu", "raw libzmq CPU per message", cpu / Double(r.messages) * 1e6, unit: "µs")
        }
    }

    // MARK: 2. typed events through the broker

    func events() async throws {
        header("typed events through kubus-bus (tcp loopback): Publisher → broker → Subscriber, 100-byte payloads")
        try await withBenchCluster(tcp: true) { cluster in
            try cluster.start("bus")
            guard await cluster.waitReady("bus") else {
                throw BenchCluster.Failure("kubus-bus did not answer; log:\n\(cluster.log("bus").suffix(1500))")
            }
            try await Task.sleep(for: .milliseconds(300))
            if let idle = cluster.rssMiB("bus") { report.record("mem.bus.idle", "bus RSS idle", idle, unit: "MiB") }
            if let idle = cluster.pssMiB("bus") {
                report.record("mem.bus.idle.pss", "bus PSS idle", idle, unit: "MiB")
            }
            for _ in 0..<options.runs {
                for publishers in [1, 2] {
                    let busPID = cluster.pid("bus")
                    let b0 = busPID.flatMap { ProcessCPU.seconds(pid: $0) } ?? 0
                    let c0 = (ProcessCPU.seconds() ?? 0) + b0
                    let r = try await EventBench.run(
                        endpoints: cluster.endpoints, publishers: publishers, events: sizes.events)
                    let busCPU = (busPID.flatMap { ProcessCPU.seconds(pid: $0) } ?? 0) - b0
                    let cpu = (ProcessCPU.seconds() ?? 0) + busCPU + b0 - c0
                    print(
                        "  \(publishers) publisher\(publishers == 1 ? "" : "s"): sent \(r.sent) in \(String(format: "%.2f", r.publishSeconds)) s "
                            + "(\(Int(Double(r.sent) / r.publishSeconds))/s queued), received \(r.received) "
                            + "in \(String(format: "%.2f", r.deliverySeconds)) s; at the SUB socket \(r.atSocket), "
                            + "dropped by the subscriber's buffer \(r.overflowed)")
                    let key = "events.\(publishers)"
                    report.record(
                        "\(key).rate", "events delivered/s, \(publishers) pub", r.perSecond, unit: "/s",
                        goal: .atLeast(200_000))
                    report.record("\(key).loss", "events lost, \(publishers) pub", r.lossPercent, unit: "%")
                    // Loss is silent when the subscriber cannot tell: every lost event should show as a gap.
                    let lost = r.sent - r.received
                    report.record(
                        "\(key).silent", "events lost without a gap the subscriber saw, \(publishers) pub",
                        Double(max(lost - r.seenAsGaps, 0)), unit: "")
                    print("  lost \(lost), seen by the subscriber as gaps in seq: \(r.seenAsGaps)")
                    report.record(
                        "\(key).cpu", "events CPU per event (pub+bus+sub), \(publishers) pub",
                        cpu / Double(max(r.received, 1)) * 1e6,
                        unit: "µs")
                    report.record(
                        "\(key).buscpu", "  of which the broker, \(publishers) pub",
                        busCPU / Double(max(r.received, 1)) * 1e6, unit: "µs")
                }
                if let after = cluster.rssMiB("bus") {
                    report.record("mem.bus.load", "bus RSS after event load", after, unit: "MiB")
                }
                if let after = cluster.pssMiB("bus") {
                    report.record("mem.bus.load.pss", "bus PSS after event load", after, unit: "MiB")
                }
            }
        }
    }

    // MARK: 3 and 6. durable writes (store, api) and memory

    /// Starts bus + store (+ api when built and it registers); returns whether the api serves.
    func startControlPlane(_ cluster: BenchCluster, apiArgs: [String] = []) async throws -> Bool {
        try cluster.start("bus")
        guard await cluster.waitReady("bus") else {
            throw BenchCluster.Failure("kubus-bus did not answer; log:\n\(cluster.log("bus").suffix(1500))")
        }
        try cluster.start("store")
        guard await cluster.waitReady("store") else {
            throw BenchCluster.Failure("kubus-store did not register; log:\n\(cluster.log("store").suffix(1500))")
        }
        guard BenchCluster.isBuilt("api") else {
            print("api: kubus-api not built, skipped")
            return false
        }
        try cluster.start("api", args: apiArgs)
        guard await cluster.waitReady("api", timeout: 15) else {
            let log = cluster.log("api").suffix(300).trimmingCharacters(in: .whitespacesAndNewlines)
            print(
                "api: kubus-api not built, skipped (it did not register with the bus: \(log.isEmpty ? "no output" : log))"
            )
            return false
        }
        return true
    }

    /// CPU seconds used so far by the cluster's bus, store and api together.
    func serviceCPU(_ cluster: BenchCluster) -> Double {
        ["bus", "store", "api"].compactMap { cluster.pid($0).flatMap { ProcessCPU.seconds(pid: $0) } }.reduce(0, +)
    }

    func writes() async throws {
        header("durable writes: bus + store (SQLite, synchronous=FULL) + api")
        try await withBenchCluster { cluster in
            let api = try await startControlPlane(cluster)
            try await Task.sleep(for: .milliseconds(500))
            var totalPSS = 0.0
            for s in ["bus", "store"] + (api ? ["api"] : []) {
                if let v = cluster.rssMiB(s) {
                    report.record("mem.cp.\(s).idle", "\(s) RSS idle (control plane)", v, unit: "MiB")
                }
                if let v = cluster.pssMiB(s) {
                    report.record("mem.cp.\(s).idle.pss", "\(s) PSS idle (control plane)", v, unit: "MiB")
                    totalPSS += v
                }
            }
            // Shared libraries count once in the sum of PSS, not once per process as in a sum of RSS.
            report.record("mem.cp.idle.pss", "control plane PSS idle, all processes", totalPSS, unit: "MiB")
            let client = try BusClient(endpoints: cluster.endpoints)
            defer { client.close() }
            // api requests come from a user RBAC evaluates (not the administrator, whom system:masters lets through).
            let writer = try BusClient(endpoints: api ? try await cluster.writerEndpoints() : cluster.endpoints)
            defer { writer.close() }
            for _ in 0..<options.runs {
                let run = String(BusClock.randomID().prefix(6))
                for clients in [1, 16] {
                    let n = clients == 1 ? sizes.writesOne : sizes.writesMany
                    print("  store write, \(clients) client\(clients == 1 ? "" : "s"), \(n) puts")
                    let c0 = serviceCPU(cluster)
                    let r = try await RequestBench.run(
                        client: client, service: "store", type: "write", concurrency: clients, count: n,
                        maxSeconds: sizes.maxSeconds
                    ) { i in Payloads.storeWrite(name: "s\(clients)-\(run)-\(i)") }
                    RequestBench.record(r, key: "store.\(clients)", label: "store write, \(clients) cl", report: report)
                    report.record(
                        "store.\(clients).cpu", "store write, \(clients) cl, CPU per write (services)",
                        (serviceCPU(cluster) - c0) / Double(max(r.sent, 1)) * 1e6, unit: "µs")
                }
                guard api else { continue }
                for clients in [1, 16] {
                    let n = clients == 1 ? sizes.writesOne : sizes.writesMany
                    print("  api create ConfigMap, \(clients) client\(clients == 1 ? "" : "s"), \(n) creates")
                    let sampler =
                        clients == 16
                        ? MemorySampler(pids: ["bus", "store", "api"].reduce(into: [:]) { $0[$1] = cluster.pid($1) })
                        : nil
                    let c0 = serviceCPU(cluster)
                    let r = try await RequestBench.run(
                        client: writer, service: "api", type: "create", concurrency: clients, count: n,
                        maxSeconds: sizes.maxSeconds
                    ) { i in Payloads.apiCreate(name: "a\(clients)-\(run)-\(i)") }
                    RequestBench.record(
                        r, key: "api.\(clients)", label: "api create, \(clients) cl", report: report,
                        goal: clients == 16 ? .atLeast(5_000) : nil)
                    report.record(
                        "api.\(clients).cpu", "api create, \(clients) cl, CPU per create (services)",
                        (serviceCPU(cluster) - c0) / Double(max(r.sent, 1)) * 1e6, unit: "µs")
                    if let maxima = sampler?.stop() {
                        for s in ["bus", "store", "api"] {
                            if let v = maxima[s] {
                                report.record("mem.cp.\(s).load", "\(s) RSS max under 16-cl creates", v, unit: "MiB")
                            }
                        }
                    }
                }
                print("  api create at 1,000/s for \(sizes.rateSeconds) s")
                let r = try await RequestBench.run(
                    client: writer, service: "api", type: "create", concurrency: 64,
                    count: Int(1000 * sizes.rateSeconds),
                    rate: 1000, maxSeconds: sizes.rateSeconds + 5
                ) { i in Payloads.apiCreate(name: "r-\(run)-\(i)") }
                print("  \(r.report(what: "api create @1000/s").replacingOccurrences(of: "\n", with: "\n  "))")
                report.record(
                    "api.rate.p50", "api create @1,000/s p50", Double(r.latency.percentile(50)) / 1e6, unit: "ms")
                report.record(
                    "api.rate.p99", "api create @1,000/s p99", Double(r.latency.percentile(99)) / 1e6, unit: "ms",
                    goal: .below(10))
                report.record(
                    "api.rate.late.p99", "api create @1,000/s: the bench's own lateness p99",
                    Double(r.lateness.percentile(99)) / 1e6, unit: "ms")
            }
            if !api {
                // Memory under load from the store-write run instead, so the figure exists.
                let sampler = MemorySampler(pids: ["bus", "store"].reduce(into: [:]) { $0[$1] = cluster.pid($1) })
                let run = String(BusClock.randomID().prefix(6))
                _ = try await RequestBench.run(
                    client: client, service: "store", type: "write", concurrency: 16, count: sizes.writesMany,
                    maxSeconds: sizes.maxSeconds
                ) { i in Payloads.storeWrite(name: "m-\(run)-\(i)") }
                for (s, v) in sampler.stop().sorted(by: { $0.key < $1.key }) {
                    report.record("mem.cp.\(s).load", "\(s) RSS max under 16-cl store writes", v, unit: "MiB")
                }
            }
        }
    }

    // MARK: 4. watch delivery latency

    func watch() async throws {
        header("watch delivery: create at 500/s, latency until the event/ConfigMap/... event arrives")
        try await withBenchCluster { cluster in
            let api = try await startControlPlane(cluster)
            if !api { report.note("watch latency measured with store writes (no api)") }
            let client = try BusClient(endpoints: cluster.endpoints)
            defer { client.close() }
            for _ in 0..<options.runs {
                let r = try await WatchBench.run(
                    client: client, endpoints: cluster.endpoints, viaAPI: api, rate: 500, seconds: sizes.watchSeconds)
                print(
                    "  \(r.created) \(api ? "creates" : "store writes"), \(r.matched) events matched, \(r.load.failures) failed"
                )
                print("  write sent → event received: \(r.endToEnd.summary)")
                print("  store publish → event received: \(r.busShare.summary)")
                if r.matched < r.created {
                    report.note("watch: \(r.created - r.matched) of \(r.created) events did not arrive")
                }
                report.record("watch.p50", "watch delivery p50", Double(r.endToEnd.percentile(50)) / 1e6, unit: "ms")
                report.record(
                    "watch.p99", "watch delivery p99", Double(r.endToEnd.percentile(99)) / 1e6, unit: "ms",
                    goal: .below(5))
                report.record(
                    "watch.bus.p99", "watch publish→arrival p99", Double(r.busShare.percentile(99)) / 1e6, unit: "ms")
            }
        }
    }

    // MARK: 5. etcd

    func etcd() throws {
        header("etcd peer: durable puts with etcd's Go client (clientv3), and through the v3 JSON gateway")
        guard FileManager.default.isExecutableFile(atPath: EtcdServer.path) else {
            print("etcd: \(EtcdServer.path) not found, skipped (apt-get install -y etcd-server)")
            return
        }
        let server = try EtcdServer()
        defer { server.stop() }
        guard server.waitHealthy() else {
            throw BenchCluster.Failure("etcd did not become healthy; log:\n\(server.log.suffix(1500))")
        }
        if let v = ProcessMemory.rssMiB(pid: server.pid) {
            report.record("mem.etcd.idle", "etcd RSS idle", v, unit: "MiB")
        }
        // etcd's own client first: the figures Kubus is compared with.
        let (goClient, why) = EtcdGoClient.binary()
        if let goClient {
            for _ in 0..<options.runs {
                for clients in [1, 16] {
                    let c0 = ProcessCPU.seconds(pid: server.pid) ?? 0
                    let r = try EtcdGoClient.put(
                        binary: goClient, port: server.clientPort, clients: clients,
                        seconds: options.quick ? 1.5 : 5, valueBytes: Payloads.configMap(name: "e-0000000").utf8.count)
                    let cpu = (ProcessCPU.seconds(pid: server.pid) ?? 0) - c0
                    print(
                        "  etcd put (Go client), \(clients) cl: \(Int(r.perSecond))/s, p50 \(r.p50) ms, p99 \(r.p99) ms, "
                            + "\(r.puts) puts, \(r.errors) errors")
                    if r.errors > 0 {
                        report.note("etcd Go client, \(clients) cl: \(r.errors) of \(r.puts) puts failed")
                    }
                    report.record(
                        "etcd.\(clients).rate", "etcd put (Go client), \(clients) cl /s", r.perSecond, unit: "/s")
                    report.record("etcd.\(clients).p50", "etcd put (Go client), \(clients) cl p50", r.p50, unit: "ms")
                    report.record("etcd.\(clients).p99", "etcd put (Go client), \(clients) cl p99", r.p99, unit: "ms")
                    report.record(
                        "etcd.\(clients).cpu", "etcd CPU per put (server), \(clients) cl",
                        cpu / Double(max(r.puts, 1)) * 1e6, unit: "µs")
                }
            }
        } else {
            print("etcd Go client: \(why); only the JSON gateway is measured")
            report.note("etcd Go client not run: \(why)")
        }
        // The gateway, a second row: its HTTP client is a hand-written one. First the client's own ceiling,
        // against a request etcd answers without touching the disk.
        for clients in [1, 16] {
            let r = try HTTPLoad.run(
                port: server.clientPort, clients: clients, count: sizes.writesMany, maxSeconds: sizes.maxSeconds
            ) { _ in
                ("GET", "/version", [])
            }
            print("  client ceiling, GET /version, \(clients) cl: \(Int(r.perSecond))/s, \(r.latency.summary)")
            report.record("etcd.version.\(clients)", "etcd GET /version, \(clients) cl", r.perSecond, unit: "/s")
        }
        for _ in 0..<options.runs {
            let run = String(BusClock.randomID().prefix(6))
            for clients in [1, 16] {
                let n = clients == 1 ? sizes.writesOne : sizes.writesMany
                let r = try HTTPLoad.run(
                    port: server.clientPort, clients: clients, count: n, maxSeconds: sizes.maxSeconds
                ) { i in
                    HTTPLoad.etcdPut(i, run: "\(clients)-\(run)")
                }
                RequestBench.record(
                    r, key: "etcd.gw.\(clients)", label: "etcd put (JSON gateway), \(clients) cl", report: report)
            }
        }
        if let v = ProcessMemory.rssMiB(pid: server.pid) {
            report.record("mem.etcd.load", "etcd RSS after puts", v, unit: "MiB")
        }
    }

    func finish() {
        report.addRatio("ratio.events", "events ÷ raw libzmq", numerator: "events.1.rate", denominator: "raw.rate")
        report.addRatio(
            "ratio.events2", "events (2 pub) ÷ raw libzmq", numerator: "events.2.rate", denominator: "raw.rate")
        for c in [1, 16] {
            report.addRatio(
                "ratio.store.\(c)", "store write ÷ etcd put, \(c) cl", numerator: "store.\(c).rate",
                denominator: "etcd.\(c).rate")
            report.addRatio(
                "ratio.api.\(c)", "api create ÷ etcd put, \(c) cl", numerator: "api.\(c).rate",
                denominator: "etcd.\(c).rate")
            report.addRatio(
                "ratio.apicpu.\(c)", "CPU per api create ÷ etcd's per put, \(c) cl", numerator: "api.\(c).cpu",
                denominator: "etcd.\(c).cpu")
        }
        print(report.table(runs: options.runs))
    }
}

/// Runs `body` with signal handlers that stop every started process on Ctrl-C.
func benchMain(_ options: BenchOptions, _ body: (BenchParts) async throws -> Void) async throws {
    Cleanup.shared.installSignalHandlers()
    let parts = BenchParts(options: options)
    let start = Date()
    print(
        "kubus-bench\(options.quick ? " --quick" : ""): \(ProcessInfo.processInfo.activeProcessorCount) cores, load \(loadAverage())"
    )
    do {
        try await body(parts)
    } catch {
        Cleanup.shared.runAll()
        parts.finish()
        throw error
    }
    Cleanup.shared.runAll()
    parts.finish()
    print(String(format: "\ntotal %.1f s, load afterwards %@", Date().timeIntervalSince(start), loadAverage()))
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(
        separator: " ") ?? "?"
}

extension BenchCommand {
    struct All: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every part, then the summary table.")
        @OptionGroup var options: BenchOptions
        func run() async throws {
            try await benchMain(options) { p in
                try p.raw()
                try await p.events()
                try await p.writes()
                try await p.watch()
                try p.etcd()
            }
        }
    }

    struct Raw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "1. raw libzmq PUSH→PULL over TCP loopback (the peer).")
        @OptionGroup var options: BenchOptions
        func run() async throws { try await benchMain(options) { try $0.raw() } }
    }

    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "2. typed events through a real kubus-bus, and the broker's memory.")
        @OptionGroup var options: BenchOptions
        func run() async throws {
            try await benchMain(options) { p in
                try p.raw()
                try await p.events()
            }
        }
    }

    struct Writes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "3 and 6. durable store writes and api creates (1 and 16 clients, 1,000/s), and memory.")
        @OptionGroup var options: BenchOptions
        func run() async throws { try await benchMain(options) { try await $0.writes() } }
    }

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "4. watch delivery latency.")
        @OptionGroup var options: BenchOptions
        func run() async throws { try await benchMain(options) { try await $0.watch() } }
    }

    struct Etcd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "5. the etcd peer: durable puts, 1 and 16 clients.")
        @OptionGroup var options: BenchOptions
        func run() async throws { try await benchMain(options) { try $0.etcd() } }
    }
}
