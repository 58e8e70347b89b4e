import Bus
import BusTesting
import Foundation
import LoadKit
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1)))
struct RequestLoadTests {
    /// Requests in the worker's hands now and at most, as the worker saw them.
    final class Concurrency: Sendable {
        let now = Atomic<Int>(0)
        let most = Atomic<Int>(0)

        func enter() {
            let n = now.add(1, ordering: .relaxed).newValue
            var seen = most.load(ordering: .relaxed)
            while n > seen {
                let (exchanged, original) = most.compareExchange(
                    expected: seen, desired: n, ordering: .relaxed)
                if exchanged { break }
                seen = original
            }
        }

        func leave() { now.subtract(1, ordering: .relaxed) }
    }

    /// Runs `body` with an `echo` worker that holds each request `hold` before answering 200.
    func withEcho(hold: Duration, _ body: (BusClient, Concurrency) async throws -> Void) async throws {
        try await withBroker { endpoints, _ in
            let worker = try Worker(endpoints: endpoints, service: "echo")
            let concurrency = Concurrency()
            let serving = Task {
                await worker.run { request in
                    concurrency.enter()
                    defer { concurrency.leave() }
                    try? await Task.sleep(for: hold)
                    return BusReply(code: 200, payload: request.payload)
                }
            }
            defer {
                worker.close()
                serving.cancel()
            }
            let client = try BusClient(endpoints: endpoints)
            defer { client.close() }
            try await body(client, concurrency)
        }
    }

    @Test func aPacedLoadSendsEveryRequestAndMeasuresEach() async throws {
        try await withEcho(hold: .zero) { client, _ in
            let result = try await RequestLoad(
                client: client, service: "echo", type: "say", concurrency: 8, rate: 2_000, count: 300,
                deadlineNs: BusClock.nowNs() + 30_000_000_000
            ) { i in Array("\(i)".utf8) }.run()
            #expect(result.sent == 300)
            #expect(result.failures == 0)
            #expect(result.codes == [200: 300])
            #expect(result.latency.count == 300)
            #expect(result.lateness.count == 300)
        }
    }

    /// A server slower than the rate: the pacer never has more than `concurrency` requests out, and the requests it
    /// could not start on time count as late (and in their latency), instead of lowering the rate unseen.
    @Test func aPacedLoadKeepsToItsConcurrencyAndCountsWhatItCouldNotStartInTime() async throws {
        try await withEcho(hold: .milliseconds(20)) { client, concurrency in
            let result = try await RequestLoad(
                client: client, service: "echo", type: "say", concurrency: 2, rate: 1_000, count: 100,
                deadlineNs: BusClock.nowNs() + 30_000_000_000
            ) { _ in [] }.run()
            #expect(result.sent == 100)
            #expect(concurrency.most.load(ordering: .relaxed) <= 2)
            #expect(concurrency.most.load(ordering: .relaxed) >= 1)
            // 100 requests two at a time, 20 ms each, take at least a second; the last was due at 99 ms.
            #expect(result.lateness.percentile(100) >= 500_000_000)
            #expect(result.latency.percentile(100) >= result.lateness.percentile(100))
        }
    }
}
