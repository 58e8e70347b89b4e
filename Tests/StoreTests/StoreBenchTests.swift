import Foundation
import Schema
import Testing

@testable import Store

/// Runs `StoreBench` and prints its numbers; set `KUBUS_STORE_BENCH=<writes>` to enable. Never asserts on time.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["KUBUS_STORE_BENCH"] != nil))
struct StoreBenchTests {
    @Test(arguments: [1, 16])
    func bench(writers: Int) async throws {
        let count = Int(ProcessInfo.processInfo.environment["KUBUS_STORE_BENCH"] ?? "") ?? 20_000
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("bench.db").path
            var configuration = SQLiteBackendConfiguration()
            if ProcessInfo.processInfo.environment["KUBUS_STORE_BENCH_SYNC"] == "off" {
                configuration.synchronous = .off
            }
            let result = try await StoreBench.run(
                path: path, writers: writers, count: count, configuration: configuration
            )
            print(
                "StoreBench writers=\(writers) count=\(count): \(Int(result.perSecond)) writes/s, "
                    + "p50 \(result.p50), p99 \(result.p99)"
            )
        }
    }
}
