public import Bus
public import Client
import Foundation
public import Logging
import Schema
public import ServiceLifecycle
import Wire

/// The kubelet: registers and heartbeats its Node, runs the pods bound to it through a `ContainerRuntime` and a
/// `PodNetwork`, probes them, reports their status, and serves `logs` and `exec` on the bus.
///
/// Pods come from an informer filtered to `spec.nodeName == nodeName`; their keys go through a `WorkQueue` to
/// `PodWorkers`. On start it re-adopts what the runtime still runs: containers of pods still bound here are
/// left running and reported; those of pods that are gone are stopped and removed (housekeeping).
public final class KubeletService: ServiceLifecycle.Service, Sendable {
    /// The bus service name of the kubelet of `node` (`kubelet.<node>`).
    public static func name(for node: String) -> String { Wire.KubeletService.name(for: node) }

    private let configuration: KubeletConfiguration
    private let client: KubusClient
    private let endpoints: BusEndpoints
    private let runtime: any ContainerRuntime
    private let network: any PodNetwork
    private let logger: Logger
    private let events: EventRecorder
    private let queue = WorkQueue<String>(baseDelay: .milliseconds(100), maxDelay: .seconds(30))
    private let probes: ProbeManager
    private let workers: PodWorkers
    public let node: NodeAgent

    public init(
        configuration: KubeletConfiguration, client: KubusClient, endpoints: BusEndpoints,
        runtime: any ContainerRuntime, network: any PodNetwork, logger: Logger
    ) {
        var logger = logger
        logger[metadataKey: "kubus.node"] = "\(configuration.nodeName)"
        self.configuration = configuration
        self.client = client
        self.endpoints = endpoints
        self.runtime = runtime
        self.network = network
        self.logger = logger
        events = EventRecorder(client: client, component: "kubelet", host: configuration.nodeName, logger: logger)
        probes = ProbeManager(prober: Prober(runtime: runtime))
        workers = PodWorkers(
            configuration: configuration, runtime: runtime, network: network, client: client, probes: probes,
            events: events, queue: queue, logger: logger)
        node = NodeAgent(
            configuration: configuration, nodeIP: network.nodeIP, runtimeName: runtime.name, client: client,
            events: events, logger: logger)
    }

    /// Runs until graceful shutdown or cancellation; pods keep running after it returns.
    public func run() async throws {
        try await network.prepare()
        try await cancelWhenGracefulShutdown { try await self.node.register() }
        if Task.isCancelled || Task.isShuttingDownGracefully { return }
        let nodeName = configuration.nodeName
        let queue = self.queue
        let pods = Informer<Pod>(
            source: client, endpoints: endpoints, logger: logger,
            handler: { event in await queue.add(PodWorkers.key(event.object)) },
            predicate: { $0.spec.nodeName == nodeName })
        let services = Informer<Schema.Service>(source: client, endpoints: endpoints, logger: logger) { _ in }
        workers.pods.set { namespace, name in pods.get(namespace: namespace, name: name) }
        workers.services.set(
            get: { namespace, name in services.get(namespace: namespace, name: name) },
            list: { namespace in services.list().filter { namespace == nil || $0.metadata.namespace == namespace } })
        let server = KubeletServer(
            endpoints: endpoints, nodeName: nodeName, runtime: runtime,
            pods: { namespace, name in pods.get(namespace: namespace, name: name) },
            attachment: { [network] uid in await network.attachments().first { $0.podUID == uid } }, logger: logger,
            authorizer: endpoints.credentials == nil ? nil : KubeletAuthorizer(client: client))
        let adopted = await runtime.listContainers().filter { $0.state == .running }.count
        logger.info(
            "kubelet starting",
            metadata: [
                "kubus.runtime": "\(runtime.name)", "kubus.network": "\(network.mode.rawValue)",
                "kubus.podCIDR": "\(network.podCIDR)", "kubus.nodeIP": "\(network.nodeIP)",
                "kubus.runningContainers": "\(adopted)",
            ])
        let workers = QueueWorkers(queue: queue, count: configuration.workers) { [self] key in
            if let again = await self.workers.sync(key: key) { return .again(after: again) }
            return .done
        }
        do {
            try await cancelWhenGracefulShutdown { [self] in
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await pods.run() }
                    group.addTask { try await services.run() }
                    group.addTask { await self.node.runStatusLoop() }
                    group.addTask { await self.node.runLeaseLoop() }
                    group.addTask { try await server.run() }
                    group.addTask { await self.probes.run { report in await self.probeReport(report) } }
                    group.addTask {
                        await pods.waitForSync()
                        await services.waitForSync()
                        self.logger.info("pods synced", metadata: ["kubus.pods": "\(pods.list().count)"])
                        await withDiscardingTaskGroup { inner in
                            inner.addTask { await workers.run() }
                            inner.addTask { await self.housekeeping(pods) }
                        }
                    }
                }
            }
        } catch is CancellationError {
            // Graceful shutdown or cancellation.
        }
        logger.info("kubelet stopped; its pods keep running")
    }

    private func housekeeping(_ pods: Informer<Pod>) async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let alive = Set(pods.list().compactMap(\.metadata.uid))
            await workers.housekeeping(alive: alive)
            do { try await Task.sleep(for: configuration.housekeepingInterval) } catch { return }
        }
    }

    private func probeReport(_ report: ProbeManager.Report) async {
        if case .failure(let message) = report.outcome {
            await events.record(
                report.pod, type: "Warning", reason: "Unhealthy",
                message: "\(report.kind.rawValue) probe failed: \(message)",
                action: "Probing", fieldPath: "spec.containers{\(report.container)}")
        }
        if report.changed { await queue.add(PodWorkers.key(report.pod)) }
    }
}
