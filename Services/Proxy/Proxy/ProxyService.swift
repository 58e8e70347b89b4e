import Bus
import Client
import Foundation
import Logging
import Schema
import ServiceLifecycle
import Synchronization

/// How the proxy runs.
public struct ProxyConfiguration: Sendable {
    /// The pod range: traffic from outside it to a cluster IP is masqueraded.
    public var clusterCIDR = CIDR("10.244.0.0/16")!
    public var serviceCIDR = CIDR("10.96.0.0/12")!
    /// The bridge pods attach to.
    public var bridge = "kubus0"
    /// The shortest time between two rule updates (changes in between are applied together).
    public var minSyncPeriod: Duration = .milliseconds(20)
    /// Rules are checked and rewritten at least this often, whatever changed.
    public var syncPeriod: Duration = .seconds(30)

    public init() {}
}

/// kube-proxy for Kubus in nftables mode: watches Services, EndpointSlices and Nodes, and keeps the kernel's table
/// `ip kubus-proxy` in step, so service traffic never passes through this process. One runs per machine (the host's
/// network namespace, shared by every kubelet on it): NodePorts answer on every node's address, and `Local` traffic
/// policies keep traffic on the node whose address (or pod range) it came from.
///
/// Stopping leaves the rules in place, so traffic keeps flowing while the proxy is swapped; `kubus-proxy cleanup`
/// removes them.
public final class ProxyService: ServiceLifecycle.Service, Sendable {
    private let client: KubusClient
    private let endpoints: BusEndpoints
    private let configuration: ProxyConfiguration
    private let logger: Logger
    private let nft: NFTables
    private let wake = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    private let state = Mutex(State())

    struct State {
        var applied: ProxyModel?
        var names: Set<String> = []
        var syncs = 0
        var failures = 0
        var lastError: String?
        var lastSyncMillis = 0.0
        var hostPrepared = false
    }

    public init(
        client: KubusClient, endpoints: BusEndpoints, configuration: ProxyConfiguration, nft: NFTables, logger: Logger
    ) {
        self.client = client
        self.endpoints = endpoints
        self.configuration = configuration
        self.nft = nft
        self.logger = logger
    }

    public func run() async throws {
        let wake = self.wake.continuation
        let services = Informer<Schema.Service>(source: client, endpoints: endpoints, logger: logger) { _ in wake.yield() }
        let slices = Informer<EndpointSlice>(source: client, endpoints: endpoints, logger: logger) { _ in wake.yield() }
        let nodes = Informer<Node>(source: client, endpoints: endpoints, logger: logger) { _ in wake.yield() }
        if let listing = await nft.list(table: NFTablesRules.table) {
            state.withLock { $0.names = NFTablesRules.names(inListing: listing) }
        }
        let worker = try Worker(endpoints: endpoints, service: "proxy", capacity: 16)
        await withDiscardingTaskGroup { group in
            group.addTask { try? await services.run() }
            group.addTask { try? await slices.run() }
            group.addTask { try? await nodes.run() }
            group.addTask { await worker.run { request in self.status(request) } }
            group.addTask {
                await services.waitForSync()
                await slices.waitForSync()
                await nodes.waitForSync()
                self.logger.info("proxy caches synced", metadata: ["kubus.services": "\(services.list().count)"])
                await self.syncLoop(services: services, slices: slices, nodes: nodes)
            }
            group.addTask {
                // Resync now and then, whatever changed (rules removed by hand come back).
                while !Task.isCancelled {
                    do { try await Task.sleep(for: self.configuration.syncPeriod) } catch { return }
                    self.state.withLock { $0.applied = nil }
                    wake.yield()
                }
            }
            try? await gracefulShutdown()
            wake.finish()
            worker.close()
            group.cancelAll()
        }
        logger.info("proxy stopped; its rules stay until `kubus-proxy cleanup`")
    }

    private func syncLoop(services: Informer<Schema.Service>, slices: Informer<EndpointSlice>, nodes: Informer<Node>) async {
        wake.continuation.yield()
        for await _ in wake.stream {
            if Task.isCancelled { return }
            let model = ProxyModel.build(services: services.list(), slices: slices.list(), nodes: nodes.list())
            if await sync(model) {
                try? await Task.sleep(for: configuration.minSyncPeriod)
            } else {
                // nft refused or failed: try again in a second.
                try? await Task.sleep(for: .seconds(1))
                wake.continuation.yield()
            }
        }
    }

    /// Brings the kernel's rules to `model`, unless they already are; false when that failed.
    func sync(_ model: ProxyModel) async -> Bool {
        let routing = HostRouting(bridge: configuration.bridge, serviceCIDR: configuration.serviceCIDR)
        if !state.withLock({ $0.hostPrepared }), routing.bridgeExists {
            let problems = await routing.prepare(logger: logger)
            for problem in problems { logger.warning("host network set-up incomplete", metadata: ["kubus.problem": "\(problem)"]) }
            state.withLock { $0.hostPrepared = problems.isEmpty }
        }
        let (previous, existing) = state.withLock { ($0.applied, $0.names) }
        guard previous != model else { return true }
        let started = ContinuousClock.now
        let (script, names) = NFTablesRules.script(model, clusterCIDR: configuration.clusterCIDR, existing: existing)
        do {
            try await nft.apply(script)
            let millis = Double((ContinuousClock.now - started).milliseconds)
            state.withLock {
                $0.applied = model
                $0.names = names
                $0.syncs += 1
                $0.lastSyncMillis = millis
                $0.lastError = nil
            }
            logger.debug(
                "rules synced",
                metadata: ["kubus.servicePorts": "\(model.ports.count)", "kubus.millis": "\(millis)"])
            return true
        } catch {
            state.withLock {
                $0.failures += 1
                $0.lastError = error.message
            }
            logger.error("rules not applied; will retry", metadata: ["kubus.error": "\(error.message)"])
            return false
        }
    }

    /// The `proxy` bus service: `status` answers what the proxy did.
    private func status(_ request: BusRequest) -> BusReply {
        guard request.type == "status" else {
            return BusReply.failure(code: 400, reason: "BadRequest", message: "the proxy answers status, not \(request.type)")
        }
        let s = state.withLock { $0 }
        var body: JSONValue = [
            "mode": "nftables", "table": .string(NFTablesRules.table), "syncs": .int(Int64(s.syncs)),
            "failures": .int(Int64(s.failures)), "servicePorts": .int(Int64(s.applied?.ports.count ?? 0)),
            "lastSyncMillis": .double(s.lastSyncMillis), "hostPrepared": .bool(s.hostPrepared),
        ]
        if let error = s.lastError { body["lastError"] = .string(error) }
        return BusReply(code: 200, payload: body.encoded())
    }
}
