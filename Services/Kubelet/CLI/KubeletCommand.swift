public import ArgumentParser
import Bus
import Client
import Foundation
import Kubelet
import Logging
import Schema
import ServiceKit
import ServiceLifecycle
import UnixSignals

/// `kubus-kubelet`: runs the pods bound to one node.
public struct KubeletCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kubus-kubelet",
        abstract: "The Kubus kubelet: registers a node and runs the pods bound to it.",
        subcommands: [Run.self, Cleanup.self], defaultSubcommand: Run.self)

    public init() {}
}

/// The options `run` and `cleanup` share: where state and the pod network live.
struct NodeOptions: ParsableArguments {
    @Option(help: "Pod network: auto (netns where the host allows it, else loopback), netns or loopback.")
    var network: NetworkModeSetting = .auto

    @Option(help: "The cluster's pod range; each node gets a slice.")
    var clusterCIDR: String = "10.244.0.0/16"

    @Option(help: "The cluster's service range.")
    var serviceCIDR: String = "10.96.0.0/12"

    @Option(help: "The bridge pods attach to in netns mode (at most 15 characters).")
    var bridge: String = "kubus0"

    func networkConfiguration(stateDirectory: String, podCIDR: String?) throws -> PodNetworkConfiguration {
        PodNetworkConfiguration(
            stateDirectory: stateDirectory, mode: network,
            clusterCIDR: try CIDR.parse(clusterCIDR, what: "--cluster-cidr"),
            serviceCIDR: try CIDR.parse(serviceCIDR, what: "--service-cidr"),
            podCIDR: try podCIDR.map { try CIDR.parse($0, what: "--pod-cidr") }, bridgeName: bridge)
    }
}

extension NetworkModeSetting: ExpressibleByArgument {}

/// The absolute form of a state folder path.
func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}

