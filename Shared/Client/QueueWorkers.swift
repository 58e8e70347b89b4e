/// What a worker did with a key.
public enum WorkOutcome: Sendable, Equatable {
    /// Processed: its failures are forgotten.
    case done
    /// Failed: queued again after its backoff (`WorkQueue.addRateLimited`).
    case retry
    /// Processed, and to be looked at again after the delay (its failures forgotten).
    case again(after: Duration)
}

/// Workers that take keys from a `WorkQueue` until the task running them is cancelled or the queue is shut
/// down: the one reconcile loop of the controllers, the scheduler and both kubelets.
///
/// Each key is processed by one worker at a time (the queue's guarantee); what `process` returns decides
/// whether it is forgotten, retried with backoff or looked at again later. A key being processed when the task
/// is cancelled is finished first (`process` sees the cancellation).
public struct QueueWorkers<Key: Hashable & Sendable>: Sendable {
    public let queue: WorkQueue<Key>
    public let count: Int
    public let process: @Sendable (Key) async -> WorkOutcome

    public init(queue: WorkQueue<Key>, count: Int, process: @escaping @Sendable (Key) async -> WorkOutcome) {
        self.queue = queue
        self.count = max(1, count)
        self.process = process
    }

    /// Runs `count` workers; returns once every one has ended.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for _ in 0..<count {
                group.addTask { await self.work() }
            }
        }
    }

    private func work() async {
        while let key = await queue.get() {
            switch await process(key) {
            case .done:
                await queue.forget(key)
            case .retry:
                await queue.addRateLimited(key)
            case .again(let delay):
                await queue.forget(key)
                await queue.add(key, after: delay)
            }
            await queue.done(key)
        }
    }
}
