import BusTesting
import Client
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1)))
struct WorkQueueTests {
    @Test func duplicatesCollapseWhileQueued() async {
        let q = WorkQueue<String>()
        await q.add("a")
        await q.add("a")
        await q.add("b")
        #expect(await q.count == 2)
        #expect(await q.get() == "a")
        #expect(await q.get() == "b")
    }

    @Test func keyAddedWhileProcessingIsRequeuedOnlyAfterDone() async {
        let q = WorkQueue<String>()
        await q.add("a")
        let first = await q.get()
        #expect(first == "a")
        await q.add("a")
        #expect(await q.count == 0)  // not handed to a second worker while the first holds it
        await q.done("a")
        #expect(await q.count == 1)
        #expect(await q.get() == "a")
    }

    @Test func waitingGetReceivesLaterAdd() async {
        let q = WorkQueue<Int>()
        async let got = q.get()
        try? await Task.sleep(for: .milliseconds(50))
        await q.add(7)
        #expect(await got == 7)
    }

    @Test func rateLimitedBackoffGrowsAndForgetResets() async throws {
        let q = WorkQueue<String>(baseDelay: .milliseconds(10), maxDelay: .milliseconds(80))
        #expect(await q.backoff(failures: 0) == .milliseconds(10))
        #expect(await q.backoff(failures: 2) == .milliseconds(40))
        #expect(await q.backoff(failures: 10) == .milliseconds(80))
        await q.addRateLimited("x")
        await q.addRateLimited("x")
        #expect(await q.numRequeues("x") == 2)
        #expect(await q.count == 0)  // not yet: it waits for its backoff
        let key = await q.get()
        #expect(key == "x")
        await q.forget("x")
        #expect(await q.numRequeues("x") == 0)
    }

    @Test func shutDownReleasesWaiters() async {
        let q = WorkQueue<Int>()
        async let got = q.get()
        try? await Task.sleep(for: .milliseconds(20))
        await q.shutDown()
        #expect(await got == nil)
    }

    @Test func theEarliestDelayedAddWins() async throws {
        let time = ManualTime()
        let queue = WorkQueue<String>(clock: time.clock)
        await queue.add("a", after: .milliseconds(300))
        #expect(await queue.delay(of: "a") == .milliseconds(300))
        // A later one is dropped; an earlier one replaces it.
        await queue.add("a", after: .seconds(60))
        #expect(await queue.delay(of: "a") == .milliseconds(300))
        await queue.add("a", after: .milliseconds(20))
        #expect(await queue.delay(of: "a") == .milliseconds(20))
        await time.advance(by: .milliseconds(20))
        #expect(await queue.get() == "a")
        await queue.done("a")
        #expect(await queue.delay(of: "a") == nil)
        // The replaced add never fires: nothing is queued after its time.
        await time.advance(by: .seconds(120))
        #expect(await queue.count == 0)
    }

    @Test func delayedKeysComeOutInDueOrderOnOneTimer() async throws {
        let time = ManualTime()
        let queue = WorkQueue<Int>(clock: time.clock)
        for i in (0..<1_000).reversed() { await queue.add(i, after: .milliseconds(10 * (i + 1))) }
        #expect(await queue.delayedCount == 1_000)
        try await Task.sleep(for: .milliseconds(50))  // timers replaced by earlier ones end
        #expect(time.sleepers == 1)  // one timer, not a task per key
        await time.advance(by: .milliseconds(5_000))
        #expect(await queue.count == 500)
        var order: [Int] = []
        for _ in 0..<500 { order.append(try #require(await queue.get())) }
        #expect(order == Array(0..<500))
        await time.advance(by: .milliseconds(5_000))
        #expect(await queue.count == 500)
        #expect(await queue.delayedCount == 0)
    }

    @Test func getReturnsNilWhenItsTaskIsCancelled() async {
        let queue = WorkQueue<String>()
        let waiting = Task { await queue.get() }
        try? await Task.sleep(for: .milliseconds(20))
        waiting.cancel()
        #expect(await waiting.value == nil)
        // The queue still works for the others: a key added now goes to the next get, not the cancelled one.
        await queue.add("a")
        #expect(await queue.get() == "a")
    }

    @Test func queueWorkersEndWithTheirTaskAndApplyOutcomes() async throws {
        let queue = WorkQueue<String>(baseDelay: .milliseconds(1), maxDelay: .milliseconds(1))
        let seen = Mutex<[String: Int]>([:])
        let workers = QueueWorkers(queue: queue, count: 3) { key in
            let n = seen.withLock { s in
                s[key, default: 0] += 1
                return s[key]!
            }
            switch key {
            case "flaky": return n < 3 ? .retry : .done
            case "again": return n < 2 ? .again(after: .milliseconds(5)) : .done
            default: return .done
            }
        }
        let running = Task { await workers.run() }
        for key in ["a", "flaky", "again"] { await queue.add(key) }
        let settled = await eventually {
            seen.withLock { $0 == ["a": 1, "flaky": 3, "again": 2] }
        }
        #expect(settled)
        #expect(await queue.numRequeues("flaky") == 0)  // forgotten once it succeeded
        running.cancel()
        await running.value  // returns: the workers saw the cancellation while waiting in get
    }
}

/// A clock moved by hand: sleepers wake when `advance` passes their deadline, or when their task is cancelled.
final class ManualTime: Sendable {
    private struct State {
        var now: Duration = .zero
        var nextID = 0
        var sleepers: [Int: (deadline: Duration, continuation: CheckedContinuation<Void, Never>)] = [:]
    }
    private let state = Mutex(State())

    /// Sleeps waiting now.
    var sleepers: Int { state.withLock { $0.sleepers.count } }

    var clock: WorkQueueClock {
        WorkQueueClock(
            now: { self.state.withLock { $0.now } },
            sleep: { deadline in
                let id = self.state.withLock { s -> Int in
                    s.nextID += 1
                    return s.nextID
                }
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let due = self.state.withLock { s -> Bool in
                            if s.now >= deadline || Task.isCancelled { return true }
                            s.sleepers[id] = (deadline, continuation)
                            return false
                        }
                        if due { continuation.resume() }
                    }
                } onCancel: {
                    self.state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume()
                }
                try Task.checkCancellation()
            })
    }

    /// Moves the time on and wakes whoever is due, then lets the woken work run.
    func advance(by delta: Duration) async {
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.now += delta
            let due = s.sleepers.filter { $0.value.deadline <= s.now }
            for id in due.keys { s.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for c in woken { c.resume() }
        for _ in 0..<20 { await Task.yield() }
        try? await Task.sleep(for: .milliseconds(20))
    }
}
