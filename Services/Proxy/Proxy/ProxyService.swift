public import Bus
public import Client
import Foundation
public import Logging
public import Schema
public import ServiceLifecycle
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

/// Which data path carries service traffic.
public enum ProxyMode: String, Sendable, Hashable, CaseIterable {
    /// nftables as root with nft installed, else userspace.
    case auto
    /// The kernel, with one nftables table (netns mode; needs root).
    case nftables
    /// A SwiftNIO proxy listening on every service address (loopback mode; needs no privilege).
    case userspace

    /// The mode to run: `auto` decided, a forced mode checked; with the reason, for the log.
    public static func resolve(_ requested: ProxyMode, isRoot: Bool, nftPath: String?) throws(ProxyError) -> (
        mode: ProxyMode, reason: String
    ) {
        switch requested {
        case .auto:
            if !isRoot { return (.userspace, "not running as root, so nftables cannot be changed") }
            if nftPath == nil { return (.userspace, "nft is not installed (Debian's nftables)") }
            return (.nftables, "running as root with nft installed")
        case .nftables:
            guard isRoot else {
                throw ProxyError(
                    "--mode nftables needs root (it changes the kernel's nftables); run as root or use --mode userspace"
                )
            }
            guard nftPath != nil else {
                throw ProxyError("--mode nftables needs nft: install Debian's nftables, or use --mode userspace")
            }
            return (.nftables, "asked for")
        case .userspace:
            return (.userspace, "asked for")
        }
    }
}

/// The data path a `ProxyService` drives.
public enum ProxyDataPath: Sendable {
    case nftables(NFTables)
    case userspace(UserspaceProxyConfiguration)
}

/// kube-proxy for Kubus: watches Services, EndpointSlices and Nodes and keeps a data path in step with the model they
/// make. One runs per machine (the host's network namespace, shared by every kubelet on it): NodePorts answer on
/// every node's address, and `Local` traffic policies keep traffic on the node whose address (or pod range) it came
/// from.
///
/// - nftables (netns mode, root): the kernel's table `ip kubus-proxy`, so service traffic never passes through this
///   process. Stopping leaves the rules in place, so traffic keeps flowing while the proxy is swapped;
///   `kubus-proxy cleanup` removes them.
/// - userspace (loopback mode, no privilege): a SwiftNIO listener on every service address (`UserspaceProxy`).
///   Traffic stops with the process and comes back when it is restarted; nothing outlives it.
public final class ProxyService: ServiceLifecycle.Service, Sendable {
    private let client: KubusClient
    private let endpoints: BusEndpoints
    private let configuration: ProxyConfiguration
    private let logger: Logger
    private let path: Path
    private let hostPrepared = Atomic<Bool>(false)

    private enum Path: Sendable {
        case nftables(TableSynchronizer<ProxyModel>)
        case userspace(UserspaceProxy)
    }

    public init(
        client: KubusClient, endpoints: BusEndpoints, configuration: ProxyConfiguration, dataPath: ProxyDataPath,
        logger: Logger
    ) {
        self.client = client
        self.endpoints = endpoints
        self.configuration = configuration
        self.logger = logger
        switch dataPath {
        case .nftables(let nft):
            path = .nftables(TableSynchronizer(table: configuration.table, nft: nft, logger: logger))
        case .userspace(let userspace):
            path = .userspace(UserspaceProxy(configuration: userspace, logger: logger))
        }
    }

    /// The nftables data path.
    public convenience init(
        client: KubusClient, endpoints: BusEndpoints, configuration: ProxyConfiguration, nft: NFTables, logger: Logger
    ) {
        self.init(
            client: client, endpoints: endpoints, configuration: configuration, dataPath: .nftables(nft), logger: logger
        )
    }

    /// `nftables` or `userspace`.
    public var mode: ProxyMode {
        switch path {
        case .nftables: .nftables
        case .userspace: .userspace
        }
    }

