public import APITesting
import Client
public import ControllerKit
import Logging
public import Schema
import Synchronization
import Wire

/// Controllers reconciling against the in-memory api, in this process and driven by the test: no broker, no
/// leader election, no worker tasks. `settle()` lets every informer deliver every change, then reconciles every
/// queued key, and repeats until nothing is left to do — so a test reads as "given these objects, after the
/// controllers settle, the cluster holds these".
///
/// Each controller gets its own `ControllerContext` (its own informers and queue), as each runs in its own
/// process in a cluster. A key whose reconcile throws is tried again at once (the runner would back off); one
/// that keeps failing fails `settle()` with its error. Keys queued with a delay (`enqueue(_:after:)`) stay
/// queued: `settle()` does not wait for time to pass; `resync()` queues every key again in its place.
public final class ControllerHarness: Sendable {
    /// The api the controllers talk to; tests create objects and read results through it.
    public let api: InMemoryAPI
    private let entries: [Entry]
    private let informing: Task<Void, Never>
    /// Pod IPs handed out so far by `runPods`, so that every pod gets its own.
    private let podIPs = Atomic<Int>(0)

    private struct Entry: Sendable {
        let controller: any Controller
        let context: ControllerContext
    }

    /// Starts the controllers `types` on `api` (a fresh one when nil) and waits for their informers' first list.
    public convenience init(
        _ types: [any Controller.Type], configuration: ControllerConfiguration = ControllerConfiguration(),
        api: InMemoryAPI? = nil
    ) async throws {
        try await self.init(
            names: types.map { $0.name }, configuration: configuration, api: api,
            make: types.map { type in { context in try type.init(context: context) } })
    }

    /// Starts controllers made by `make` (for one that takes more than a context, as the ingress controller).
    public init(
        names: [String], configuration: ControllerConfiguration = ControllerConfiguration(), api: InMemoryAPI? = nil,
        make: [@Sendable (ControllerContext) throws -> any Controller]
    ) async throws {
        let api = if let api { api } else { try await InMemoryAPI() }
        self.api = api
        var entries: [Entry] = []
        for (name, make) in zip(names, make) {
            var logger = Logger(label: "kubus.test.controller")
            logger.logLevel = .warning
            let context = ControllerContext(
                name: name, client: api, feed: api, configuration: configuration, logger: logger)
            entries.append(Entry(controller: try make(context), context: context))
        }
        self.entries = entries
        let all = entries
        informing = Task {
            await withDiscardingTaskGroup { group in
                for entry in all { group.addTask { try? await entry.context.informers.run() } }
            }
        }
        for entry in entries {
            await entry.context.informers.waitForSync()
            for key in entry.controller.resyncKeys() { await entry.context.queue.add(key) }
        }
    }

    deinit { informing.cancel() }

    /// Stops the informers and the api's feed.
    public func close() {
        informing.cancel()
        api.close()
    }

    /// The context of the controller `name`, e.g. to look at its queue.
    public func context(_ name: String) -> ControllerContext? {
        entries.first { $0.context.name == name }?.context
    }

    /// Runs the controllers until every informer has delivered every change and no key is queued; returns how
    /// many reconciles ran. Throws when a key keeps failing, or when the controllers never come to rest.
    @discardableResult
    public func settle(maxRounds: Int = 200, maxFailures: Int = 5) async throws -> Int {
        var failures: [String: Int] = [:]
        var reconciles = 0
        for _ in 0..<maxRounds {
            try await waitForDelivery()
            var worked = false
            for entry in entries {
                let queue = entry.context.queue
                while await queue.count > 0 {
                    guard let key = await queue.get() else { break }
                    worked = true
                    reconciles += 1
                    let id = "\(entry.context.name) \(key)"
                    do {
                        try await entry.controller.reconcile(key)
                        await queue.forget(key)
                        await queue.done(key)
                    } catch {
                        failures[id, default: 0] += 1
                        await queue.done(key)
                        if failures[id, default: 0] >= maxFailures {
                            throw HarnessError("reconcile of \(id) failed \(maxFailures) times; last: \(error)")
                        }
                        await queue.add(key)
                    }
                }
            }
            if !worked { return reconciles }
        }
        throw HarnessError("the controllers did not come to rest in \(maxRounds) rounds (\(reconciles) reconciles)")
    }

    /// Queues every controller's `resyncKeys()`, as the runner's periodic resync does. It stands in for time
    /// passing when a controller asked to look again later (`enqueue(_:after:)`), which `settle()` does not wait
    /// for: a test checks that the controller asked (`context(_:)?.queue.delay(of:)`), then resyncs and settles.
    public func resync() async {
        for entry in entries {
            for key in entry.controller.resyncKeys() { await entry.context.queue.add(key) }
        }
    }

    /// Waits until each controller's informers have handed every change of their kind to their handlers.
    private func waitForDelivery() async throws {
        for entry in entries {
            for (kind, _) in entry.context.informers.deliveredRevisions {
                let latest = try await api.kindRevision(kind)
                var waited: Duration = .zero
                while (entry.context.informers.deliveredRevisions[kind] ?? 0) < latest {
                    if waited > .seconds(10) {
                        throw HarnessError(
                            "the \(entry.context.name) controller's \(kind) informer did not reach revision \(latest)")
                    }
                    try await Task.sleep(for: .milliseconds(1))
                    waited += .milliseconds(1)
                }
            }
        }
    }

    // MARK: Playing the parts that are not controllers

