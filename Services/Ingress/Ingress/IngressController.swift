import Client
public import ControllerKit
import Foundation
import Logging
import Schema
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What the ingress controller gives the routing to: nginx (`NginxProcess`), or a fake in tests.
public protocol IngressDataPlane: Sendable {
    /// Makes the data plane serve `text` with the certificate files `certificates` (path → PEM); returns whether
    /// anything changed; throws when the configuration is refused (the previous one stays in force).
    func apply(_ text: String, certificates: [String: String]) async throws -> Bool
}

extension NginxProcess: IngressDataPlane {}

/// The ingress controller, the client-go way: informers on Ingresses, IngressClasses, Services, EndpointSlices and
/// Secrets enqueue keys; `reconcile` renders nginx's configuration (the key `@nginx`), writes the
/// `status.loadBalancer` of one Ingress (its `namespace/name`), or makes sure the controller's own IngressClass
/// exists (`@class`, once at start).
public final class IngressController: Controller {
    public static let name = "ingress"
    /// The key whose reconcile renders and applies the configuration from every cache.
    public static let configurationKey = "@nginx"
    /// The key whose reconcile creates the controller's IngressClass if it is missing.
    public static let classKey = "@class"

    private let context: ControllerContext
    private let configuration: IngressConfiguration
    private let policy: IngressClassPolicy
    private let dataPlane: (any IngressDataPlane)?
    private let checker: CertificateChecker
    private let runningAsRoot: Bool
    private let ingresses: SharedInformer<Ingress>
    private let classes: SharedInformer<IngressClass>
    private let services: SharedInformer<Service>
    private let slices: SharedInformer<EndpointSlice>
    private let secrets: SharedInformer<Secret>
    private let state = Mutex(State())

    private struct State {
        var table: RoutingTable?
        var reported: Set<IngressProblem> = []
        var announced: Set<String> = []
        var classEnsured = false
        var renders = 0
        var lastRender: Date?
    }

    /// A controller with the default configuration that renders but runs no nginx (status and Events only).
    public convenience init(context: ControllerContext) throws {
        self.init(context: context, configuration: IngressConfiguration(), dataPlane: nil)
    }

    /// Creates the controller and its informers' handlers; `dataPlane` serves what it renders.
    public init(context: ControllerContext, configuration: IngressConfiguration, dataPlane: (any IngressDataPlane)?) {
        self.context = context
        self.configuration = configuration
        self.dataPlane = dataPlane
        policy = IngressClassPolicy(configuration)
        checker = CertificateChecker(
            opensslPath: configuration.opensslPath, scratchDirectory: configuration.temporaryDirectory)
        runningAsRoot = getuid() == 0
        ingresses = context.informers.informer(Ingress.self)
        classes = context.informers.informer(IngressClass.self)
        services = context.informers.informer(Service.self)
        slices = context.informers.informer(EndpointSlice.self)
        secrets = context.informers.informer(Secret.self)
        let configurationKey = Self.configurationKey
        ingresses.addEventHandler { event in
            await context.enqueue(configurationKey)
            if event.type != .deleted { await context.enqueue(ObjectKey.of(event.object)) }
        }
        classes.addEventHandler { [ingresses] _ in
            // Which Ingresses are served may have changed with any class.
            await context.enqueue(configurationKey)
            for ingress in ingresses.list() { await context.enqueue(ObjectKey.of(ingress)) }
        }
        services.addEventHandler { _ in await context.enqueue(configurationKey) }
        slices.addEventHandler { _ in await context.enqueue(configurationKey) }
        // Every Secret, not only those with tls.crt: an Ingress naming one without it is reported as invalid.
        secrets.addEventHandler { _ in await context.enqueue(configurationKey) }
    }

    /// The class (once), the configuration, and every Ingress's status.
    public func resyncKeys() -> [String] {
        let first = state.withLock { s -> Bool in
            defer { s.classEnsured = true }
            return !s.classEnsured
        }
        return (first ? [Self.classKey] : []) + [Self.configurationKey] + ingresses.list().map { ObjectKey.of($0) }
    }

    public func reconcile(_ key: String) async throws {
        switch key {
        case Self.configurationKey: try await syncConfiguration()
        case Self.classKey: try await ensureClass()
        default: try await syncStatus(key)
        }
    }

