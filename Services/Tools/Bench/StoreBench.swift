import ArgumentParser
import Foundation
import LoadKit
import Schema
import Store
import Wire

/// Durable writes straight to the SQLite backend, no bus or process: the ceiling of `kubus-store`
/// (`kubus-bench store-direct`).
enum StoreBench {
    /// Opens (or creates) a store at `path` and writes `count` puts from `writers` concurrent writers, each put
    /// awaited before the writer's next; returns throughput and per-write latency percentiles.
    ///
    /// Keys go under a fresh `/bench/<uuid>/` prefix, so an existing store is only added to.
    static func run(
        path: String, writers: Int, count: Int, configuration: SQLiteBackendConfiguration = .init()
    ) async throws -> (perSecond: Double, latency: LatencyStats) {
        let backend = try SQLiteBackend(path: path, configuration: configuration)
        let writers = max(1, writers)
        let prefix = "/bench/\(RandomUID.make())/"
        let value =
            "{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"}]},"
            + "\"metadata\":{\"labels\":{\"app\":\"web\"}},\"padding\":\"\(String(repeating: "x", count: 160))\"}"
        let clock = ContinuousClock()
        let start = clock.now
        let latency: LatencyStats
        do {
            latency = try await withThrowingTaskGroup(of: LatencyStats.self) { group in
                for writer in 0..<writers {
                    let share = count / writers + (writer < count % writers ? 1 : 0)
                    group.addTask {
                        var latency = LatencyStats()
                        for index in 0..<share {
                            let began = clock.now
                            _ = try await backend.write(
                                WriteRequest(key: "\(prefix)\(writer)/\(index)", operation: .put(value: value))
                            )
                            latency.record(clock.now - began)
                        }
                        return latency
                    }
                }
                var all = LatencyStats()
                for try await part in group { all.merge(part) }
                return all
            }
        } catch {
            await backend.close()
            throw error
        }
        let elapsed = clock.now - start
        await backend.close()
        let seconds = elapsed / .seconds(1)
        return (seconds > 0 ? Double(latency.count) / seconds : 0, latency)
    }
}

/// `kubus-bench store-direct`: `StoreBench` with 1 and 16 writers in a temporary folder, removed after.
struct StoreDirectBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-direct",
        abstract: "The SQLite backend alone (no bus, no process): durable puts with 1 and 16 writers.")

    @Option(help: "Puts per run.")
    var count = 20_000

    @Flag(help: "PRAGMA synchronous=OFF: not durable; shows what the fsyncs cost.")
    var noSync = false

    func run() async throws {
        for writers in [1, 16] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kubus-store-bench-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            var configuration = SQLiteBackendConfiguration()
            if noSync { configuration.synchronous = .off }
            let result = try await StoreBench.run(
                path: folder.appendingPathComponent("bench.db").path, writers: writers, count: count,
                configuration: configuration)
            print(
                "store-direct writers=\(writers) puts=\(count)\(noSync ? " synchronous=off" : ""): "
                    + "\(Int(result.perSecond)) puts/s, \(result.latency.summary)")
        }
    }
}
