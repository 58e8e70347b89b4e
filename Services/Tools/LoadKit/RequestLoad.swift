public import Bus
import Foundation
import Synchronization

/// Sends requests with a fixed concurrency, optionally at a fixed overall rate, and measures them.
///
/// With a rate, latency is measured from each request's scheduled time, so a stall shows up in the
/// percentiles instead of silently lowering the rate (no coordinated omission).
public struct RequestLoad: Sendable {
    public struct Result: Sendable {
        public var sent: Int
        public var failures: Int
        public var firstFailure: String?
        public var seconds: Double
        public var latency: LatencyStats
        public var codes: [Int: Int]

        /// An empty result, for loads measured elsewhere (the etcd bench's HTTP load) to fill in.
        public init(
            sent: Int = 0, failures: Int = 0, firstFailure: String? = nil, seconds: Double = 0,
            latency: LatencyStats = LatencyStats(), codes: [Int: Int] = [:]
        ) {
            self.sent = sent
            self.failures = failures
            self.firstFailure = firstFailure
            self.seconds = seconds
            self.latency = latency
            self.codes = codes
        }

        public var perSecond: Double { Double(sent) / max(seconds, 1e-9) }

        public func report(what: String) -> String {
            var lines = [
                "\(what): \(sent) requests in \(String(format: "%.2f", seconds)) s = \(Int(perSecond.rounded()))/s, \(failures) failed",
                "latency: \(latency.summary)",
                "status codes: "
                    + codes.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " "),
            ]
            if let firstFailure { lines.append("first failure: \(firstFailure)") }
            return lines.joined(separator: "\n")
        }
    }

    let client: BusClient
    let service: String
    let type: String
    let concurrency: Int
    let rate: Double
    let count: Int?
    let deadlineNs: Int64
    let payload: @Sendable (Int) -> [UInt8]

    public init(
        client: BusClient, service: String, type: String, concurrency: Int, rate: Double, count: Int?,
        deadlineNs: Int64,
        payload: @escaping @Sendable (Int) -> [UInt8]
    ) {
        self.client = client
        self.service = service
        self.type = type
        self.concurrency = concurrency
        self.rate = rate
        self.count = count
        self.deadlineNs = deadlineNs
        self.payload = payload
    }

    public func run() async throws -> Result {
        let next = AtomicCounter()
        let start = BusClock.nowNs()
        let interval = rate > 0 ? 1e9 / rate : 0
        let limit = count ?? .max
        let results = await withTaskGroup(of: Result.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var r = Result(sent: 0, failures: 0, seconds: 0, latency: LatencyStats(), codes: [:])
                    while true {
                        let i = next.increment() - 1
                        guard i < limit else { break }
                        var t0 = BusClock.nowNs()
                        if interval > 0 {
                            let due = start + Int64(Double(i) * interval)
                            if due > t0 { try? await Task.sleep(for: .nanoseconds(due - t0)) }
                            t0 = due
                        }
                        guard t0 < deadlineNs else { break }
                        do {
                            let reply = try await client.request(service: service, type: type, payload: payload(i))
                            r.codes[reply.code, default: 0] += 1
                            if !reply.isSuccess {
                                r.failures += 1
                                if r.firstFailure == nil {
                                    r.firstFailure = String(decoding: reply.payload.prefix(300), as: UTF8.self)
                                }
                            }
                        } catch {
                            r.failures += 1
                            if r.firstFailure == nil { r.firstFailure = "\(error)" }
                        }
                        r.latency.record(ns: BusClock.nowNs() - t0)
                        r.sent += 1
                    }
                    return r
                }
            }
            var total = Result(sent: 0, failures: 0, seconds: 0, latency: LatencyStats(), codes: [:])
            for await r in group {
                total.sent += r.sent
                total.failures += r.failures
                total.firstFailure = total.firstFailure ?? r.firstFailure
                total.latency.merge(r.latency)
                total.codes.merge(r.codes, uniquingKeysWith: +)
            }
            return total
        }
        var total = results
        total.seconds = Double(BusClock.nowNs() - start) / 1e9
        return total
    }
}

/// An integer counter shared between tasks.
public final class AtomicCounter: Sendable {
    private let value = Atomic<Int>(0)
    public init() {}
    /// Adds one and returns the new value.
    @discardableResult public func increment() -> Int { value.add(1, ordering: .relaxed).newValue }
    public var current: Int { value.load(ordering: .relaxed) }
    public func reset() { value.store(0, ordering: .relaxed) }
}

/// A value shared between tasks behind a lock.
public final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    public init(_ value: Value) { mutex = Mutex(value) }
    public func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
    public var value: Value { mutex.withLock { $0 } }
}