    /// Does what the scheduler and a kubelet would: binds every pod not yet running to `node` (unless bound) and
    /// reports it Running, with a pod IP and, when `ready`, the Ready condition; removes every bound pod being
    /// deleted, as a kubelet does once its containers stop. Returns the pods it started.
    @discardableResult
    public func runPods(namespace: String? = nil, node: String = "node-1", ready: Bool = true) async throws -> [Pod] {
        var started: [Pod] = []
        for pod in try await api.list(Pod.self, namespace: namespace).items {
            let name = pod.metadata.name ?? ""
            let podNamespace = pod.metadata.namespace ?? "default"
            if pod.metadata.deletionTimestamp != nil {
                if pod.spec.nodeName != nil {
                    _ = try await api.delete(
                        kind: "Pod", namespace: podNamespace, name: name,
                        preconditions: .init(uid: pod.metadata.uid), gracePeriodSeconds: 0)
                }
                continue
            }
            if pod.status.phase == "Running" || pod.status.phase == "Succeeded" || pod.status.phase == "Failed" {
                continue
            }
            if pod.spec.nodeName == nil {
                try await api.bind(namespace: podNamespace, pod: name, uid: pod.metadata.uid, node: node)
            }
            var bound = try await api.get(Pod.self, namespace: podNamespace, name: name)
            let index = podIPs.add(1, ordering: .relaxed).newValue + 1
            let ip = "10.244.\(index / 256 % 256).\(index % 256)"
            bound.status = Self.runningStatus(bound, ip: ip, ready: ready)
            started.append(try await api.updateStatus(bound))
        }
        return started
    }

    /// Does what a kubelet does when the readiness probe of the running pod `namespace/name` starts (`ready`) or
    /// stops passing: the Ready and ContainersReady conditions and every container's `ready` follow, the
    /// conditions' transition time only when they change. Returns the stored pod.
    @discardableResult
    public func setReady(namespace: String = "default", name: String, _ ready: Bool) async throws -> Pod {
        var pod = try await api.get(Pod.self, namespace: namespace, name: name)
        let now = Time.now()
        let value = ready ? "True" : "False"
        pod.status.conditions = (pod.status.conditions ?? []).map { condition in
            guard ["Ready", "ContainersReady"].contains(condition.type), condition.status != value else {
                return condition
            }
            var changed = condition
            changed.status = value
            changed.lastTransitionTime = now
            return changed
        }
        pod.status.containerStatuses = pod.status.containerStatuses?.map { status in
            var status = status
            status.ready = ready
            return status
        }
        return try await api.updateStatus(pod)
    }

    /// Does what a kubelet does when the containers of the pod `namespace/name` exit with `exitCode`, as under
    /// `restartPolicy: Never`: every container terminated, the pod Succeeded (exit code 0) or Failed, not ready.
    /// A pod not yet bound is bound to `node` first, as the scheduler would. Returns the stored pod.
    @discardableResult
    public func finishPod(namespace: String = "default", name: String, exitCode: Int = 0, node: String = "node-1")
        async throws -> Pod
    {
        var pod = try await api.get(Pod.self, namespace: namespace, name: name)
        if pod.spec.nodeName == nil {
            try await api.bind(namespace: namespace, pod: name, uid: pod.metadata.uid, node: node)
            pod = try await api.get(Pod.self, namespace: namespace, name: name)
        }
        pod.status = Self.finishedStatus(pod, exitCode: exitCode)
        return try await api.updateStatus(pod)
    }

    /// The status a kubelet reports for a pod whose containers exited with `exitCode`.
    static func finishedStatus(_ pod: Pod, exitCode: Int) -> PodStatus {
        var status = pod.status
        let now = Time.now()
        status.phase = exitCode == 0 ? "Succeeded" : "Failed"
        status.startTime = status.startTime ?? now
        let reason = exitCode == 0 ? "PodCompleted" : "PodFailed"
        var conditions = (status.conditions ?? []).filter { !["Ready", "ContainersReady"].contains($0.type) }
        for type in ["ContainersReady", "Ready"] {
            conditions.append(PodCondition(type: type, status: "False", lastTransitionTime: now, reason: reason))
        }
        status.conditions = conditions
        status.containerStatuses = pod.spec.containers.map { container in
            let previous = pod.status.containerStatuses?.first { $0.name == container.name }
            let terminated = ContainerStateTerminated(
                exitCode: exitCode, reason: exitCode == 0 ? "Completed" : "Error",
                startedAt: previous?.state?.running?.startedAt ?? now, finishedAt: now)
            return ContainerStatus(
                name: container.name, state: ContainerState(terminated: terminated), ready: false,
                restartCount: previous?.restartCount ?? 0, image: container.image ?? "", started: false)
        }
        return status
    }

    /// The status a kubelet reports for a running pod.
    static func runningStatus(_ pod: Pod, ip: String, ready: Bool) -> PodStatus {
        var status = pod.status
        let now = Time.now()
        status.phase = "Running"
        status.podIP = ip
        status.podIPs = [PodIP(ip: ip)]
        status.startTime = status.startTime ?? now
        let readyValue = ready ? "True" : "False"
        var conditions = (status.conditions ?? []).filter {
            !["Ready", "ContainersReady", "Initialized"].contains($0.type)
        }
        conditions.append(PodCondition(type: "Initialized", status: "True", lastTransitionTime: now))
        conditions.append(PodCondition(type: "ContainersReady", status: readyValue, lastTransitionTime: now))
        conditions.append(PodCondition(type: "Ready", status: readyValue, lastTransitionTime: now))
        status.conditions = conditions
        status.containerStatuses = pod.spec.containers.map { container in
            ContainerStatus(
                name: container.name, state: ContainerState(running: ContainerStateRunning(startedAt: now)),
                ready: ready, restartCount: 0, image: container.image ?? "", started: true)
        }
        return status
    }
}

/// Why the harness gave up.
public struct HarnessError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }
}
