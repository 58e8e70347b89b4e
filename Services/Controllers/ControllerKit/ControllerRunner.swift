public import Bus
public import Client
import Foundation
import Logging
import Schema
public import ServiceLifecycle
import Synchronization

/// Runs one controller as a `Service`: starts its informers, waits for their sync, elects a leader through
/// the Lease `kube-system/kubus-<name>`, then runs workers that take keys from the queue and reconcile them
/// (forget on success, requeue with backoff on error) until graceful shutdown.
///
/// Every instance keeps its caches warm; only the leader's workers reconcile, so two instances can run and one
/// can be swapped live. The runner also serves `status` on the bus service `controller-<name>`, and logs its
/// reconcile counts and rate when it stops.
public final class ControllerRunner: ServiceLifecycle.Service, Sendable {
    private let controller: any Controller
    private let context: ControllerContext
    private let endpoints: BusEndpoints
    private let leaderElector: LeaderElector?
    private let stats = Mutex(ControllerStats())

    /// Creates a runner; with a `leaderElector`, the controller works only while that elector leads.
    public init(
        controller: any Controller, context: ControllerContext, endpoints: BusEndpoints, leaderElector: LeaderElector?
    ) {
        self.controller = controller
        self.context = context
        self.endpoints = endpoints
        self.leaderElector = leaderElector
    }

    /// Creates the controller `type` in `context` and a runner for it.
    public convenience init<C: Controller>(
        _ type: C.Type, context: ControllerContext, endpoints: BusEndpoints, leaderElector: LeaderElector?
    ) throws {
        self.init(
            controller: try C(context: context), context: context, endpoints: endpoints, leaderElector: leaderElector)
    }

    /// What the runner has done so far.
    public var statistics: ControllerStats { stats.withLock { $0 } }

    private var logger: Logger { context.logger }

    /// Runs until graceful shutdown or cancellation; throws `LeaderElectionError` when leadership is lost.
    public func run() async throws {
        let informers = context.informers
        let statusWorker = try? Worker(endpoints: endpoints, service: "controller-\(context.name)", capacity: 16)
        defer { statusWorker?.close() }
        do {
            try await cancelWhenGracefulShutdown { [self] in
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await informers.run() }
                    if let statusWorker {
                        group.addTask { [self] in await statusWorker.run { _ in self.statusReply() } }
                    }
                    group.addTask { [self] in
                        await informers.waitForSync()
                        logger.info(
                            "controller caches synced",
                            metadata: ["kubus.kinds": "\(informers.kinds.joined(separator: ","))"])
                        if let leaderElector {
                            try await leaderElector.run { try await self.runWorkers() }
                        } else {
                            try await runWorkers()
                        }
                    }
                }
            }
        } catch is CancellationError {
            // Graceful shutdown or cancellation.
        } catch {
            logStatistics()
            throw error
        }
        logStatistics()
    }

    /// Reconciles until the task is cancelled (graceful shutdown, or leadership lost).
    private func runWorkers() async throws {
        let queue = context.queue
        stats.withLock { $0.leadingSince = ContinuousClock.now }
        logger.info("controller started", metadata: ["kubus.workers": "\(context.configuration.workers)"])
        for key in controller.resyncKeys() { await queue.add(key) }
        let workers = QueueWorkers(queue: queue, count: context.configuration.workers) { [self] key in
            await reconcile(key)
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await workers.run() }
            if let period = context.configuration.resyncPeriod {
                group.addTask { await self.resync(every: period) }
            }
        }
        try Task.checkCancellation()
    }

    private func reconcile(_ key: String) async -> WorkOutcome {
        let start = ContinuousClock.now
        do {
            try await controller.reconcile(key)
            stats.withLock { $0.record(success: true, duration: ContinuousClock.now - start) }
            return .done
        } catch is CancellationError {
            return .retry  // stopping: whoever leads next looks at it again
        } catch {
            let failures = await context.queue.numRequeues(key)
            logger.log(
                level: failures >= 3 ? .warning : .debug, "reconcile failed; will retry",
                metadata: ["kubus.key": "\(key)", "kubus.retries": "\(failures)", "kubus.error": "\(error)"])
            stats.withLock { $0.record(success: false, duration: ContinuousClock.now - start) }
            return .retry
        }
    }

    private func resync(every period: Duration) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: period)
            } catch {
                return
            }
            for key in controller.resyncKeys() { await context.queue.add(key) }
        }
    }

    private func statusReply() -> BusReply {
        let s = statistics
        let body: JSONValue = [
            "controller": .string(context.name), "leader": .bool(leaderElector?.isLeader ?? true),
            "identity": .string(leaderElector?.identity ?? ""), "reconciles": .int(Int64(s.reconciles)),
            "errors": .int(Int64(s.errors)), "busySeconds": .double(s.busy / .seconds(1)),
            "activeSeconds": .double(s.activeSeconds),
        ]
        return BusReply(code: 200, payload: body.encoded())
    }

    private func logStatistics() {
        let s = statistics
        logger.info(
            "controller stopped",
            metadata: [
                "kubus.reconciles": "\(s.reconciles)", "kubus.errors": "\(s.errors)",
                "kubus.rate": "\(String(format: "%.1f", s.ratePerSecond))/s",
                "kubus.meanMillis": "\(String(format: "%.2f", s.meanMilliseconds))",
            ])
    }
}

/// Counts of a controller's reconciles.
public struct ControllerStats: Sendable {
    /// Reconciles run (successful and failed).
    public var reconciles = 0
    /// Reconciles that threw.
    public var errors = 0
    /// Time spent reconciling.
    public var busy: Duration = .zero
    /// When this instance started leading.
    public var leadingSince: ContinuousClock.Instant?
    /// When the first reconcile started and the last one ended.
    public var firstStart: ContinuousClock.Instant?
    public var lastEnd: ContinuousClock.Instant?

    mutating func record(success: Bool, duration: Duration) {
        reconciles += 1
        if !success { errors += 1 }
        busy += duration
        let now = ContinuousClock.now
        if firstStart == nil { firstStart = now - duration }
        lastEnd = now
    }

    /// Seconds from the start of the first reconcile to the end of the last: with the queue kept full,
    /// `reconciles / activeSeconds` is the work-queue throughput.
    public var activeSeconds: Double {
        guard let firstStart, let lastEnd else { return 0 }
        return (lastEnd - firstStart) / .seconds(1)
    }

    /// Reconciles per second since this instance started leading.
    public var ratePerSecond: Double {
        guard let leadingSince else { return 0 }
        let elapsed = (ContinuousClock.now - leadingSince) / .seconds(1)
        return elapsed > 0 ? Double(reconciles) / elapsed : 0
    }

    /// Mean time of one reconcile, in milliseconds.
    public var meanMilliseconds: Double {
        reconciles > 0 ? busy / .milliseconds(1) / Double(reconciles) : 0
    }
}
