public import Bus
public import Client
import Foundation
public import Logging
import Schema
public import ServiceLifecycle
import Synchronization
import Wire

/// A kubelet without containers that simulates many nodes in one process, as KWOK does.
///
/// It registers `<prefix>-0 … <prefix>-N-1` (concurrently), renews each node's Lease every
/// `leaseRenewInterval` with the renewals spread evenly over it, and drives the pods bound to its nodes through
/// `SimPodLifecycle`: an informer queues pod keys, workers write status (Running after the startup delay, then
/// Succeeded/Failed when asked to exit) and finish deletions with a zero grace period.
public final class SimKubelet: ServiceLifecycle.Service, Sendable {
    private struct State {
        var firstSeen: [String: Date] = [:]
        /// When this process reported the pod Running.
        var runningSince: [String: Date] = [:]
        /// Pod key → (node index, slot) of its address.
        var addresses: [String: (node: Int, slot: Int)] = [:]
        /// Node index → slots in use.
        var used: [Int: Set<Int>] = [:]
        var nextSlot: [Int: Int] = [:]
        var nodeUIDs: [Int: String] = [:]
    }

    private let client: KubusClient
    private let endpoints: BusEndpoints
    public let configuration: SimKubeletConfiguration
    private let factory: SimNodeFactory
    private let lifecycle: SimPodLifecycle
    private let logger: Logger
    private let queue = WorkQueue<String>(baseDelay: .milliseconds(20), maxDelay: .seconds(10))
    private let state = Mutex(State())
    private let registeredSignal: AsyncStream<Void>.Continuation
    private let registeredStream: AsyncStream<Void>
    private let registered = Atomic<Bool>(false)

    /// Creates a simulated kubelet.
    public init(client: KubusClient, endpoints: BusEndpoints, configuration: SimKubeletConfiguration, logger: Logger) {
        self.client = client
        self.endpoints = endpoints
        self.configuration = configuration
        factory = SimNodeFactory(configuration: configuration)
        lifecycle = SimPodLifecycle(startupDelay: configuration.startupDelay)
        self.logger = logger
        (registeredStream, registeredSignal) = AsyncStream.makeStream(
            of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Returns once every node and Lease was registered.
    public func waitUntilRegistered() async {
        if registered.load(ordering: .acquiring) { return }
        for await _ in registeredStream where registered.load(ordering: .acquiring) { return }
    }

    /// Registers the nodes, then renews leases and drives pods until graceful shutdown or cancellation.
    public func run() async throws {
        let pods = Informer<Pod>(source: client, endpoints: endpoints, logger: logger) { [self] event in
            await podEvent(event)
        }
        let workers = QueueWorkers(queue: queue, count: configuration.workers) { [self] key in
            await reconcile(key, pods: pods) ? .retry : .done
        }
        do {
            try await cancelWhenGracefulShutdown { [self] in
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { [self] in
                        let start = ContinuousClock.now
                        try await registerAll()
                        registered.store(true, ordering: .releasing)
                        registeredSignal.yield()
                        logger.info(
                            "simulated nodes registered",
                            metadata: [
                                "kubus.nodes": "\(configuration.nodeCount)", "kubus.prefix": "\(configuration.prefix)",
                                "kubus.seconds": "\(ContinuousClock.now - start)",
                            ])
                        try await renewLeases()
                    }
                    group.addTask { try await pods.run() }
                    group.addTask {
                        await pods.waitForSync()
                        await workers.run()
                    }
                }
            }
        } catch is CancellationError {
            // Graceful shutdown or cancellation.
        }
        logger.info("simulated kubelet stopped", metadata: ["kubus.prefix": "\(configuration.prefix)"])
    }

    // MARK: Nodes and leases

    /// Registers every node and Lease, `registerConcurrency` requests at a time.
    private func registerAll() async throws {
        let width = max(1, configuration.registerConcurrency)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            while next < min(width, configuration.nodeCount) {
                let i = next
                group.addTask { try await self.register(i) }
                next += 1
            }
            while try await group.next() != nil {
                if next < configuration.nodeCount {
                    let i = next
                    group.addTask { try await self.register(i) }
                    next += 1
                }
            }
        }
    }

