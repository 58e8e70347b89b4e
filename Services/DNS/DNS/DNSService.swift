public import Bus
public import Client
import Foundation
public import Logging
public import NIOCore
import NIOPosix
import Schema
public import ServiceLifecycle
import Synchronization

/// How kubus-dns runs.
public struct DNSConfiguration: Sendable {
    public var zone: ClusterZoneConfiguration
    /// Where to answer, over UDP and TCP.
    public var listen: [ListenAddress]
    /// The dummy interface to create with its link-local address before binding, or nil.
    public var linkLocal: LinkLocalInterface?
    /// The resolvers everything outside the served zones goes to.
    public var upstreams: [SocketAddress]
    /// How long one upstream gets per attempt.
    public var upstreamTimeout: Duration = .seconds(2)
    /// Upstream answers kept (0: no cache).
    public var cacheCapacity = 10_000
    /// Event loop threads.
    public var threads = 1
    /// UDP sockets per listen address (SO_REUSEPORT).
    public var udpSocketsPerAddress = 1
    /// Whether to keep kube-system/kube-dns' Service and Endpoints.
    public var registerKubeDNS = true

    public init(zone: ClusterZoneConfiguration, listen: [ListenAddress], upstreams: [SocketAddress]) {
        self.zone = zone
        self.listen = listen
        self.upstreams = upstreams
    }
}

/// kubus-dns: the cluster zone from Service and EndpointSlice informers, served over UDP and TCP on SwiftNIO, with
/// everything else forwarded; registers kube-system/kube-dns and serves its counters as the bus service `dns`.
///
/// Until the informers have synced, cluster names get SERVFAIL (which clients retry and never cache as NXDOMAIN).
/// On graceful shutdown every socket closes, questions in flight upstream fail, and the event loops stop.
public final class DNSService: ServiceLifecycle.Service, Sendable {
    let configuration: DNSConfiguration
    let client: KubusClient
    let endpoints: BusEndpoints
    let logger: Logger
    public let stats = DNSStats()
    let zones: ZoneHolder
    /// Called with the bound addresses once the server listens (tests read the port picked for port 0).
    let onListening: @Sendable ([SocketAddress]) -> Void

    public init(
        configuration: DNSConfiguration, client: KubusClient, endpoints: BusEndpoints, logger: Logger,
        onListening: @escaping @Sendable ([SocketAddress]) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.client = client
        self.endpoints = endpoints
        self.logger = logger
        self.onListening = onListening
        zones = ZoneHolder(configuration: configuration.zone)
    }

    private struct Stop: Error {}

