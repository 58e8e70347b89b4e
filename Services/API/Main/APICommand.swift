import APIServer
import ArgumentParser
import Schema
import ServiceKit
import ServiceLifecycle
import UnixSignals

/// `kubus-api`: the API server, the only client of the store.
@main
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubus-api",
        abstract: "The Kubus API server: create, get, list, update, patch, delete and changes for every kind, "
            + "validated and defaulted, over the bus. Run several instances to share the load.")

    @OptionGroup var options: ServiceOptions

    @Option(help: "Requests this instance takes at once.")
    var capacity: Int = 512

    @Option(
        help: """
            The range Services' cluster IPs come from; its first address is the kubernetes Service's \
            (default: 10.96.0.0/12 as root, 127.96.0.0/12 otherwise, where loopback-mode pods and the userspace proxy \
            reach them).
            """)
    var serviceClusterIPRange: String = ClusterRanges.defaultServiceCIDR

    @Option(
        help: """
            Bytes of objects one list or changes reply carries at most; a larger list is answered in pages with \
            metadata.continue (must stay well below the bus's 16 MiB message limit).
            """)
    var listByteBudget: Int = 8 << 20

    @Option(help: "The range of node ports, FIRST-LAST.")
    var serviceNodePortRange: String = "30000-32767"

    func validate() throws {
        guard let range = CIDR(serviceClusterIPRange), range.prefix <= 30 else {
            throw ValidationError(
                "--service-cluster-ip-range \"\(serviceClusterIPRange)\" must be an IPv4 CIDR of at least 4 addresses, "
                    + "e.g. 10.96.0.0/12")
        }
        _ = try nodePortRange()
        guard listByteBudget >= 1024, listByteBudget <= 12 << 20 else {
            throw ValidationError("--list-byte-budget \(listByteBudget) must be between 1024 and 12582912 bytes")
        }
    }

    func nodePortRange() throws -> ClosedRange<Int> {
        let parts = serviceNodePortRange.split(separator: "-").map { Int($0) }
        guard parts.count == 2, let first = parts[0], let last = parts[1], 1 <= first, first <= last, last <= 65535
        else {
            throw ValidationError(
                "--service-node-port-range \"\(serviceNodePortRange)\" must be FIRST-LAST, e.g. 30000-32767")
        }
        return first...last
    }

    func run() async throws {
        let logger = try options.makeLogger("kubus.api")
        var config = APIServerConfiguration()
        config.capacity = max(1, capacity)
        config.serviceClusterIPRange = CIDR(serviceClusterIPRange)!
        config.serviceNodePortRange = try nodePortRange()
        config.listByteBudget = listByteBudget
        let server = APIServer(endpoints: try options.endpoints(), configuration: config, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
