import ArgumentParser
import Broker
import ServiceKit
import ServiceLifecycle
import UnixSignals

/// `kubus-bus`: the event forwarder and request router every other service talks through.
@main
struct BusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubus-bus",
        abstract: "The Kubus bus broker: forwards events (XSUB→XPUB) and routes requests to services (Majordomo).")

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let logger = try options.makeLogger("kubus.bus")
        let broker = Broker(configuration: BrokerConfiguration(endpoints: try options.endpoints()), logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: broker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