    public func run() async throws {
        if let linkLocal = configuration.linkLocal {
            let place = try await linkLocal.setUp()
            logger.info(
                "link-local address ready",
                metadata: ["kubus.on": "\(place)", "kubus.address": "\(linkLocal.address)/32"])
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        var forwarder: Forwarder?
        if configuration.upstreams.isEmpty {
            logger.warning("no upstream resolvers: names outside the cluster zones get SERVFAIL")
        } else {
            forwarder = Forwarder(
                upstreams: configuration.upstreams, eventLoop: group.next(),
                attemptTimeout: .nanoseconds(Int64(configuration.upstreamTimeout / .nanoseconds(1))),
                cacheCapacity: configuration.cacheCapacity, stats: stats, logger: logger)
        }
        let responder = DNSResponder(zones: zones, forwarder: forwarder, stats: stats)
        var serverConfiguration = DNSServer.Configuration(listen: configuration.listen)
        serverConfiguration.udpSocketsPerAddress = configuration.udpSocketsPerAddress
        let server = DNSServer(configuration: serverConfiguration, responder: responder, group: group, logger: logger)
        do {
            try await forwarder?.start()
            try await server.start()
            onListening(server.boundAddresses)
            logger.info(
                "serving cluster DNS",
                metadata: [
                    "kubus.domain": "\(configuration.zone.domain)",
                    "kubus.upstreams": "\(configuration.upstreams.map(Forwarder.text).joined(separator: ","))",
                ])
            // The addresses as bound (a port of 0 became a real one) are what kube-dns' Endpoints list.
            var bound: [ListenAddress] = []
            for address in server.boundAddresses {
                guard let host = address.ipAddress, let port = address.port else { continue }
                let listen = ListenAddress(host: host, port: port)
                if !bound.contains(listen) { bound.append(listen) }
            }
            try await serve(forwarder: forwarder, listening: bound)
        } catch {
            await server.stop()
            await forwarder?.stop()
            try? await group.shutdownGracefully()
            throw error
        }
        await server.stop()
        await forwarder?.stop()
        try await group.shutdownGracefully()
        logger.info("stopped", metadata: ["kubus.counters": "\(stats.snapshot)"])
    }

    /// Informers, zone rebuilds, kube-dns registration and the status service, until graceful shutdown.
    private func serve(forwarder: Forwarder?, listening: [ListenAddress]) async throws {
        let (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let services = Informer<Schema.Service>(source: client, endpoints: endpoints, logger: logger) { _ in
            signal.yield()
        }
        let slices = Informer<EndpointSlice>(source: client, endpoints: endpoints, logger: logger) { _ in signal.yield()
        }
        let statusWorker: Worker?
        do {
            statusWorker = try Worker(endpoints: endpoints, service: "dns", capacity: 16)
        } catch {
            logger.warning("cannot serve the dns status on the bus", metadata: ["kubus.error": "\(error)"])
            statusWorker = nil
        }
        defer { statusWorker?.close() }
        do {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { [self] in await keepRunning(services) }
                group.addTask { [self] in await keepRunning(slices) }
                group.addTask {
                    await services.waitForSync()
                    await slices.waitForSync()
                    signal.yield()
                }
                group.addTask { [self] in
                    await rebuild(signals, services: services, slices: slices)
                }
                if configuration.registerKubeDNS {
                    let registrar = KubeDNSRegistrar(
                        client: client, clusterIP: configuration.zone.dnsServiceIP, listen: listening,
                        logger: logger)
                    group.addTask { await registrar.run() }
                }
                if let statusWorker {
                    group.addTask { [self] in
                        await statusWorker.run { _ in self.statusReply(forwarder: forwarder) }
                    }
                }
                group.addTask {
                    try? await gracefulShutdown()
                    throw Stop()
                }
            }
        } catch is Stop {
            signal.finish()
        }
    }

    /// Runs an informer, starting it again when it fails (the api may not be up yet): answers keep coming from the
    /// last zone, and names outside it are still forwarded, meanwhile.
    private func keepRunning<T: KubeObject>(_ informer: Informer<T>) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await informer.run()
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                logger.log(
                    level: failures == 1 ? .warning : .debug, "informer stopped; starting it again",
                    metadata: ["kubus.kind": "\(informer.kind)", "kubus.error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Rebuilds the zone from the caches after every change (changes that arrive during a rebuild make one more).
    private func rebuild(
        _ signals: AsyncStream<Void>, services: Informer<Schema.Service>, slices: Informer<EndpointSlice>
    ) async {
        var first = true
        for await _ in signals {
            guard services.hasSynced, slices.hasSynced else { continue }
            let start = ContinuousClock.now
            let data = ClusterZoneData(
                services: services.list(), slices: slices.list(), domain: configuration.zone.domain,
                serial: UInt32(clamping: Int(Date().timeIntervalSince1970)))
            zones.replace(data)
            stats.zoneBuilds.add(1, ordering: .relaxed)
            logger.log(
                level: first ? .info : .debug, first ? "cluster zone synced" : "cluster zone rebuilt",
                metadata: [
                    "kubus.services": "\(data.serviceCount)", "kubus.endpoints": "\(data.endpointCount)",
                    "kubus.millis": "\((ContinuousClock.now - start) / .milliseconds(1))",
                ])
            first = false
        }
    }

    /// The counters, as the `dns` bus service answers any request.
    func statusReply(forwarder: Forwarder?) -> BusReply {
        var counters: [String: JSONValue] = [:]
        for (key, value) in stats.snapshot { counters[key] = .int(Int64(value)) }
        var rcodes: [String: JSONValue] = [:]
        for (key, value) in stats.answersByRcode { rcodes[key] = .int(Int64(value)) }
        let zone = zones.zone
        let body: JSONValue = [
            "counters": .object(counters),
            "answers": .object(rcodes),
            "cache": ["upstreamAnswers": .int(Int64(forwarder?.cacheSize ?? 0))],
            "zone": [
                "synced": .bool(zone != nil), "services": .int(Int64(zone?.data.serviceCount ?? 0)),
                "endpoints": .int(Int64(zone?.data.endpointCount ?? 0)), "serial": .int(Int64(zone?.data.serial ?? 0)),
                "domain": .string(configuration.zone.domain.description),
            ],
            "listen": .array(configuration.listen.map { .string($0.description) }),
            "upstreams": .array(configuration.upstreams.map { .string(Forwarder.text($0)) }),
        ]
        return BusReply(code: 200, payload: body.encoded())
    }
}
