public import Bus
public import Client
public import Logging
import Schema
public import ServiceLifecycle
import Synchronization

/// The scheduler: binds pending pods to nodes, the client-go way.
///
/// Informers for Pods and Nodes feed a `SchedulerCache` and queue the keys of pending pods; workers take a
/// key, decide under one lock (so no two decisions see a stale view of a node; the decision is *assumed* into
/// the cache at once), then bind over the api concurrently. Unschedulable pods stay Pending with a
/// `PodScheduled=False` condition and a `FailedScheduling` event, and are retried when a node appears or
/// changes in a way that may help, when a pod is deleted, and at least every `retryInterval`.
public final class SchedulerService: ServiceLifecycle.Service, Sendable {
    private struct State {
        var cache = SchedulerCache()
        var unschedulable: Set<String> = []
        var startIndex = 0
    }

    private let client: KubusClient
    private let endpoints: BusEndpoints
    private let configuration: SchedulerConfiguration
    private let logger: Logger
    private let cycle: SchedulingCycle
    private let queue = WorkQueue<String>(baseDelay: .milliseconds(20), maxDelay: .seconds(30))
    private let state = Mutex(State())
    /// The claim, volume and storage class caches, once the informers exist.
    private let volumeLookup = Mutex<VolumeLookup?>(nil)
    private let events: EventRecorder
    private let leaderElector: LeaderElector?

