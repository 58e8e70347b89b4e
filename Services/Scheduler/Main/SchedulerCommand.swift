import ArgumentParser
import Bus
import Client
import Foundation
import Scheduler
import ServiceKit
import ServiceLifecycle

/// `kubus-scheduler`: binds pending pods to nodes.
@main
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubus-scheduler",
        abstract: "The Kubus scheduler: binds pending pods to nodes with kube-scheduler's filters and scores.")

    @OptionGroup var options: ServiceOptions

    @Option(help: "Schedule only pods whose spec.schedulerName is this.")
    var schedulerName: String = "default-scheduler"

    @Option(help: "Concurrent workers; decisions are serialized, only api writes overlap.")
    var workers: Int = 16

    @Option(help: "Retry unschedulable pods at least this often, in seconds.")
    var retrySeconds: Int = 30

    @Option(help: "Percentage of nodes to find feasible before scoring; 0 is kube-scheduler's adaptive default.")
    var percentageOfNodesToScore: Int = 0

    @Option(
        name: .customLong("leader-elect"),
        help: "Elect a leader through the Lease kube-system/kube-scheduler before scheduling, so several can run.")
    var leaderElect: Bool = true

    @Option(name: .customLong("leader-elect-lease-duration"), help: "How long standbys wait after the leader's last renewal before taking over, in seconds.")
    var leaseDuration: Double = 15

    @Option(name: .customLong("leader-elect-renew-deadline"), help: "How long the leader tries to renew before it stops leading, in seconds.")
    var renewDeadline: Double = 10

    @Option(name: .customLong("leader-elect-retry-period"), help: "How often candidates try to acquire and the leader renews, in seconds.")
    var retryPeriod: Double = 2

    func validate() throws {
        guard leaseDuration > renewDeadline else {
            throw ValidationError("--leader-elect-lease-duration: must be greater than --leader-elect-renew-deadline")
        }
        guard renewDeadline > retryPeriod, retryPeriod > 0 else {
            throw ValidationError("--leader-elect-renew-deadline: must be greater than --leader-elect-retry-period (> 0)")
        }
    }

    func run() async throws {
        let logger = try options.makeLogger("kubus.scheduler")
        guard workers > 0 else { throw ValidationError("--workers: must be at least 1") }
        guard retrySeconds > 0 else { throw ValidationError("--retry-seconds: must be at least 1") }
        let endpoints = try options.endpoints()
        let bus = try BusClient(endpoints: endpoints)
        defer { bus.close() }
        var config = SchedulerConfiguration()
        config.schedulerName = schedulerName
        config.workers = workers
        config.retryInterval = .seconds(retrySeconds)
        config.percentageOfNodesToScore = percentageOfNodesToScore
        let client = KubusClient(bus: bus)
        var elector: LeaderElector?
        if leaderElect {
            // kube-scheduler's identity: the host name and a random suffix, unique per process.
            let identity = "\(ProcessInfo.processInfo.hostName)_\(UUID().uuidString.lowercased())"
            elector = LeaderElector(
                client: client, namespace: "kube-system", name: "kube-scheduler", identity: identity,
                leaseDuration: .seconds(leaseDuration), renewDeadline: .seconds(renewDeadline),
                retryPeriod: .seconds(retryPeriod), logger: logger)
        }
        let service = SchedulerService(
            client: client, endpoints: endpoints, configuration: config, leaderElector: elector, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
