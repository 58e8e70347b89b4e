public import ArgumentParser
import Bus
import Client
import Foundation
import Logging
import NIOCore
import Proxy
import Schema
import ServiceKit
import ServiceLifecycle
import UnixSignals

/// `kubus-proxy`: service addresses and node ports, in the kernel with nftables (kube-proxy's nftables mode) or in
/// userspace on SwiftNIO (loopback mode, no root).
public struct ProxyCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "kubus-proxy",
        abstract:
            "The Kubus service proxy: cluster IPs, node ports, external and balancer addresses to ready endpoints, in nftables or in userspace.",
        subcommands: [Run.self, Cleanup.self], defaultSubcommand: Run.self)
}

extension ProxyMode: ExpressibleByArgument {}

/// The mode, ranges and bridge `run` and `cleanup` share.
struct NetworkOptions: ParsableArguments {
    @Option(help: "Data path: auto (nftables as root with nft installed, else userspace), nftables or userspace.")
    var mode: ProxyMode = .auto

    @Option(help: "The cluster's pod range: traffic from outside it to a cluster IP is masqueraded (nftables).")
    var clusterCIDR: String = "10.244.0.0/16"

    @Option(help: "The service range, routed through the bridge so the host reaches cluster IPs (nftables).")
    var serviceCIDR: String = "10.96.0.0/12"

    @Option(help: "The bridge pods attach to (nftables).")
    var bridge: String = "kubus0"

    @Option(help: "The nftables table the proxy owns (ip family).")
    var table: String = "kubus-proxy"

    func configuration() throws -> ProxyConfiguration {
        var configuration = ProxyConfiguration()
        guard let cluster = CIDR(clusterCIDR) else {
            throw ValidationError("--cluster-cidr \"\(clusterCIDR)\" is not an IPv4 CIDR")
        }
        guard let services = CIDR(serviceCIDR) else {
            throw ValidationError("--service-cidr \"\(serviceCIDR)\" is not an IPv4 CIDR")
        }
        configuration.clusterCIDR = cluster
        configuration.serviceCIDR = services
        configuration.bridge = bridge
        guard !table.isEmpty, table.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ValidationError("--table \"\(table)\" must be letters, digits, '-' and '_'")
        }
        configuration.table = table
        return configuration
    }

    /// The mode to run, decided and checked.
    func resolvedMode() throws -> (mode: ProxyMode, reason: String) {
        try ProxyMode.resolve(mode, isRoot: getuid() == 0, nftPath: try? NFTables().executable)
    }
}

extension ProxyCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the proxy (the default).")

        @OptionGroup var options: ServiceOptions
        @OptionGroup var network: NetworkOptions

        @Option(help: "The shortest time between two rule or listener updates, in milliseconds.")
        var minSyncPeriodMs: Int = 20

        @Option(help: "Userspace: event loop threads (default: the number of cores).")
        var threads: Int?

        @Option(help: "Userspace: seconds a UDP flow lives without a datagram either way.")
        var udpIdleTimeout: Int = 30

        func run() async throws {
            let logger = try options.makeLogger("kubus.proxy")
            var configuration = try network.configuration()
            configuration.minSyncPeriod = .milliseconds(max(0, minSyncPeriodMs))
            let (mode, reason) = try network.resolvedMode()
            logger.info("proxy mode \(mode.rawValue): \(reason)", metadata: ["kubus.proxy.mode": "\(mode.rawValue)"])
            let dataPath: ProxyDataPath
            switch mode {
            case .nftables, .auto:
                dataPath = .nftables(try NFTables())
            case .userspace:
                var userspace = UserspaceProxyConfiguration()
                if let threads { userspace.threads = max(1, threads) }
                userspace.udpIdleTimeout = .seconds(Int64(max(1, udpIdleTimeout)))
                dataPath = .userspace(userspace)
            }
            let endpoints = try options.endpoints()
            let bus = try BusClient(endpoints: endpoints)
            defer { bus.close() }
            let service = ProxyService(
                client: KubusClient(bus: bus), endpoints: endpoints, configuration: configuration, dataPath: dataPath,
                logger: logger)
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }
    }

    struct Cleanup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cleanup",
            abstract:
                "Remove the proxy's nftables table and its route for the service range (userspace mode leaves nothing)."
        )

        @OptionGroup var options: ServiceOptions
        @OptionGroup var network: NetworkOptions

        func run() async throws {
            let configuration = try network.configuration()
            // Userspace mode's listeners end with the process: nothing to remove.
            guard (try? network.resolvedMode().mode) == .nftables else { return }
            try await NFTables().delete(table: configuration.table)
            await HostRouting(bridge: configuration.bridge, serviceCIDR: configuration.serviceCIDR).remove()
        }
    }
}
