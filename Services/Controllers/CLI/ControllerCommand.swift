public import ArgumentParser
import Bus
import Client
import ControllerKit
import Controllers
import Foundation
import ServiceKit
import ServiceLifecycle
import UnixSignals

/// `kubus-controller <name>[,<name>...]|all`: runs one controller as its own process, or several in one.
public struct ControllerCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "kubus-controller",
        abstract: "Runs Kubus controllers: \(ControllerCatalog.names.joined(separator: ", ")).",
        discussion: """
            Each controller elects a leader through the Lease kube-system/kubus-<controller>, so a second \
            instance can stand by and either can be stopped, swapped and restarted alone. One process per \
            controller is the default layout; on a small machine several (a,b,c) or all can share one process, \
            each still with its own informers, queue and leader election (the process ends, to be restarted, \
            when any of them loses its lease).
            """)

    @Argument(
        help: ArgumentHelp(
            "The controller to run; several joined by commas, or all, run in this one process.",
            valueName: "controller"))
    var controller: String

    @OptionGroup var options: ServiceOptions

    @Option(help: "Concurrent workers; one object is never reconciled by two at once.")
    var workers: Int = 5

    @Option(help: "Queue every object again this often, in seconds; 0 never.")
    var resyncSeconds: Int = 300

    @OptionGroup var leaderElection: LeaderElectionOptions

    @Option(name: .customLong("controller-option"), help: .hidden)
    var controllerOptions: [String] = []
    @Option(help: "node-lifecycle: seconds a node's Lease may go unrenewed before the node is Unknown.")
    var nodeMonitorGracePeriod: Double = 40

    @Option(
        help:
            "node-lifecycle: nodes per second that may get the NoExecute taint (evicting their pods) in a healthy zone."
    )
    var nodeEvictionRate: Double = 0.1

    @Option(
        help:
            "node-lifecycle: the same in a partially disrupted zone of more than --large-cluster-size-threshold nodes.")
    var secondaryNodeEvictionRate: Double = 0.01

    @Option(help: "node-lifecycle: share of not-ready nodes (more than 2) that makes a zone partially disrupted.")
    var unhealthyZoneThreshold: Double = 0.55

    @Option(help: "node-lifecycle: a partially disrupted zone of at most this many nodes gets no new NoExecute taints.")
    var largeClusterSizeThreshold: Int = 50

    @Option(help: "persistentvolume: folder for provisioned hostPath volumes (default <state-dir>/volumes).")
    var volumeDir: String?

    @Option(help: "loadbalancer: the addresses LoadBalancer Services get (default 127.0.100.0/24, this machine only).")
    var lbPool: String?

    public func validate() throws {
        guard ControllerCatalog.controllers(named: controller) != nil else {
            let names = ControllerCatalog.names.joined(separator: ", ")
            throw ValidationError(
                "controller \"\(controller)\": expected one of \(names), several of them joined by commas "
                    + "(each once), or all")
        }
        guard workers > 0 else { throw ValidationError("--workers: must be at least 1") }
        guard nodeEvictionRate >= 0, secondaryNodeEvictionRate >= 0 else {
            throw ValidationError("--node-eviction-rate and --secondary-node-eviction-rate: must be 0 or more")
        }
        guard unhealthyZoneThreshold > 0, unhealthyZoneThreshold <= 1 else {
            throw ValidationError("--unhealthy-zone-threshold: must be more than 0 and at most 1")
        }
        guard largeClusterSizeThreshold >= 0 else {
            throw ValidationError("--large-cluster-size-threshold: must be 0 or more")
        }
        guard resyncSeconds >= 0 else { throw ValidationError("--resync-seconds: must be 0 or more") }
    }

    public func run() async throws {
        guard let types = ControllerCatalog.controllers(named: controller) else { return }
        let processName = types.count == 1 ? types[0].name : (controller == "all" ? "all" : "several")
        let logger = try options.makeLogger("kubus.controller.\(processName)")
        let endpoints = try options.endpoints()
        let bus = try BusClient(endpoints: endpoints)
        defer { bus.close() }
        let client = KubusClient(bus: bus)
        var config = ControllerConfiguration()
        config.workers = workers
        config.resyncPeriod = resyncSeconds > 0 ? .seconds(resyncSeconds) : nil
        for option in controllerOptions {
            let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
            config.options[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        config.nodeMonitorGracePeriod = .seconds(nodeMonitorGracePeriod)
        config.nodeEvictionRates = NodeEvictionRates(
            rate: nodeEvictionRate, secondaryRate: secondaryNodeEvictionRate,
            unhealthyZoneThreshold: unhealthyZoneThreshold, largeClusterSizeThreshold: largeClusterSizeThreshold)
        config.volumeDirectory = volumeDir ?? "\(options.resolvedStateDir)/volumes"
        if let lbPool { config.options["lb-pool"] = lbPool }
        // One context, runner and leader election per controller, as if each had its own process.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        for type in types {
            let context = ControllerContext(
                name: type.name, client: client, feed: BusFeed(endpoints: endpoints), configuration: config,
                logger: logger)
            let elector = leaderElection.elector(client: client, lease: "kubus-\(type.name)", logger: context.logger)
            let runner = ControllerRunner(
                controller: try type.init(context: context), context: context, endpoints: endpoints,
                leaderElector: elector)
            services.append(.init(service: runner))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
