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
    /// The nftables table (`ip <table>`) the proxy owns.
    public var table = NFTablesRules.defaultTable
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
    private let tables: TableSynchronizer<ProxyModel>
    private let hostPrepared = Atomic<Bool>(false)

    public init(
        client: KubusClient, endpoints: BusEndpoints, configuration: ProxyConfiguration, nft: NFTables, logger: Logger
    ) {
        self.client = client
        self.endpoints = endpoints
        self.configuration = configuration
        self.logger = logger
        tables = TableSynchronizer(table: configuration.table, nft: nft, logger: logger)
    }

    public func run() async throws {
        let tables = self.tables
        let services = Informer<Schema.Service>(source: client, endpoints: endpoints, logger: logger) { _ in tables.poke() }
        let slices = Informer<EndpointSlice>(source: client, endpoints: endpoints, logger: logger) { _ in tables.poke() }
        let nodes = Informer<Node>(source: client, endpoints: endpoints, logger: logger) { _ in tables.poke() }
        let worker = try Worker(endpoints: endpoints, service: "proxy", capacity: 16)
        let configuration = self.configuration
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
                await tables.run(
                    minPeriod: configuration.minSyncPeriod, fullPeriod: configuration.syncPeriod,
                    prepare: { await self.prepareHost() },
                    build: { ProxyModel.build(services: services.list(), slices: slices.list(), nodes: nodes.list()) },
                    render: { model, existing in
                        NFTablesRules.script(
                            model, clusterCIDR: configuration.clusterCIDR, table: configuration.table, existing: existing)
                    })
            }
            try? await gracefulShutdown()
            tables.finish()
            worker.close()
            group.cancelAll()
        }
        logger.info("proxy stopped; its rules stay until `kubus-proxy cleanup`")
    }

    /// Host routing for the bridge, once the bridge exists (the first kubelet makes it).
    private func prepareHost() async {
        guard !hostPrepared.load(ordering: .relaxed) else { return }
        let routing = HostRouting(bridge: configuration.bridge, serviceCIDR: configuration.serviceCIDR)
        guard routing.bridgeExists else { return }
        let problems = await routing.prepare(logger: logger)
        for problem in problems { logger.warning("host network set-up incomplete", metadata: ["kubus.problem": "\(problem)"]) }
        hostPrepared.store(problems.isEmpty, ordering: .relaxed)
    }

    /// The `proxy` bus service: `status` answers what the proxy did.
    private func status(_ request: BusRequest) -> BusReply {
        guard request.type == "status" else {
            return BusReply.failure(code: 400, reason: "BadRequest", message: "the proxy answers status, not \(request.type)")
        }
        var body = tables.status()
        body["mode"] = "nftables"
        body["servicePorts"] = .int(Int64(tables.applied?.ports.count ?? 0))
        body["hostPrepared"] = .bool(hostPrepared.load(ordering: .relaxed))
        return BusReply(code: 200, payload: body.encoded())
    }
}
