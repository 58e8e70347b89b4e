import ArgumentParser
import Bus
import Client
import Foundation
import Kubelet
import ServiceKit
import ServiceLifecycle

/// `kubus-kubelet`: runs the pods bound to one node.
@main
struct KubeletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubus-kubelet",
        abstract: "The Kubus kubelet: registers a node and runs the pods bound to it.")

    @OptionGroup var options: ServiceOptions

    @Option(help: "The node's name; with --runtime sim, the prefix of the simulated nodes' names.")
    var nodeName: String = ProcessInfo.processInfo.hostName

    @Option(help: "The container runtime: process, runc or sim.")
    var runtime: String = "process"

    @Option(help: "The node's slice of the pod range, e.g. 10.244.1.0/24 (not used by --runtime sim).")
    var podCIDR: String?

    @OptionGroup var sim: SimOptions

    func run() async throws {
        guard runtime == "sim" else {
            throw ValidationError("kubus-kubelet --runtime \(runtime) is not built yet (issue 3)")
        }
        let logger = try options.makeLogger("kubus.kubelet")
        let endpoints = try options.endpoints()
        let bus = try BusClient(endpoints: endpoints)
        defer { bus.close() }
        let service = SimKubelet(
            client: KubusClient(bus: bus), endpoints: endpoints, configuration: try sim.configuration(prefix: nodeName),
            logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
