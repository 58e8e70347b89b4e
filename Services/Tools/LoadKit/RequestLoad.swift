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
        /// With a rate: how late each request left this process after its scheduled time (its own scheduling, not
        /// the server's; it is inside `latency`, so a late generator shows here rather than as server latency).
        public var lateness = LatencyStats()

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
            var lines =
                [
                    "\(what): \(sent) requests in \(String(format: "%.2f", seconds)) s = \(Int(perSecond.rounded()))/s, \(failures) failed",
                    "latency: \(latency.summary)",
                ] + (lateness.count > 0 ? ["sent after its scheduled time by: \(lateness.summary)"] : []) + [
                    "status codes: "
                        + codes.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
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
        if rate > 0 { return await runPaced() }
        // As fast as it goes: each task sends its next request when its last one is answered.
        let next = AtomicCounter()
        // The bus refused this client's handshake: every later request would be refused too, so the load stops.
        let refused = StopFlag()
        let start = BusClock.nowNs()
        let limit = count ?? .max
        let results = await withTaskGroup(of: Result.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var r = Result(sent: 0, failures: 0, seconds: 0, latency: LatencyStats(), codes: [:])
                    while true {
                        let i = next.increment() - 1
                        guard i < limit else { break }
                        let t0 = BusClock.nowNs()
                        guard t0 < deadlineNs, !refused.isSet else { break }
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
                            if (error as? BusError)?.isHandshake == true { refused.set() }
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

extension RequestLoad {
    /// At a rate: a pacer thread of its own sleeps to each request's scheduled time and starts it as a task of its
    /// own, at most `concurrency` in flight. Tasks that each slept to their own time (the closed loop's shape) were
    /// woken late by the timers — tens of milliseconds with 64 of them at 1,000/s against a server answering in 1 ms
    /// — and that lateness counted as the server's latency.
    fileprivate func runPaced() async -> Result {
        let interval = 1e9 / rate
        let limit = count ?? .max
        let start = BusClock.nowNs()
        let state = PacedState()
        let load = self
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            let pacer = Thread {
                var i = 0
                while i < limit {
                    let due = start + Int64(Double(i) * interval)
                    guard due < load.deadlineNs, !state.refused.isSet else { break }
                    // BusClock is CLOCK_MONOTONIC: sleep to the absolute time.
                    var at = timespec(tv_sec: Int(due / 1_000_000_000), tv_nsec: Int(due % 1_000_000_000))
                    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, nil) == EINTR {}
                    while state.inFlight.load(ordering: .acquiring) >= load.concurrency { usleep(50) }
                    let late = max(0, BusClock.nowNs() - due)
                    state.inFlight.add(1, ordering: .acquiringAndReleasing)
                    let index = i
                    Task {
                        var code = 0
                        var failure: String?
                        do {
                            let reply = try await load.client.request(
                                service: load.service, type: load.type, payload: load.payload(index))
                            code = reply.code
                            if !reply.isSuccess { failure = String(decoding: reply.payload.prefix(300), as: UTF8.self) }
                        } catch {
                            failure = "\(error)"
                            if (error as? BusError)?.isHandshake == true { state.refused.set() }
                        }
                        let took = BusClock.nowNs() - due
                        state.collected.withLock { r in
                            r.sent += 1
                            r.latency.record(ns: took)
                            r.lateness.record(ns: late)
                            if code != 0 { r.codes[code, default: 0] += 1 }
                            if let failure {
                                r.failures += 1
                                if r.firstFailure == nil { r.firstFailure = failure }
                            }
                        }
                        state.inFlight.subtract(1, ordering: .acquiringAndReleasing)
                    }
                    i += 1
                }
                while state.inFlight.load(ordering: .acquiring) > 0 { usleep(200) }
                finished.resume()
            }
            pacer.start()
        }
        var total = state.collected.withLock { $0 }
        total.seconds = Double(BusClock.nowNs() - start) / 1e9
        return total
    }
}

/// What the paced load's requests share: their results and how many are in flight.
private final class PacedState: Sendable {
    let collected = Mutex(RequestLoad.Result())
    let inFlight = Atomic<Int>(0)
    let refused = StopFlag()
}

/// A flag set once, read from many tasks.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
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
