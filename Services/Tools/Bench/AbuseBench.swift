import ArgumentParser
import Bus
import Client
import Foundation
import LoadKit
import Schema
import ServiceKit

/// One way a busy or careless client pushes the cluster (issue 10), run against a fresh control plane.
struct AbuseCase: Sendable {
    /// A short name, the key of its figures (`abuse.<name>.…`) and what `--case` selects.
    var name: String
    /// What it does, one line.
    var summary: String
    /// The bound that holds now, one line for the table in docs/benchmarks.md.
    var bound: String
    /// Runs the case; returns what was observed, one line (counts, errors the client got, ...).
    /// Throws only when the harness itself fails; a case whose bound does not hold says so in its line.
    var run: @Sendable (AbuseContext) async throws -> String
}

/// What a case gets: the cluster (bus, store with SQLite, one api), a client on it, and the size to run at.
struct AbuseContext: Sendable {
    let cluster: BenchCluster
    let client: KubusClient
    /// `--quick`: a short form of the case (seconds); otherwise the full size the issue names.
    let quick: Bool
    /// The store's database file.
    var databasePath: String { "\(cluster.dir)/store/store.db" }
}

/// Every case `kubus-bench abuse` knows, in the order they run. Each part of the system adds its own cases in a file
/// of its own (`Abuse+Broker.swift`, ...) as a static property and lists it here.
enum AbuseCatalog {
    static var cases: [AbuseCase] { storeCases + brokerCases + apiCases }
}

extension BenchParts {
    /// Runs each case on a fresh control plane and prints, per case: the bound, the outcome, broker/store/api memory
    /// (RSS and PSS) before, at the peak during and 5 s after, api get latency during (a get every 20 ms by a
    /// separate client), and the SQLite file (with its WAL) before and after.
    func abuse(only: [String]) async throws {
        let cases = AbuseCatalog.cases.filter { only.isEmpty || only.contains($0.name) }
        header("abuse: \(cases.count) case\(cases.count == 1 ? "" : "s")\(options.quick ? " (short forms)" : "")")
        guard !cases.isEmpty else {
            let known = AbuseCatalog.cases.map(\.name)
            print("  no case selected; known cases: \(known.isEmpty ? "none yet" : known.joined(separator: ", "))")
            return
        }
        for abuseCase in cases {
            print("\n  -- \(abuseCase.name): \(abuseCase.summary)")
            print("     bound: \(abuseCase.bound)")
            // The bus on loopback TCP, as kubus-up runs it (the per-connection subscription bound needs TCP).
            try await withBenchCluster(tcp: true) { cluster in
                guard try await startControlPlane(cluster) else { throw BenchCluster.Failure("kubus-api is needed") }
                let bus = try BusClient(endpoints: cluster.endpoints)
                defer { bus.close() }
                let client = KubusClient(bus: bus, timeout: .seconds(30))
                let context = AbuseContext(cluster: cluster, client: client, quick: options.quick)
                let services = ["bus", "store", "api"]
                let pids = Dictionary(uniqueKeysWithValues: services.compactMap { s in cluster.pid(s).map { (s, $0) } })
                try await Task.sleep(for: .milliseconds(500))
                let before = AbuseMemory.read(pids)
                let fileBefore = AbuseMemory.fileMiB(context.databasePath)

                let probe = try AbuseGetProbe(endpoints: cluster.endpoints)
                let sampler = AbusePeakSampler(pids: pids)
                let started = ContinuousClock.now
                let outcome: String
                do {
                    outcome = try await abuseCase.run(context)
                } catch {
                    outcome = "the case failed: \(error)"
                }
                let elapsed = ContinuousClock.now - started
                let peak = sampler.stop()
                let latency = await probe.stop()
                try await Task.sleep(for: .seconds(5))
                let after = AbuseMemory.read(pids)
                let fileAfter = AbuseMemory.fileMiB(context.databasePath)

                print(
                    "     outcome: \(outcome) (\(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))))"
                )
                for s in services {
                    let b = before[s]
                    let p = peak[s]
                    let a = after[s]
                    print(
                        "     \(s.padding(toLength: 6, withPad: " ", startingAt: 0)) RSS/PSS MiB: before "
                            + "\(AbuseMemory.pair(b)), peak \(AbuseMemory.pair(p)), after \(AbuseMemory.pair(a))"
                            + (cluster.isRunning(s) ? "" : " — EXITED"))
                    if let p {
                        report.record(
                            "abuse.\(abuseCase.name).\(s).peak", "\(abuseCase.name): \(s) RSS peak", p.rss, unit: "MiB")
                    }
                    if let a {
                        report.record(
                            "abuse.\(abuseCase.name).\(s).after", "\(abuseCase.name): \(s) RSS after", a.rss,
                            unit: "MiB")
                    }
                }
                print(
                    "     api get during: \(latency.stats.count) answered, \(latency.failures) failed; "
                        + (latency.stats.count > 0 ? latency.stats.summary : "no answer"))
                if latency.stats.count > 0 {
                    report.record(
                        "abuse.\(abuseCase.name).get.p99", "\(abuseCase.name): api get p99 during",
                        Double(latency.stats.percentile(99)) / 1e6, unit: "ms")
                }
                print(
                    "     SQLite file (+WAL): \(String(format: "%.1f", fileBefore)) MiB before, "
                        + "\(String(format: "%.1f", fileAfter)) MiB after")
            }
        }
    }
}