    /// Creates node `index` and its Lease, or refreshes them when they exist; retries until the api answers.
    private func register(_ index: Int) async throws {
        var attempt = 0
        while true {
            try Task.checkCancellation()
            do {
                let uid = try await registerNode(index)
                state.withLock { $0.nodeUIDs[index] = uid }
                try await registerLease(index, nodeUID: uid)
                return
            } catch {
                attempt += 1
                logger.log(
                    level: attempt == 1 ? .warning : .debug, "could not register a simulated node; retrying",
                    metadata: ["kubus.node": "\(configuration.nodeName(index))", "kubus.error": "\(error)"])
                try await Task.sleep(for: .milliseconds(min(5000, 100 << min(attempt, 6))))
            }
        }
    }

    private func registerNode(_ index: Int) async throws -> String? {
        let node = factory.node(index)
        let created: Node
        do {
            created = try await client.create(node)
        } catch {
            guard error.isAlreadyExists else { throw error }
            return try await refreshNode(node)
        }
        return created.metadata.uid
    }

    /// A restarted sim kubelet keeps the node's spec (cordon, taints) and refreshes its labels and status.
    private func refreshNode(_ node: Node) async throws -> String? {
        let name = node.metadata.name ?? ""
        let labels = try JSONValue(encoding: node.metadata.labels ?? [:])
        let status = try JSONValue(encoding: node.status)
        let patched = try await client.patch(
            kind: "Node", namespace: nil, name: name, patch: ["metadata": ["labels": labels]])
        _ = try await client.patch(
            kind: "Node", namespace: nil, name: name, patch: ["status": status], subresource: "status")
        return patched["metadata"]?["uid"]?.stringValue
    }

    private func registerLease(_ index: Int, nodeUID: String?) async throws {
        do {
            _ = try await client.create(factory.lease(index, nodeUID: nodeUID))
        } catch {
            guard error.isAlreadyExists else { throw error }
            try await renew(index)
        }
    }

    private func renew(_ index: Int) async throws(APIError) {
        let now = MicroTime.now()
        let patch: JSONValue = [
            "spec": [
                "holderIdentity": .string(configuration.nodeName(index)), "renewTime": .string(now.rawValue),
                "leaseDurationSeconds": .int(Int64(configuration.leaseDurationSeconds)),
            ]
        ]
        _ = try await client.patch(
            kind: "Lease", namespace: SimNodeFactory.leaseNamespace, name: configuration.nodeName(index), patch: patch)
    }

    private func heartbeat(_ index: Int) async throws(APIError) {
        let status = factory.status(index)
        let conditions = (try? JSONValue(encoding: status.conditions ?? [])) ?? []
        _ = try await client.patch(
            kind: "Node", namespace: nil, name: configuration.nodeName(index),
            patch: ["status": ["conditions": conditions]], subresource: "status")
    }

    /// Renews every Lease once per interval, a slice of the nodes every tick; writes node heartbeats less often.
    private func renewLeases() async throws {
        let slots = 100
        let tick = configuration.leaseRenewInterval / slots
        let reportEvery = max(
            1,
            Int(
                SimPodLifecycle.seconds(configuration.nodeStatusReportInterval)
                    / max(0.001, SimPodLifecycle.seconds(configuration.leaseRenewInterval))))
        let clock = ContinuousClock()
        var deadline = clock.now
        var round = 0
        while !Task.isCancelled {
            for slot in 0..<slots {
                deadline = deadline.advanced(by: tick)
                try await Task.sleep(until: deadline, clock: clock)
                let range = factory.nodes(inSlot: slot, of: slots)
                let heartbeat = round > 0 && round % reportEvery == 0
                await withDiscardingTaskGroup { group in
                    for index in range {
                        group.addTask { await self.renewOne(index, heartbeat: heartbeat) }
                    }
                }
            }
            round += 1
        }
    }

    private func renewOne(_ index: Int, heartbeat: Bool) async {
        do {
            try await renew(index)
            if heartbeat { try await self.heartbeat(index) }
        } catch {
            if error.isNotFound {
                // The node or its Lease was deleted: register again, as a kubelet does.
                try? await register(index)
                return
            }
            logger.debug(
                "lease renewal failed",
                metadata: [
                    "kubus.node": "\(configuration.nodeName(index))", "kubus.error": "\(error)",
                ])
        }
    }

    // MARK: Pods