    // MARK: The class

    /// Creates the controller's IngressClass, marked as the default, unless a class of that name exists.
    func ensureClass() async throws {
        if let existing = classes.get(namespace: nil, name: configuration.className) {
            if existing.spec.controller != configuration.controllerName {
                context.logger.warning(
                    "the IngressClass of this controller's name belongs to another controller; Ingresses of that class are not served",
                    metadata: [
                        "kubus.class": "\(configuration.className)",
                        "kubus.controller": "\(existing.spec.controller ?? "")",
                    ])
            }
            return
        }
        do {
            _ = try await context.client.create(policy.ownClass)
            context.logger.info(
                "created the IngressClass, marked as the default",
                metadata: [
                    "kubus.class": "\(configuration.className)", "kubus.controller": "\(configuration.controllerName)",
                ])
        } catch {
            if error.isAlreadyExists { return }
            throw error
        }
    }

    // MARK: The configuration

    /// The snapshot of every cache.
    public func snapshot() -> IngressSnapshot {
        IngressSnapshot(
            ingresses: ingresses.list(), classes: classes.list(), services: services.list(),
            endpointSlices: slices.list(), secrets: secrets.list())
    }

    /// Renders the configuration from the caches and has the data plane serve it; reports new problems as Events.
    func syncConfiguration() async throws {
        let snapshot = snapshot()
        var table = RoutingTableBuilder.build(snapshot, configuration: configuration)
        let problems = await checker.problems(Self.certificatesBySecret(table))
        if !problems.isEmpty {
            table = RoutingTableBuilder.build(snapshot, configuration: configuration, certificateErrors: problems)
        }
        let text = NginxConfigRenderer.render(table, configuration: configuration, runningAsRoot: runningAsRoot)
        if let dataPlane {
            let changed = try await dataPlane.apply(text, certificates: table.certificates)
            if changed {
                context.logger.info(
                    "configuration applied",
                    metadata: [
                        "kubus.ingresses": "\(table.served.count)", "kubus.upstreams": "\(table.upstreams.count)",
                        "kubus.hosts": "\(table.hosts.count - 1)",
                    ])
            }
        }
        let (newProblems, newlyServed) = state.withLock { s -> ([IngressProblem], [String]) in
            s.table = table
            s.renders += 1
            s.lastRender = Date()
            let current = Set(table.problems)
            let fresh = table.problems.filter { !s.reported.contains($0) }
            s.reported = current
            let served = Set(table.served)
            let announced = table.served.filter { !s.announced.contains($0) }
            s.announced = served
            return (fresh, announced)
        }
        for problem in newProblems {
            context.logger.warning(
                "ingress problem",
                metadata: [
                    "kubus.ingress": "\(problem.ingress)", "kubus.reason": "\(problem.reason)",
                    "kubus.message": "\(problem.message)",
                ])
            guard let ingress = ingresses.get(key: problem.ingress) else { continue }
            await context.events.record(
                ingress, type: "Warning", reason: problem.reason, message: problem.message, action: "Sync")
        }
        for key in newlyServed {
            guard let ingress = ingresses.get(key: key) else { continue }
            await context.events.record(
                ingress, type: "Normal", reason: "Sync",
                message: "Serving at \(configuration.listenHTTP) (HTTP) and \(configuration.listenHTTPS) (HTTPS)",
                action: "Sync")
        }
    }

    /// Each TLS Secret the table uses (`namespace/name`) with its PEM.
    static func certificatesBySecret(_ table: RoutingTable) -> [String: String] {
        var result: [String: String] = [:]
        for host in table.hosts.values {
            if let certificate = host.certificate, let pem = table.certificates[certificate.path] {
                result[certificate.secret] = pem
            }
        }
        return result
    }

    // MARK: Status

    /// The load-balancer entry this controller writes: its listen address.
    var ownEntry: IngressLoadBalancerIngress { IngressLoadBalancerIngress(ip: configuration.statusAddress) }