/// RSS and PSS of a few processes.
enum AbuseMemory {
    struct Reading: Sendable {
        var rss: Double
        var pss: Double
    }

    static func read(_ pids: [String: Int32]) -> [String: Reading] {
        pids.compactMapValues { pid in
            guard let rss = ProcessMemory.rssMiB(pid: pid), let pss = ProcessMemory.pssMiB(pid: pid) else { return nil }
            return Reading(rss: rss, pss: pss)
        }
    }

    static func pair(_ r: Reading?) -> String {
        guard let r else { return "—" }
        return String(format: "%.1f/%.1f", r.rss, r.pss)
    }

    /// The database file and its WAL, in MiB (0 when missing).
    static func fileMiB(_ path: String) -> Double {
        [path, path + "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? UInt64 }
            .reduce(0) { $0 + Double($1) } / 1_048_576
    }
}

/// Samples RSS and PSS every 200 ms and keeps each process's peak (by RSS).
final class AbusePeakSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var peaks: [String: AbuseMemory.Reading] = [:]
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init(pids: [String: Int32]) {
        let thread = Thread { [self] in
            while lock.withLock({ running }) {
                for (name, reading) in AbuseMemory.read(pids) {
                    lock.withLock {
                        if reading.rss > peaks[name]?.rss ?? -1 { peaks[name] = reading }
                    }
                }
                Thread.sleep(forTimeInterval: 0.2)
            }
            done.signal()
        }
        thread.start()
    }

    func stop() -> [String: AbuseMemory.Reading] {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { peaks }
    }
}

/// A separate client getting one object every 20 ms while a case runs: how the api answers anyone else meanwhile.
final class AbuseGetProbe: @unchecked Sendable {
    struct Result: Sendable {
        var stats = LatencyStats()
        var failures = 0
    }

    private let bus: BusClient
    private var task: Task<Result, Never>?

    init(endpoints: BusEndpoints) throws {
        bus = try BusClient(endpoints: endpoints)
        let client = KubusClient(bus: bus, timeout: .seconds(10))
        task = Task {
            var result = Result()
            let name = "abuse-probe-\(BusClock.randomID().prefix(6).lowercased())"
            var probe = ConfigMap(metadata: ObjectMeta(name: name, namespace: "default"))
            probe.data = ["probe": "1"]
            _ = try? await client.create(probe)
            while !Task.isCancelled {
                let t0 = BusClock.nowNs()
                do {
                    _ = try await client.get(ConfigMap.self, namespace: "default", name: name)
                    result.stats.record(ns: BusClock.nowNs() - t0)
                } catch is CancellationError {
                    break
                } catch {
                    result.failures += 1
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return result
        }
    }

    func stop() async -> Result {
        task?.cancel()
        let result = await task?.value ?? Result()
        bus.close()
        return result
    }
}

extension BenchCommand {
    struct AbuseBenchCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "abuse",
            abstract: "Each abuse case of issue 10 on a fresh control plane: the bound, memory, api latency during.",
            discussion: """
                Per case: broker, store and api RSS/PSS before, at the peak during and 5 s after; the latency of a \
                get every 20 ms by another client during; the SQLite file (+WAL) before and after. --quick runs the \
                short forms (seconds each).
                """)
        @OptionGroup var options: BenchOptions
        @Option(name: .customLong("case"), help: "Run only these cases (repeatable); default all.")
        var cases: [String] = []

        func run() async throws {
            try await benchMain(options) { try await $0.abuse(only: cases) }
        }
    }
}