    private func podEvent(_ event: InformerEvent<Pod>) async {
        let pod = event.object
        guard let node = pod.spec.nodeName, let index = configuration.index(of: node) else { return }
        let key = Informer<Pod>.key(namespace: pod.metadata.namespace, name: pod.metadata.name ?? "")
        if event.type == .deleted {
            state.withLock { s in
                s.firstSeen[key] = nil
                s.runningSince[key] = nil
                Self.release(key, in: &s)
            }
            return
        }
        let phase = pod.status.phase
        if (phase == "Succeeded" || phase == "Failed") && pod.metadata.deletionTimestamp == nil { return }
        state.withLock { s in
            if s.firstSeen[key] == nil { s.firstSeen[key] = Date() }
            if let ip = pod.status.podIP, s.addresses[key] == nil,
                let slot = SimAddresses.slot(
                    of: ip, node: configuration.indexOffset + index)
            {
                // A pod that ran before this process started keeps its address.
                s.addresses[key] = (index, slot)
                s.used[index, default: []].insert(slot)
            }
        }
        await queue.add(key)
    }

    /// Moves one pod along its simulated life; returns whether to retry with backoff.
    private func reconcile(_ key: String, pods: Informer<Pod>) async -> Bool {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let pod = pods.get(namespace: parts[0], name: parts[1]),
            let node = pod.spec.nodeName, let index = configuration.index(of: node)
        else { return false }
        let (firstSeen, runningSince) = state.withLock { ($0.firstSeen[key] ?? Date(), $0.runningSince[key]) }
        let podIP = pod.status.podIP ?? address(for: key, node: index)
        let hostIP = SimAddresses.nodeIP(configuration.indexOffset + index)
        let action = lifecycle.decide(
            pod: pod, firstSeen: firstSeen, now: Date(), podIP: podIP, hostIP: hostIP, runningSince: runningSince)
        switch action {
        case .none:
            return false
        case .wait(let delay):
            await queue.add(key, after: delay)
            return false
        case .delete:
            do {
                _ = try await client.delete(
                    kind: "Pod", namespace: parts[0], name: parts[1],
                    preconditions: .init(uid: pod.metadata.uid), gracePeriodSeconds: 0)
                logger.debug("pod deleted", metadata: ["kubus.pod": "\(key)", "kubus.node": "\(node)"])
                return false
            } catch {
                if error.isNotFound || error.isConflict { return false }
                logger.warning(
                    "could not delete the pod; will retry",
                    metadata: [
                        "kubus.pod": "\(key)", "kubus.error": "\(error)",
                    ])
                return true
            }
        case .setStatus(let status):
            var updated = pod
            updated.status = status
            do {
                _ = try await client.updateStatus(updated)
                if status.phase == "Succeeded" || status.phase == "Failed" {
                    state.withLock {
                        Self.release(key, in: &$0)
                        $0.runningSince[key] = nil
                    }
                } else if pod.status.phase != "Running" {
                    state.withLock { $0.runningSince[key] = Date() }
                }
                return false
            } catch {
                if error.isNotFound { return false }
                // A conflict: the informer brings the newer pod and queues it again; the backoff keeps order.
                logger.log(
                    level: error.isConflict ? .debug : .warning, "could not write the pod's status; will retry",
                    metadata: ["kubus.pod": "\(key)", "kubus.error": "\(error)"])
                return true
            }
        }
    }

    /// The address of `key` in its node's pod range, allocated on first use.
    private func address(for key: String, node index: Int) -> String {
        let global = configuration.indexOffset + index
        return state.withLock { s in
            if let a = s.addresses[key] { return SimAddresses.podIP(global, slot: a.slot) }
            var used = s.used[index, default: []]
            var slot = s.nextSlot[index, default: 1]
            // Round robin over 1…254; when every address is taken (more than 254 pods), share one.
            for _ in 0..<254 {
                if !used.contains(slot) { break }
                slot = slot % 254 + 1
            }
            used.insert(slot)
            s.used[index] = used
            s.nextSlot[index] = slot % 254 + 1
            s.addresses[key] = (index, slot)
            return SimAddresses.podIP(global, slot: slot)
        }
    }

    private static func release(_ key: String, in s: inout State) {
        guard let a = s.addresses.removeValue(forKey: key) else { return }
        s.used[a.node]?.remove(a.slot)
    }
}
