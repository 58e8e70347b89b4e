import ArgumentParser
import Broker
import Bus
import Logging
import ServiceKit
import ServiceLifecycle
import UnixSignals

/// `kubus-bus`: the event forwarder and request router every other service talks through; `kubus-bus keys`
/// manages the registry of keys it admits.
@main
struct BusMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubus-bus",
        abstract: "The Kubus bus broker, and the keys it admits.",
        subcommands: [BusCommand.self, KeysCommand.self], defaultSubcommand: BusCommand.self)
}

/// `kubus-bus [serve]`: runs the broker.
struct BusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The Kubus bus broker: forwards events (XSUB→XPUB) and routes requests to services (Majordomo).",
        discussion: """
            Every socket speaks CurveZMQ: a client is admitted only when its public key is in the key registry \
            (KEYS/registry/*.json, read again when it changes), and each request reaches its service with the \
            caller's identity. The broker's own key pair is KEYS/bus.key, made on first start. --insecure runs \
            without authentication or encryption.
            """)

    @OptionGroup var options: ServiceOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The bus's key folder: bus.key and registry/. Env: KUBUS_KEYS_DIR; default: keys/ in the state folder.",
            valueName: "path"))
    var keys: String?

    @Flag(
        name: .long,
        help:
            "Run without CurveZMQ: no authentication and no encryption (any local user may then do anything on the bus)."
    )
    var insecure = false

    func run() async throws {
        let logger = try options.makeLogger("kubus.bus")
        var configuration = BrokerConfiguration(endpoints: try options.endpoints())
        if insecure {
            logger.warning(
                "the bus runs without authentication or encryption (--insecure): any local user can read every request and event, serve any service and send any request"
            )
        } else {
            let folder = keys ?? Environment.get("KUBUS_KEYS_DIR") ?? options.resolvedStateDir + "/keys"
            let keyring = BusKeyring(directory: folder)
            let serverKeys: CurveKeyPair
            do {
                serverKeys = try keyring.serverKeys()
            } catch {
                throw ValidationError("--keys: \(error.message)")
            }
            let registry = KeyRegistry(directory: keyring.registryDirectory)
            for problem in registry.problems {
                logger.warning("key registry entry skipped", metadata: ["kubus.problem": "\(problem)"])
            }
            configuration.security = BrokerSecurity(keys: serverKeys, registry: registry)
            logger.info(
                "bus authenticates with CurveZMQ",
                metadata: [
                    "kubus.keys": "\(folder)", "kubus.serverKey": "\(serverKeys.publicKey)",
                    "kubus.admitted": "\(registry.count)",
                ])
        }
        let broker = Broker(configuration: configuration, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: broker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
