import Bus
import Foundation
import LoadKit
import ServiceKit

/// Durable writes through the bus: store `write` and api `create`, closed-loop with 1 and 16 in flight,
/// and at a fixed rate.
enum RequestBench {
    /// Runs `count` requests with `concurrency` in flight (or `rate` per second), stopping after `maxSeconds`.
    static func run(
        client: BusClient, service: String, type: String, concurrency: Int, count: Int?, rate: Double = 0,
        maxSeconds: Double, payload: @escaping @Sendable (Int) -> [UInt8]
    ) async throws -> LoadResult {
        try await RequestLoad(
            client: client, service: service, type: type, concurrency: concurrency, rate: rate, count: count,
            deadlineNs: BusClock.nowNs() + Int64(maxSeconds * 1e9), payload: payload
        ).run()
    }

    /// Records throughput and latency figures of one closed-loop run under `key`.
    static func record(_ r: LoadResult, key: String, label: String, report: BenchReport, goal: Figure.Goal? = nil) {
        print("  \(r.report(what: label).replacingOccurrences(of: "\n", with: "\n  "))")
        if r.failures > 0 {
            report.note("\(label): \(r.failures) of \(r.sent) failed; first: \(r.firstFailure ?? "?")")
        }
        report.record("\(key).rate", "\(label) /s", r.perSecond, unit: "/s", goal: goal)
        report.record("\(key).p50", "\(label) p50", Double(r.latency.percentile(50)) / 1e6, unit: "ms")
        report.record("\(key).p99", "\(label) p99", Double(r.latency.percentile(99)) / 1e6, unit: "ms")
    }
}

/// The outcome of a closed-loop or fixed-rate load, through the bus or (etcd) over HTTP.
typealias LoadResult = RequestLoad.Result
