import Client
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
        let queue = WorkQueue<String>()
        await queue.add("a", after: .milliseconds(300))
        let first = try #require(await queue.delayedUntil("a"))
        // A later one is dropped; an earlier one replaces it.
        await queue.add("a", after: .seconds(60))
        #expect(await queue.delayedUntil("a") == first)
        await queue.add("a", after: .milliseconds(20))
        let earlier = try #require(await queue.delayedUntil("a"))
        #expect(earlier < first)
        #expect(await queue.get() == "a")
        await queue.done("a")
        #expect(await queue.delayedUntil("a") == nil)
        // The replaced add never fires: nothing is queued after its time.
        try await Task.sleep(for: .milliseconds(400))
        #expect(await queue.count == 0)
    }
}