    /// Creates a scheduler; with a `leaderElector`, it binds pods only while that elector leads.
    public init(
        client: KubusClient, endpoints: BusEndpoints, configuration: SchedulerConfiguration = SchedulerConfiguration(),
        leaderElector: LeaderElector? = nil, logger: Logger
    ) {
        self.leaderElector = leaderElector
        self.client = client
        self.endpoints = endpoints
        self.configuration = configuration
        self.logger = logger
        cycle = SchedulingCycle(percentageOfNodesToScore: configuration.percentageOfNodesToScore)
        events = EventRecorder(client: client, component: configuration.schedulerName, logger: logger)
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async throws {
        let pods = Informer<Pod>(source: client, endpoints: endpoints, logger: logger) { [self] event in
            await podEvent(event)
        }
        let nodes = Informer<Node>(source: client, endpoints: endpoints, logger: logger) { [self] event in
            await nodeEvent(event)
        }
        // VolumeBinding: a claim or volume that appears or changes may let a waiting pod in.
        let claims = Informer<PersistentVolumeClaim>(source: client, endpoints: endpoints, logger: logger) {
            [self] event in
            if event.type != .deleted {
                await requeueUnschedulable(reason: "claim \(event.object.metadata.name ?? "")")
            }
        }
        let volumes = Informer<PersistentVolume>(source: client, endpoints: endpoints, logger: logger) {
            [self] event in
            if event.type != .deleted {
                await requeueUnschedulable(reason: "volume \(event.object.metadata.name ?? "")")
            }
        }
        let classes = Informer<StorageClass>(source: client, endpoints: endpoints, logger: logger) { _ in }
        volumeLookup.withLock {
            $0 = VolumeLookup(
                claim: { claims.get(namespace: $0, name: $1) }, volume: { volumes.get(namespace: nil, name: $0) },
                storageClass: { classes.get(namespace: nil, name: $0) })
        }
        do {
            try await cancelWhenGracefulShutdown { [self] in
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await pods.run() }
                    group.addTask { try await nodes.run() }
                    group.addTask { try await claims.run() }
                    group.addTask { try await volumes.run() }
                    group.addTask { try await classes.run() }
                    group.addTask { [self] in
                        await pods.waitForSync()
                        await nodes.waitForSync()
                        await claims.waitForSync()
                        await volumes.waitForSync()
                        await classes.waitForSync()
                        logger.info(
                            "scheduler caches synced",
                            metadata: [
                                "kubus.scheduler": "\(configuration.schedulerName)",
                                "kubus.nodes": "\(nodes.list().count)",
                            ])
                        if let leaderElector {
                            // Both candidates keep their caches warm; only the leader's workers bind.
                            try await leaderElector.run { try await self.runWorkers(pods) }
                        } else {
                            try await runWorkers(pods)
                        }
                    }
                }
            }
        } catch is CancellationError {
            // Graceful shutdown or cancellation.
        }
        logger.info("scheduler stopped")
    }

    /// Runs the workers until the task is cancelled (leadership lost or stopping).
    private func runWorkers(_ pods: Informer<Pod>) async throws {
        let workers = QueueWorkers(queue: queue, count: configuration.workers) { [self] key in
            await reconcile(key, pods: pods)
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await workers.run() }
            group.addTask { await self.retryPeriodically() }
        }
        try Task.checkCancellation()
    }

    // MARK: Informer handlers

    private func podEvent(_ event: InformerEvent<Pod>) async {
        let pod = event.object
        let key = NodeInfo.key(of: pod)
        if event.type == .deleted {
            let wasPlaced = state.withLock { s -> Bool in
                let placed = s.cache.node(ofPod: key) != nil
                s.cache.remove(podKey: key)
                s.unschedulable.remove(key)
                return placed
            }
            // A pod leaving a node frees room.
            if wasPlaced { await requeueUnschedulable(reason: "pod \(key) deleted") }
            return
        }
        let freed = state.withLock { s -> Bool in
            let before = s.cache.node(ofPod: key)
            s.cache.update(pod: pod)
            return before != nil && s.cache.node(ofPod: key) == nil
        }
        if freed { await requeueUnschedulable(reason: "pod \(key) finished") }
        if pod.isPending(for: configuration.schedulerName) && !state.withLock({ $0.cache.isAssumed(key) }) {
            await queue.add(key)
        }
    }

    private func nodeEvent(_ event: InformerEvent<Node>) async {
        let node = event.object
        switch event.type {
        case .deleted:
            state.withLock { $0.cache.removeNode(named: node.metadata.name ?? "") }
        case .added, .modified:
            state.withLock { $0.cache.addOrUpdate(node: node) }
            if node.mayHelpScheduling(comparedTo: event.old) {
                await requeueUnschedulable(
                    reason: "node \(node.metadata.name ?? "") \(event.type == .added ? "added" : "updated")")
            }
        }
    }

    private func requeueUnschedulable(reason: String) async {
        let keys = state.withLock { s -> Set<String> in
            let keys = s.unschedulable
            s.unschedulable.removeAll()
            return keys
        }
        guard !keys.isEmpty else { return }
        logger.debug(
            "retrying unschedulable pods", metadata: ["kubus.count": "\(keys.count)", "kubus.reason": "\(reason)"])
        for key in keys { await queue.add(key) }
    }

    private func retryPeriodically() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: configuration.retryInterval)
            } catch {
                return
            }
            await requeueUnschedulable(reason: "periodic retry")
        }
    }

    // MARK: Workers

    /// Schedules the pod `namespace/name` if it is still pending; idempotent.
    func reconcile(_ key: String, pods: Informer<Pod>) async -> WorkOutcome {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let pod = pods.get(namespace: parts[0], name: parts[1]),
            pod.isPending(for: configuration.schedulerName)
        else { return .done }

        // The decision, serialized: snapshot, schedule, assume — under one lock.
        let result = state.withLock { s -> ScheduleResult? in
            if s.cache.isAssumed(key) { return nil }
            // The snapshot is a temporary: released before `assume`, so the cache updates its array in place.
            let result = cycle.schedule(
                pod: pod, nodes: s.cache.snapshot(), volumes: volumeLookup.withLock { $0 },
                affinityCounts: s.cache.affinityCounts, startIndex: &s.startIndex)
            if let node = result.nodeName {
                s.cache.assume(pod, on: node)
                s.unschedulable.remove(key)
            } else {
                s.unschedulable.insert(key)
            }
            return result
        }
        switch result {
        case nil:
            return .done
        case .scheduled(let node, _, _)?:
            return await bind(pod, key: key, to: node)
        case .unschedulable(let error)?:
            await markUnschedulable(pod, key: key, error: error)
            return .done
        }
    }

    private func bind(_ pod: Pod, key: String, to node: String) async -> WorkOutcome {
        do {
            // One write, as kube-scheduler's binding: spec.nodeName and PodScheduled=True. Conflict when the pod
            // was bound meanwhile, is being deleted, or was replaced by another of the same name (uid).
            try await client.bind(
                namespace: pod.metadata.namespace ?? "default", pod: pod.metadata.name ?? "", uid: pod.metadata.uid,
                node: node)
        } catch {
            state.withLock { $0.cache.forget(podKey: key) }
            if error.isNotFound { return .done }
            logger.log(
                level: error.isConflict ? .debug : .warning, "binding failed; will retry",
                metadata: ["kubus.pod": "\(key)", "kubus.node": "\(node)", "kubus.error": "\(error)"])
            // The room it held may let another pod fit.
            await requeueUnschedulable(reason: "binding of \(key) failed")
            return .retry
        }
        logger.debug("pod bound", metadata: ["kubus.pod": "\(key)", "kubus.node": "\(node)"])
        // The Event follows without holding the worker, as kube-scheduler's event broadcaster records asynchronously.
        Task { [self] in
            await events.record(
                pod, type: "Normal", reason: "Scheduled", message: "Successfully assigned \(key) to \(node)",
                action: "Binding")
        }
        return .done
    }

    private func markUnschedulable(_ pod: Pod, key: String, error: FitError) async {
        let message = error.message
        logger.debug("pod unschedulable", metadata: ["kubus.pod": "\(key)", "kubus.reason": "\(message)"])
        let condition = PodCondition(
            type: "PodScheduled", status: "False", lastProbeTime: nil, lastTransitionTime: .now(),
            reason: "Unschedulable", message: message)
        var check = pod
        // Only write (and record) when something changed, so the pod's own update does not loop back here.
        guard check.setCondition(condition) else { return }
        await setCondition(pod, condition)
        await events.record(pod, type: "Warning", reason: "FailedScheduling", message: message, action: "Scheduling")
    }

    /// Writes a condition to the pod's status, re-reading the pod on Conflict (the kubelet may write too).
    private func setCondition(_ pod: Pod, _ condition: PodCondition) async {
        var current = pod
        for attempt in 0..<3 {
            guard current.setCondition(condition) else { return }
            do {
                _ = try await client.updateStatus(current)
                return
            } catch {
                guard error.isConflict, attempt < 2,
                    let fresh = try? await client.get(
                        Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name ?? "")
                else {
                    logger.warning(
                        "could not set the pod's condition",
                        metadata: [
                            "kubus.pod": "\(NodeInfo.key(of: pod))",
                            "kubus.condition": "\(condition.type)=\(condition.status)",
                            "kubus.error": "\(error)",
                        ])
                    return
                }
                current = fresh
            }
        }
    }
}
