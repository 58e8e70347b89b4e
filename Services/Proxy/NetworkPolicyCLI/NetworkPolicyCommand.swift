public import ArgumentParser
import Bus
import Client
import Foundation
import Proxy
import ServiceKit
import ServiceLifecycle
import UnixSignals

/// `kubus-netpol`: NetworkPolicy enforcement in nftables.
public struct NetworkPolicyCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "kubus-netpol",
        abstract: "The Kubus NetworkPolicy enforcer: isolates the pods policies select, in nftables (netns mode).",
        subcommands: [Run.self, Cleanup.self], defaultSubcommand: Run.self)
}

extension NetworkPolicyCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the enforcer (the default).")

        @OptionGroup var options: ServiceOptions

        @Option(help: "The nftables table it owns (ip family).")
        var table: String = NetworkPolicyRules.defaultTable

        @Option(help: "The shortest time between two rule updates, in milliseconds.")
        var minSyncPeriodMs: Int = 20

        func run() async throws {
            let logger = try options.makeLogger("kubus.netpol")
            guard getuid() == 0 else {
                throw ProxyError(
                    "kubus-netpol needs root for nftables; in loopback mode (no root) NetworkPolicies are not enforced")
            }
            let endpoints = try options.endpoints()
            let bus = try BusClient(endpoints: endpoints)
            defer { bus.close() }
            let service = NetworkPolicyService(
                client: KubusClient(bus: bus), endpoints: endpoints, table: table, nft: try NFTables(),
                minSyncPeriod: .milliseconds(max(0, minSyncPeriodMs)), logger: logger)
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }
    }

    struct Cleanup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cleanup", abstract: "Remove the enforcer's table.")

        @OptionGroup var options: ServiceOptions

        @Option(help: "The nftables table it owns (ip family).")
        var table: String = NetworkPolicyRules.defaultTable

        func run() async throws {
            try await NFTables().delete(table: table)
        }
    }
}
