public import ArgumentParser
import Bus
import Client
import ControllerKit
import Foundation
import Ingress
import Logging
import Schema
import ServiceKit
import ServiceLifecycle
import UnixSignals

/// `kubus-ingress`: the Ingress controller of the class `kubus`, with nginx as its data plane.
public struct IngressCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "kubus-ingress",
        abstract:
            "The Kubus ingress controller: serves the Ingresses of its class through nginx, as ingress-nginx does.",
        discussion: """
            Makes sure the IngressClass --ingress-class exists (marked as the default), renders nginx's \
            configuration from the Ingresses it serves, their Services' EndpointSlices and TLS Secrets into the \
            state folder, runs nginx as its child (reloaded on each change, started again if it dies, stopped with \
            kubus-ingress) and writes each served Ingress's status.loadBalancer. Serves `status` on the bus \
            service `ingress`. See docs/network.md.
            """)

    @OptionGroup var options: ServiceOptions

    @Option(
        help: ArgumentHelp(
            "Where nginx answers HTTP (an IPv4 address and port; inside 127.0.0.0/8 it is reachable from this machine only).",
            valueName: "address:port"))
    var listenHTTP = "127.0.0.80:80"

    @Option(help: ArgumentHelp("Where nginx answers HTTPS.", valueName: "address:port"))
    var listenHTTPS = "127.0.0.80:443"

    @Option(help: "The IngressClass this controller serves, and creates at start marked as the default.")
    var ingressClass = "kubus"

    @Option(help: "The spec.controller of the classes this controller serves.")
    var controllerClass = "kubus.dev/ingress-nginx"

    @Option(help: "The nginx executable.")
    var nginx = "/usr/sbin/nginx"

    @Option(help: "The openssl executable (the default certificate, checking TLS Secrets).")
    var openssl = "/usr/bin/openssl"

    @Option(help: "nginx's worker_processes: a number or auto.")
    var workerProcesses = "auto"

    @Option(
        help: ArgumentHelp(
            "The user nginx's workers run as when kubus-ingress runs as root "
                + "(default: root, so they can use the state folder wherever it is)."))
    var nginxUser: String?

    @Option(help: "Write nginx's access log to kubus-ingress's log.")
    var accessLog = true

    @Option(help: "Redirect HTTP to HTTPS (308) for hosts with a TLS certificate, as ingress-nginx's ssl-redirect.")
    var sslRedirect = true

    @Option(help: "Write status.loadBalancer of the Ingresses served.")
    var updateStatus = true

    @Option(help: "Remove this controller's address from the Ingresses' status when it stops.")
    var updateStatusOnShutdown = true

    @Option(help: "Concurrent reconcile workers (the configuration is always rendered by one at a time).")
    var workers = 4

    @Option(help: "Render everything and write every status again this often, in seconds; 0 never.")
    var resyncSeconds = 300

    public func validate() throws {
        guard let http = ListenAddress(listenHTTP) else {
            throw ValidationError("--listen-http: \"\(listenHTTP)\" is not an IPv4 address and port (127.0.0.80:80)")
        }
        guard let https = ListenAddress(listenHTTPS) else {
            throw ValidationError("--listen-https: \"\(listenHTTPS)\" is not an IPv4 address and port (127.0.0.80:443)")
        }
        guard http.host.value != 0, https.host.value != 0 else {
            throw ValidationError(
                "--listen-http, --listen-https: name a specific address, not 0.0.0.0 (it is written into the Ingresses' status)"
            )
        }
        guard http != https else { throw ValidationError("--listen-http and --listen-https must differ") }
        guard workers > 0 else { throw ValidationError("--workers: must be at least 1") }
        guard resyncSeconds >= 0 else { throw ValidationError("--resync-seconds: must be 0 or more") }
        guard workerProcesses == "auto" || (Int(workerProcesses) ?? 0) > 0 else {
            throw ValidationError("--worker-processes: a positive number or auto")
        }
    }

    public func run() async throws {
        let logger = try options.makeLogger("kubus.ingress")
        let endpoints = try options.endpoints()
        var config = IngressConfiguration()
        config.className = ingressClass
        config.controllerName = controllerClass
        config.listenHTTP = ListenAddress(listenHTTP)!
        config.listenHTTPS = ListenAddress(listenHTTPS)!
        config.nginxPath = nginx
        config.opensslPath = openssl
        config.workerProcesses = workerProcesses
        config.workerUser = nginxUser
        config.accessLog = accessLog
        config.sslRedirect = sslRedirect
        config.updateStatus = updateStatus
        config.updateStatusOnShutdown = updateStatusOnShutdown
        let state = URL(fileURLWithPath: options.resolvedStateDir).standardizedFileURL.path
        config.stateDirectory = state
        for address in [config.listenHTTP, config.listenHTTPS] where !address.isLoopback {
            logger.warning(
                "listening outside 127.0.0.0/8: the ingress may be reachable from other machines",
                metadata: ["kubus.address": "\(address)"])
        }
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let lock = try StateFolderLock(folder: state, name: "kubus-ingress")
        defer { withExtendedLifetime(lock) {} }

        let bus = try BusClient(endpoints: endpoints)
        defer { bus.close() }
        let client = KubusClient(bus: bus)
        var controllerConfiguration = ControllerConfiguration()
        controllerConfiguration.workers = workers
        controllerConfiguration.resyncPeriod = resyncSeconds > 0 ? .seconds(resyncSeconds) : nil
        let context = ControllerContext(
            name: IngressController.name, client: client, feed: BusFeed(endpoints: endpoints),
            configuration: controllerConfiguration,
            logger: logger)
        let process = NginxProcess(configuration: config, logger: logger)
        try await process.prepare()
        let controller = IngressController(context: context, configuration: config, dataPlane: process)
        let runner = ControllerRunner(
            controller: controller, context: context, endpoints: endpoints, leaderElector: nil)
        let status = IngressStatusService(endpoints: endpoints, controller: controller, nginx: process, logger: logger)
        logger.info(
            "kubus-ingress starting",
            metadata: [
                "kubus.class": "\(config.className)", "kubus.http": "\(config.listenHTTP)",
                "kubus.https": "\(config.listenHTTPS)", "kubus.state": "\(state)",
            ])
        // Stopped in reverse order: the bus service, the controller, then nginx.
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: process), .init(service: runner), .init(service: status)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await controller.clearStatuses() }
            group.addTask { try? await Task.sleep(for: .seconds(5)) }
            await group.next()
            group.cancelAll()
        }
    }
}
