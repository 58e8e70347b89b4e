import DequeModule
import HeapModule

/// A de-duplicating, rate-limited, delaying work queue of keys, with client-go's semantics.
///
/// - A key added while queued is not queued twice; a key added while being processed is queued again
///   only after `done`, so no key is ever processed by two workers at once.
/// - `addRateLimited` re-adds a key after an exponential backoff (`baseDelay` × 2^failures, capped at
///   `maxDelay`); `forget` resets its failure count after a success.
/// - `add(_:after:)` keeps delayed keys in one heap, waited on by one timer on the queue's clock (client-go's
///   delaying queue), so a thousand delayed keys cost a heap entry each, not a task each.
/// - `get` returns nil once the queue is shut down or the calling task is cancelled, so workers end with the
///   task that runs them (`QueueWorkers`).
public actor WorkQueue<Key: Hashable & Sendable> {
    private var queue: Deque<Key> = []
    private var queued: Set<Key> = []
    private var processing: Set<Key> = []
    private var dirty: Set<Key> = []
    private var failures: [Key: Int] = [:]
    private var waiters: Deque<(id: UInt64, continuation: CheckedContinuation<Key?, Never>)> = []
    private var nextWaiter: UInt64 = 0
    private var isShutDown = false
    public let baseDelay: Duration
    public let maxDelay: Duration

    // The delaying part: when each delayed key is due (on `clock`), and a heap of (due, key) that may hold
    // entries replaced since (skipped when they come up).
    private let clock: WorkQueueClock
    private var due: [Key: Duration] = [:]
    private var heap = Heap<Delayed>()
    private var timer: (at: Duration, generation: UInt64, task: Task<Void, Never>)?
    private var generation: UInt64 = 0

    private struct Delayed: Comparable {
        var at: Duration
        var sequence: UInt64
        var key: Key
        static func < (a: Delayed, b: Delayed) -> Bool { (a.at, a.sequence) < (b.at, b.sequence) }
        static func == (a: Delayed, b: Delayed) -> Bool { a.at == b.at && a.sequence == b.sequence }
    }
    private var sequence: UInt64 = 0

    public init(
        baseDelay: Duration = .milliseconds(5), maxDelay: Duration = .seconds(300), clock: WorkQueueClock = .continuous
    ) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.clock = clock
    }

    /// Queues `key` unless it is already queued; if it is being processed, queues it again after `done`.
    public func add(_ key: Key) {
        guard !isShutDown else { return }
        if processing.contains(key) {
            dirty.insert(key)
            return
        }
        guard !queued.contains(key) else { return }
        if let waiter = waiters.popFirst() {
            processing.insert(key)
            waiter.continuation.resume(returning: key)
            return
        }
        queued.insert(key)
        queue.append(key)
    }

    /// Queues `key` after `delay`. A key has at most one delayed add waiting, the earliest asked for (client-go's
    /// delaying queue): a later one is dropped, an earlier one replaces it. A controller that needs to look
    /// again later asks again when it reconciles.
    public func add(_ key: Key, after delay: Duration) {
        guard !isShutDown else { return }
        guard delay > .zero else { return add(key) }
        let at = clock.now() + delay
        if let waiting = due[key], waiting <= at { return }
        due[key] = at
        sequence += 1
        heap.insert(Delayed(at: at, sequence: sequence, key: key))
        armTimer()
    }

    /// How long until the delayed add of `key` fires, if one is waiting.
    public func delay(of key: Key) -> Duration? { due[key].map { $0 - clock.now() } }

    /// Keys waiting for their delayed add.
    public var delayedCount: Int { due.count }

    /// Drops heap entries that were replaced, then makes sure one timer waits for the earliest due key.
    private func armTimer() {
        while let first = heap.min, due[first.key] != first.at { heap.removeMin() }
        guard let first = heap.min else {
            timer?.task.cancel()
            timer = nil
            return
        }
        if let timer, timer.at <= first.at { return }
        timer?.task.cancel()
        generation += 1
        let generation = self.generation
        let clock = self.clock
        let at = first.at
        let task = Task { [weak self] in
            try? await clock.sleep(until: at)
            guard !Task.isCancelled else { return }
            await self?.fire(generation)
        }
        timer = (at, generation, task)
    }

    /// Queues every key that is due, then waits for the next.
    private func fire(_ generation: UInt64) {
        guard timer?.generation == generation else { return }
        timer = nil
        let now = clock.now()
        while let first = heap.min, first.at <= now {
            heap.removeMin()
            guard due[first.key] == first.at else { continue }
            due[first.key] = nil
            add(first.key)
        }
        armTimer()
    }

    /// Queues `key` after its backoff, and counts a failure.
    public func addRateLimited(_ key: Key) {
        let n = failures[key, default: 0]
        failures[key] = n + 1
        add(key, after: backoff(failures: n))
    }

    /// The backoff after `failures` previous failures.
    public func backoff(failures: Int) -> Duration {
        let factor = 1 << min(failures, 30)
        let d = baseDelay * factor
        return d > maxDelay ? maxDelay : d
    }

    /// Forgets the failures of `key` (call after it was processed successfully).
    public func forget(_ key: Key) { failures[key] = nil }

    /// How many times `key` failed since it was last forgotten.
    public func numRequeues(_ key: Key) -> Int { failures[key, default: 0] }

    /// The next key to process, waiting for one; nil once the queue is shut down or the calling task is cancelled.
    public func get() async -> Key? {
        if let key = queue.popFirst() {
            queued.remove(key)
            processing.insert(key)
            return key
        }
        if isShutDown || Task.isCancelled { return nil }
        nextWaiter += 1
        let id = nextWaiter
        return await withTaskCancellationHandler {
            await withCheckedContinuation { waiters.append((id, $0)) }
        } onCancel: {
            // Runs on the cancelling thread: hop onto the queue, where the waiter is already listed.
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }  // already given a key
        waiters.remove(at: index).continuation.resume(returning: nil)
    }

    /// Marks `key` as processed; if it was added meanwhile, it is queued again.
    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.remove(key) != nil { add(key) }
    }

    /// Keys waiting (not counting those being processed or delayed).
    public var count: Int { queue.count }

    /// Stops the queue: waiting `get` calls return nil, delayed adds are dropped.
    public func shutDown() {
        isShutDown = true
        timer?.task.cancel()
        timer = nil
        due.removeAll()
        heap = Heap()
        while let w = waiters.popFirst() { w.continuation.resume(returning: nil) }
    }
}

/// The clock a `WorkQueue` measures delays on: any `Clock` with `Duration`s (a test passes a manual one), read as
/// the time since the queue's clock was made.
public struct WorkQueueClock: Sendable {
    /// Time since this clock was made.
    public let now: @Sendable () -> Duration
    /// Returns once `now()` has reached `deadline`; throws on cancellation.
    public let sleep: @Sendable (_ deadline: Duration) async throws -> Void

    /// A clock from its two operations (a test's manual clock).
    public init(now: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        now = { origin.duration(to: clock.now) }
        sleep = { deadline in try await clock.sleep(until: origin.advanced(by: deadline), tolerance: nil) }
    }

    /// The process's monotonic clock.
    public static var continuous: WorkQueueClock { WorkQueueClock(ContinuousClock()) }

    func sleep(until deadline: Duration) async throws { try await sleep(deadline) }
}
