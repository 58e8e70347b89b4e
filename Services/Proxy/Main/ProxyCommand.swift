import ArgumentParser
import Bus
import Client
import Foundation
import Proxy
import Schema
import ServiceKit
import ServiceLifecycle

/// `kubus-proxy`: service addresses and node ports in the kernel, as kube-proxy's nftables mode.
@main
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubus-proxy",
        abstract: "The Kubus service proxy: cluster IPs, node ports, external and balancer addresses to ready endpoints, in nftables.",
        subcommands: [Run.self, Cleanup.self], defaultSubcommand: Run.self)
}

/// The ranges and bridge `run` and `cleanup` share.
struct NetworkOptions: ParsableArguments {
    @Option(help: "The cluster's pod range: traffic from outside it to a cluster IP is masqueraded.")
    var clusterCIDR: String = "10.244.0.0/16"

    @Option(help: "The service range, routed through the bridge so the host reaches cluster IPs.")
    var serviceCIDR: String = "10.96.0.0/12"

    @Option(help: "The bridge pods attach to.")
    var bridge: String = "kubus0"

    func configuration() throws -> ProxyConfiguration {
        var configuration = ProxyConfiguration()
        guard let cluster = CIDR(clusterCIDR) else { throw ValidationError("--cluster-cidr \"\(clusterCIDR)\" is not an IPv4 CIDR") }
        guard let services = CIDR(serviceCIDR) else { throw ValidationError("--service-cidr \"\(serviceCIDR)\" is not an IPv4 CIDR") }
        configuration.clusterCIDR = cluster
        configuration.serviceCIDR = services
        configuration.bridge = bridge
        return configuration
    }
}

extension ProxyCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the proxy (the default).")

        @OptionGroup var options: ServiceOptions
        @OptionGroup var network: NetworkOptions

        @Option(help: "The shortest time between two rule updates, in milliseconds.")
        var minSyncPeriodMs: Int = 20

        func run() async throws {
            let logger = try options.makeLogger("kubus.proxy")
            guard getuid() == 0 else {
                throw ProxyError(
                    "kubus-proxy needs root for nftables; the userspace proxy for loopback mode (no root) is not built "
                        + "yet, so Services are not reachable in loopback mode")
            }
            var configuration = try network.configuration()
            configuration.minSyncPeriod = .milliseconds(max(0, minSyncPeriodMs))
            let endpoints = try options.endpoints()
            let bus = try BusClient(endpoints: endpoints)
            defer { bus.close() }
            let service = ProxyService(
                client: KubusClient(bus: bus), endpoints: endpoints, configuration: configuration, nft: try NFTables(),
                logger: logger)
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }
    }

    struct Cleanup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cleanup", abstract: "Remove the proxy's nftables table and its route for the service range.")

        @OptionGroup var options: ServiceOptions
        @OptionGroup var network: NetworkOptions

        func run() async throws {
            let configuration = try network.configuration()
            try await NFTables().delete(table: "kubus-proxy")
            await HostRouting(bridge: configuration.bridge, serviceCIDR: configuration.serviceCIDR).remove()
        }
    }
}
