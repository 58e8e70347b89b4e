import APIServer
import ArgumentParser
import ServiceKit
import ServiceLifecycle

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

    func run() async throws {
        let logger = try options.makeLogger("kubus.api")
        var config = APIServerConfiguration()
        config.capacity = max(1, capacity)
        let server = APIServer(endpoints: try options.endpoints(), configuration: config, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
