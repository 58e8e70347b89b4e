import DequeModule

/// A de-duplicating, rate-limited work queue of keys, with client-go's semantics.
///
/// - A key added while queued is not queued twice; a key added while being processed is queued again
///   only after `done`, so no key is ever processed by two workers at once.
/// - `addRateLimited` re-adds a key after an exponential backoff (`baseDelay` × 2^failures, capped at
///   `maxDelay`); `forget` resets its failure count after a success.
public actor WorkQueue<Key: Hashable & Sendable> {
    private var queue: Deque<Key> = []
    private var queued: Set<Key> = []
    private var processing: Set<Key> = []
    private var dirty: Set<Key> = []
    private var failures: [Key: Int] = [:]
    private var waiters: Deque<CheckedContinuation<Key?, Never>> = []
    /// The pending delayed add of each key: when it fires, and the task that fires it.
    private var delayed: [Key: (at: ContinuousClock.Instant, task: Task<Void, Never>)] = [:]
    private var isShutDown = false
    public let baseDelay: Duration
    public let maxDelay: Duration

    public init(baseDelay: Duration = .milliseconds(5), maxDelay: Duration = .seconds(300)) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
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
            waiter.resume(returning: key)
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
        let at = ContinuousClock.now + delay
        if let waiting = delayed[key], waiting.at <= at { return }
        delayed[key]?.task.cancel()
        let task = Task { [weak self] in
            try? await Task.sleep(until: at, clock: .continuous)
            guard !Task.isCancelled else { return }
            await self?.fireDelayed(key, at: at)
        }
        delayed[key] = (at, task)
    }

    private func fireDelayed(_ key: Key, at: ContinuousClock.Instant) {
        if delayed[key]?.at == at { delayed[key] = nil }
        add(key)
    }

    /// When the delayed add of `key` fires, if one is waiting.
    public func delayedUntil(_ key: Key) -> ContinuousClock.Instant? { delayed[key]?.at }

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

    /// The next key to process, waiting for one; nil once the queue is shut down.
    public func get() async -> Key? {
        if let key = queue.popFirst() {
            queued.remove(key)
            processing.insert(key)
            return key
        }
        if isShutDown { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Marks `key` as processed; if it was added meanwhile, it is queued again.
    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.remove(key) != nil { add(key) }
    }

    /// Keys waiting (not counting those being processed).
    public var count: Int { queue.count }

    /// Stops the queue: waiting `get` calls return nil, delayed adds are dropped.
    public func shutDown() {
        isShutDown = true
        for waiting in delayed.values { waiting.task.cancel() }
        delayed.removeAll()
        while let w = waiters.popFirst() { w.resume(returning: nil) }
    }
}