    /// Writes `status.loadBalancer.ingress` of the Ingress `key`: this controller's address when it serves it;
    /// without that address when it does not.
    func syncStatus(_ key: String) async throws {
        guard configuration.updateStatus, let ingress = ingresses.get(key: key) else { return }
        let served = policy.serves(ingress, classes: classes.list())
        let current = ingress.status.loadBalancer?.ingress ?? []
        let desired = served ? [ownEntry] : current.filter { $0.ip != configuration.statusAddress }
        guard desired != current else { return }
        try await context.writeStatus(ingress) { object in
            object.status.loadBalancer = IngressLoadBalancerStatus(ingress: desired.isEmpty ? nil : desired)
        }
        context.logger.info(
            served ? "status set" : "status cleared",
            metadata: ["kubus.ingress": "\(key)", "kubus.address": "\(configuration.statusAddress)"])
    }

    /// Removes this controller's address from every Ingress's status (on shutdown).
    public func clearStatuses() async {
        guard configuration.updateStatus, configuration.updateStatusOnShutdown else { return }
        for ingress in ingresses.list() {
            let current = ingress.status.loadBalancer?.ingress ?? []
            guard current.contains(where: { $0.ip == configuration.statusAddress }) else { continue }
            let desired = current.filter { $0.ip != configuration.statusAddress }
            do {
                try await context.writeStatus(ingress) { object in
                    object.status.loadBalancer = IngressLoadBalancerStatus(ingress: desired.isEmpty ? nil : desired)
                }
            } catch {
                context.logger.warning(
                    "could not clear the status on shutdown",
                    metadata: ["kubus.ingress": "\(ObjectKey.of(ingress))", "kubus.error": "\(error)"])
            }
        }
    }

    // MARK: Reporting

    /// The routing last rendered, nil before the first.
    public var currentTable: RoutingTable? { state.withLock { $0.table } }

    /// What the controller serves, for the `ingress` bus service's `status`.
    public func report(nginx: NginxProcess.Status?) -> IngressStatusReport {
        let (table, renders, lastRender) = state.withLock { ($0.table, $0.renders, $0.lastRender) }
        var report = IngressStatusReport(
            className: configuration.className, controller: configuration.controllerName,
            http: configuration.listenHTTP.description, https: configuration.listenHTTPS.description,
            address: configuration.statusAddress, renders: renders, lastRender: lastRender.map { Time($0).rawValue })
        if let nginx {
            report.nginx = .init(
                pid: nginx.pid, restarts: nginx.restarts, reloads: nginx.reloads,
                configuredAt: nginx.configuredAt.map { Time($0).rawValue }, lastError: nginx.lastError,
                lastExit: nginx.lastExit)
        }
        guard let table else { return report }
        report.ingresses = table.served
        report.upstreams = table.upstreams
        report.problems = table.problems.map { .init(ingress: $0.ingress, reason: $0.reason, message: $0.message) }
        report.hosts = table.hosts.values.sorted { $0.host < $1.host }.map { host in
            .init(
                host: host.host == .any ? "*" : host.host.description,
                tls: host.certificate?.secret,
                paths: host.paths.map {
                    .init(
                        path: $0.match.path, pathType: $0.match.exact ? "Exact" : "Prefix", ingress: $0.ingress,
                        backend: $0.backend, route: $0.route.description)
                },
                defaultBackend: host.defaultRoute?.description)
        }
        return report
    }
}

/// The answer of the `ingress` bus service's `status`: where kubus-ingress listens and what it serves.
public struct IngressStatusReport: Sendable, Codable, Hashable {
    public struct Nginx: Sendable, Codable, Hashable {
        public var pid: Int32?
        public var restarts: Int
        public var reloads: Int
        public var configuredAt: String?
        public var lastError: String?
        public var lastExit: String?
    }

    public struct Host: Sendable, Codable, Hashable {
        public var host: String
        public var tls: String?
        public var paths: [Path]
        public var defaultBackend: String?
    }

    public struct Path: Sendable, Codable, Hashable {
        public var path: String
        public var pathType: String
        public var ingress: String
        public var backend: String
        public var route: String
    }

    public struct Problem: Sendable, Codable, Hashable {
        public var ingress: String
        public var reason: String
        public var message: String
    }

    public var className: String
    public var controller: String
    public var http: String
    public var https: String
    public var address: String
    public var renders: Int
    public var lastRender: String?
    public var nginx: Nginx?
    public var ingresses: [String] = []
    public var hosts: [Host] = []
    public var upstreams: [String: [String]] = [:]
    public var problems: [Problem] = []
}