extension KubeletCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the kubelet (the default).")

        @OptionGroup var options: ServiceOptions
        @OptionGroup var node: NodeOptions

        @Option(help: "The Node's name (default: the host name).")
        var nodeName: String?

        @Option(
            help: "Container runtime: process, runc or sim (simulated nodes, no processes; --node-name is the prefix).")
        var runtime: String = "process"

        @OptionGroup(title: "Simulated nodes (--runtime sim)") var sim: SimOptions

        @Option(help: "This node's slice of the pod range (default: the Node's spec.podCIDR, or the next free slice).")
        var podCIDR: String?

        @Option(help: "The image catalog (image name → entrypoint on this host).")
        var imageCatalog: String?

        @Option(help: "Pods this node accepts.")
        var maxPods: Int = 110

        @Option(
            help: """
                The folder of the bus's request socket for pods and its anonymous key (kubus-bus --pod-bus \
                ipc://DIR/bus): mounted at /var/run/kubus, with KUBUS_BUS and KUBUS_BUS_KEY, in every container that \
                mounts its ServiceAccount token, so a pod can call the api with its token.
                """)
        var podBus: String?

        @Option(help: "CPU capacity in cores (default: the host's).")
        var cpu: String?

        @Option(help: "Memory capacity, e.g. 8Gi (default: the host's MemTotal).")
        var memory: String?

        @Option(help: "Labels to add to the Node: k=v,k2=v2.")
        var nodeLabels: String = ""

        @Option(help: "Taints the Node registers with: k=v:Effect,k2:Effect.")
        var registerWithTaints: String = ""

        @Option(help: "How often the Node's status is written, in seconds.")
        var nodeStatusUpdateFrequency: Int = 10

        @Option(help: "The node Lease's duration in seconds; it is renewed every quarter of it.")
        var nodeLeaseDuration: Int = 40

        @Option(
            help: ArgumentHelp("First container restart back-off in seconds (tests shorten it).", visibility: .hidden))
        var initialBackoffSeconds: Double = 10

        @Option(help: ArgumentHelp("Longest container restart back-off in seconds.", visibility: .hidden))
        var maxBackoffSeconds: Double = 300

        func run() async throws {
            let logger = try options.makeLogger("kubus.kubelet")
            if runtime == "sim" { return try await runSimulated(logger: logger) }
            let stateDirectory = absolute(options.resolvedStateDir)
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
            let lock = try StateFolderLock(folder: stateDirectory, name: "kubelet")
            defer { withExtendedLifetime(lock) {} }
            let name = (nodeName ?? ProcessInfo.processInfo.hostName).lowercased()
            guard nodeStatusUpdateFrequency > 0, nodeLeaseDuration >= 4 else {
                throw ValidationError("--node-status-update-frequency must be > 0 and --node-lease-duration >= 4")
            }
            var config = KubeletConfiguration(nodeName: name, stateDirectory: stateDirectory)
            config.serviceCIDR = node.serviceCIDR
            config.maxPods = maxPods
            if let podBus {
                // The broker binds its socket in it; a folder made first is the same one it binds in.
                do {
                    try FileManager.default.createDirectory(atPath: podBus, withIntermediateDirectories: true)
                } catch {
                    throw ValidationError("--pod-bus \(podBus): \(error.localizedDescription)")
                }
                config.podBusDirectory = absolute(podBus)
            }
            do {
                config.cpu = try cpu.map { try Quantity.parse($0) }
                config.memory = try memory.map { try Quantity.parse($0) }
            } catch {
                throw ValidationError("--cpu/--memory: \(error)")
            }
            do {
                config.nodeLabels = try NodeStatusBuilder.parseLabels(nodeLabels)
                config.registerWithTaints = try NodeStatusBuilder.parseTaints(registerWithTaints)
            } catch {
                throw ValidationError(error.message)
            }
            config.nodeStatusUpdateFrequency = .seconds(nodeStatusUpdateFrequency)
            config.nodeLeaseDuration = .seconds(nodeLeaseDuration)
            config.initialBackOff = max(0.1, initialBackoffSeconds)
            config.maximumBackOff = max(config.initialBackOff, maxBackoffSeconds)

            let endpoints = try options.endpoints()
            let bus = try BusClient(endpoints: endpoints)
            defer { bus.close() }
            let client = KubusClient(bus: bus)

            let containerRuntime = try RuntimeFactory.make(
                runtime, stateDirectory: stateDirectory, imageCatalog: imageCatalog, logger: logger)

            var netConfig = try node.networkConfiguration(stateDirectory: stateDirectory, podCIDR: podCIDR)
            netConfig = try await netConfig.resolved(logger: logger)
            if netConfig.podCIDR == nil {
                netConfig.podCIDR = try await PodCIDRChoice.choose(
                    client: client, nodeName: name, clusterCIDR: netConfig.clusterCIDR, logger: logger)
            }
            let network = try await PodNetworkFactory.make(configuration: netConfig, logger: logger)
            config.podCIDR = network.podCIDR

            let service = KubeletService(
                configuration: config, client: client, endpoints: endpoints, runtime: containerRuntime,
                network: network, logger: logger)
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }

        /// One process drives many simulated nodes (the KWOK approach): no containers, no network.
        private func runSimulated(logger: Logger) async throws {
            let endpoints = try options.endpoints()
            let bus = try BusClient(endpoints: endpoints)
            defer { bus.close() }
            let prefix = (nodeName ?? ProcessInfo.processInfo.hostName).lowercased()
            let service = SimKubelet(
                client: KubusClient(bus: bus), endpoints: endpoints,
                configuration: try sim.configuration(prefix: prefix),
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
            abstract: "Stop and remove every container, network namespace, veth, mount and cgroup a state folder owns.")

        @OptionGroup var options: ServiceOptions
        @OptionGroup var node: NodeOptions

        @Flag(help: "Also remove the node's address on the bridge (and the bridge when no node uses it).")
        var removeNodeAddress = false

        func run() async throws {
            let logger = try options.makeLogger("kubus.kubelet")
            let stateDirectory = absolute(options.resolvedStateDir)
            guard FileManager.default.fileExists(atPath: stateDirectory) else { return }
            await RuntimeFactory.removeAll(stateDirectory: stateDirectory, logger: logger)
            var netConfig = try node.networkConfiguration(stateDirectory: stateDirectory, podCIDR: nil)
            if node.network == .auto { netConfig.mode = .netns }
            try await PodNetworkFactory.removeAll(configuration: netConfig, removeNodeAddress: removeNodeAddress)
            let pods = "\(stateDirectory)/pods"
            for uid in (try? FileManager.default.contentsOfDirectory(atPath: pods)) ?? [] {
                VolumeManager.unmountAll(under: "\(pods)/\(uid)")
            }
            try? FileManager.default.removeItem(atPath: pods)
            logger.info("state folder cleaned up", metadata: ["kubus.stateDir": "\(stateDirectory)"])
        }
    }
}