    public func run() async throws {
        let path = self.path
        let poke: @Sendable () -> Void = {
            switch path {
            case .nftables(let tables): tables.poke()
            case .userspace(let proxy): proxy.poke()
            }
        }
        let services = Informer<Schema.Service>(source: client, endpoints: endpoints, logger: logger) { _ in poke() }
        let slices = Informer<EndpointSlice>(source: client, endpoints: endpoints, logger: logger) { _ in poke() }
        let nodes = Informer<Node>(source: client, endpoints: endpoints, logger: logger) { _ in poke() }
        let worker = try Worker(endpoints: endpoints, service: "proxy", capacity: 16)
        let configuration = self.configuration
        let build: @Sendable () -> ProxyModel = {
            ProxyModel.build(services: services.list(), slices: slices.list(), nodes: nodes.list())
        }
        await withDiscardingTaskGroup { group in
            group.addTask { try? await services.run() }
            group.addTask { try? await slices.run() }
            group.addTask { try? await nodes.run() }
            group.addTask { await worker.run { request in self.status(request) } }
            group.addTask {
                await services.waitForSync()
                await slices.waitForSync()
                await nodes.waitForSync()
                self.logger.info(
                    "proxy caches synced",
                    metadata: [
                        "kubus.services": "\(services.list().count)", "kubus.proxy.mode": "\(self.mode.rawValue)",
                    ])
                switch path {
                case .nftables(let tables):
                    await tables.run(
                        minPeriod: configuration.minSyncPeriod, fullPeriod: configuration.syncPeriod,
                        prepare: { await self.prepareHost() },
                        build: build,
                        render: { model, existing in
                            NFTablesRules.script(
                                model, clusterCIDR: configuration.clusterCIDR, table: configuration.table,
                                existing: existing)
                        })
                case .userspace(let proxy):
                    await proxy.run(minPeriod: configuration.minSyncPeriod, build: build)
                }
            }
            try? await gracefulShutdown()
            switch path {
            case .nftables(let tables): tables.finish()
            case .userspace(let proxy): proxy.finish()
            }
            worker.close()
            group.cancelAll()
        }
        switch path {
        case .nftables:
            logger.info("proxy stopped; its rules stay until `kubus-proxy cleanup`")
        case .userspace(let proxy):
            // When the caches never synced, run() was not reached: the event loops still need stopping.
            await proxy.shutdown()
            logger.info("proxy stopped; its listeners are closed")
        }
    }

    /// Host routing for the bridge, once the bridge exists (the first kubelet makes it).
    private func prepareHost() async {
        guard !hostPrepared.load(ordering: .relaxed) else { return }
        let routing = HostRouting(bridge: configuration.bridge, serviceCIDR: configuration.serviceCIDR)
        guard routing.bridgeExists else { return }
        let problems = await routing.prepare(logger: logger)
        for problem in problems {
            logger.warning("host network set-up incomplete", metadata: ["kubus.problem": "\(problem)"])
        }
        hostPrepared.store(problems.isEmpty, ordering: .relaxed)
    }

    /// The `proxy` bus service: `status` answers what the proxy did.
    private func status(_ request: BusRequest) -> BusReply {
        guard request.type == "status" else {
            return BusReply.failure(
                code: 400, reason: "BadRequest", message: "the proxy answers status, not \(request.type)")
        }
        var body: JSONValue
        switch path {
        case .nftables(let tables):
            body = tables.status()
            body["servicePorts"] = .int(Int64(tables.applied?.ports.count ?? 0))
            body["hostPrepared"] = .bool(hostPrepared.load(ordering: .relaxed))
        case .userspace(let proxy):
            body = proxy.status()
            body["servicePorts"] = .int(Int64(proxy.applied?.ports.count ?? 0))
        }
        body["mode"] = .string(mode.rawValue)
        return BusReply(code: 200, payload: body.encoded())
    }
}
