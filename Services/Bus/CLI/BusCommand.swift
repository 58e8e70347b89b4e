public import ArgumentParser
import Broker
import Bus
import Foundation
import Logging
import ServiceKit
import ServiceLifecycle
import UnixSignals

/// `kubus-bus`: the event forwarder and request router every other service talks through; `kubus-bus keys`
/// manages the registry of keys it admits.
public struct BusMain: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
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

    @Option(
        name: .long,
        help: ArgumentHelp(
            """
            Also take requests from pods at ipc:///DIR/NAME.req (any user may connect; CurveZMQ admits only \
            registered keys), with the key registry entry "pods" (system:anonymous, may call only the api) and its \
            key in DIR/client.key, readable by all: pods show their ServiceAccount token with it. The kubelet \
            mounts DIR into pods (kubus-kubelet --pod-bus DIR).
            """, valueName: "ipc:///DIR/NAME"))
    var podBus: String?

    func validate() throws {
        if let podBus {
            guard podBus.hasPrefix("ipc:///"), podBus.count > "ipc:///".count, !podBus.hasSuffix("/") else {
                throw ValidationError("--pod-bus \(podBus) must be ipc:///DIR/NAME, an absolute path")
            }
        }
    }

    /// Makes the pods' folder (0755) and, on a secured bus, issues the anonymous key `pods` and puts a copy of it
    /// there for every uid to read (it grants what system:anonymous may do; a pod's token says who it is).
    static func preparePodBus(_ base: String, keyring: BusKeyring?) throws {
        let folder = (String(base.dropFirst("ipc://".count)) as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            chmod(folder, 0o755)
            let shared = folder + "/client.key"
            guard let keyring else {
                try? FileManager.default.removeItem(atPath: shared)
                return
            }
            let key = try keyring.issue(
                "pods", identity: "system:anonymous", calls: ["api"], subscribes: [])
            try KeyFiles.write(try String(contentsOfFile: key, encoding: .utf8), to: shared, mode: 0o644)
        } catch let error as BusError {
            throw ValidationError("--pod-bus: \(error.message)")
        } catch {
            throw ValidationError("--pod-bus \(folder): \(error.localizedDescription)")
        }
    }

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
            if let podBus { try Self.preparePodBus(podBus, keyring: keyring) }
            logger.info(
                "bus authenticates with CurveZMQ",
                metadata: [
                    "kubus.keys": "\(folder)", "kubus.serverKey": "\(serverKeys.publicKey)",
                    "kubus.admitted": "\(registry.count)",
                ])
        }
        if let podBus {
            if insecure { try Self.preparePodBus(podBus, keyring: nil) }
            configuration.podRequests = try BusEndpoints(base: podBus).requests
        }
        let broker = Broker(configuration: configuration, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: broker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
