public import ArgumentParser
import Bus
import Client
import Foundation
import Scheduler
import ServiceKit
import ServiceLifecycle
import UnixSignals

/// `kubus-scheduler`: binds pending pods to nodes.
public struct SchedulerCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
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

    @OptionGroup var leaderElection: LeaderElectionOptions

    public func run() async throws {
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
        let elector = leaderElection.elector(client: client, lease: "kube-scheduler", logger: logger)
        let service = SchedulerService(
            client: client, endpoints: endpoints, configuration: config, leaderElector: elector, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
