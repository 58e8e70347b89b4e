import Bus
import CNIOLinux
public import Logging
public import NIOCore
import NIOPosix
public import Schema
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// How the userspace proxy runs.
public struct UserspaceProxyConfiguration: Sendable {
    /// Event loop threads; accepted connections are spread over them.
    public var threads = System.coreCount
    /// A UDP flow without a datagram either way for this long ends.
    public var udpIdleTimeout: TimeAmount = .seconds(30)
    /// How long a connection to an endpoint may take before the next endpoint is tried.
    public var connectTimeout: TimeAmount = .seconds(2)
    /// Endpoints tried per connection before the client is reset.
    public var connectAttempts = 3
    /// Listeners that could not be opened are tried again this often.
    public var retryPeriod: Duration = .seconds(5)

    public init() {}
}

/// Counters of the userspace data path, for the status reply.
final class UserspaceCounters: Sendable {
    let accepted = Atomic<Int>(0)
    let active = Atomic<Int>(0)
    /// Connections reset because the service port had no endpoint for them.
    let refused = Atomic<Int>(0)
    /// Connections (or UDP flows) to an endpoint that failed.
    let backendFailures = Atomic<Int>(0)
    let udpFlows = Atomic<Int>(0)
    let udpDropped = Atomic<Int>(0)
}

/// kube-proxy's data path in userspace, on SwiftNIO, for loopback mode (no root, no nftables): a listener on every
/// frontend of every TCP and UDP service port (`UserspacePlan`), opened and closed as the model changes
/// (`ListenerReconcile`), each connection or flow sent to an endpoint its `ServicePortBalancer` picks. Connections in
/// flight keep their endpoint through model changes. A listener that cannot be opened (a port below 1024 without
/// the privilege, an address no interface has, a port someone else holds) is reported in the status and the log with
/// the reason, and tried again every `retryPeriod`.
public final class UserspaceProxy: Sendable {
    let configuration: UserspaceProxyConfiguration
    let logger: Logger
    let group: MultiThreadedEventLoopGroup
    let router = ServiceRouter()
    let counters = UserspaceCounters()
    private let state = Mutex(State())
    private let wake = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    private let stopped = Atomic<Bool>(false)

    struct State {
        var open: [ListenerKey: any Channel] = [:]
        var failed: [ListenerKey: Failure] = [:]
        var plan = UserspacePlan()
        var applied: ProxyModel?
        var syncs = 0
        var lastSyncMillis = 0.0
    }

    struct Failure {
        var reason: String
        var retryAt: ContinuousClock.Instant
    }

    public init(configuration: UserspaceProxyConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
    }

    /// Asks for a sync (informer handlers call it on every event).
    public func poke() { wake.continuation.yield() }

    /// Ends `run`.
    public func finish() { wake.continuation.finish() }

    /// Applies the model `build` returns on every poke until `finish()` or cancellation, at most once per
    /// `minPeriod`, and retries listeners that failed every `retryPeriod`; then closes every listener and stops the
    /// event loops.
    public func run(minPeriod: Duration, build: @Sendable () -> ProxyModel) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                while !Task.isCancelled {
                    do { try await Task.sleep(for: configuration.retryPeriod) } catch { return }
                    router.prune()
                    if state.withLock({ !$0.failed.isEmpty }) { poke() }
                }
            }
            poke()
            for await _ in wake.stream {
                if Task.isCancelled { break }
                await apply(build())
                try? await Task.sleep(for: minPeriod)
            }
            group.cancelAll()
        }
        await shutdown()
    }

    /// Makes the listeners and routes match `model`.
    public func apply(_ model: ProxyModel) async {
        let started = ContinuousClock.now
        let plan = UserspacePlan.build(model)
        let previous = state.withLock { state -> UserspacePlan in
            defer { state.plan = plan }
            return state.plan
        }
        router.update(plan, nodes: model.nodes)
        for conflict in plan.conflicts where !previous.conflicts.contains(conflict) {
            logger.warning("listener conflict", metadata: ["kubus.problem": "\(conflict)"])
        }
        for text in plan.unsupported where !previous.unsupported.contains(text) {
            logger.warning("service port not served", metadata: ["kubus.problem": "\(text)"])
        }
        let now = ContinuousClock.now
        let reconcile = state.withLock { state in
            state.failed = state.failed.filter { plan.frontends[$0.key] != nil }
            return ListenerReconcile.plan(
                wanted: Set(plan.frontends.keys), open: Set(state.open.keys), failed: state.failed.mapValues(\.retryAt),
                now: now)
        }
        for key in reconcile.close {
            guard let channel = state.withLock({ $0.open.removeValue(forKey: key) }) else { continue }
            try? await channel.close()
            logger.info("stopped listening", metadata: ["kubus.listener": "\(key)"])
        }
        for key in reconcile.open {
            let servicePort = plan.frontends[key]?.servicePort ?? "?"
            do {
                let channel = try await bind(key)
                state.withLock {
                    $0.open[key] = channel
                    $0.failed[key] = nil
                }
                logger.info("listening", metadata: ["kubus.listener": "\(key)", "kubus.servicePort": "\(servicePort)"])
            } catch {
                let reason = Self.reason(error, key: key)
                let before = state.withLock { state -> String? in
                    defer { state.failed[key] = Failure(reason: reason, retryAt: now + configuration.retryPeriod) }
                    return state.failed[key]?.reason
                }
                if before != reason {
                    logger.error(
                        "cannot listen on \(key) for \(servicePort): \(reason)",
                        metadata: ["kubus.listener": "\(key)", "kubus.servicePort": "\(servicePort)"])
                }
            }
        }
        let millis = Double((ContinuousClock.now - started).milliseconds)
        state.withLock {
            if $0.applied != model { $0.syncs += 1 }
            $0.applied = model
            $0.lastSyncMillis = millis
        }
    }

    /// Closes every listener (connections in flight end with the event loops).
    public func shutdown() async {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        let all = state.withLock { state in
            defer { state.open.removeAll() }
            return Array(state.open.values)
        }
        for channel in all { try? await channel.close() }
        try? await group.shutdownGracefully()
    }

    /// The local address of each open listener (the real port when 0 was asked for, in tests).
    public var listening: [ListenerKey: SocketAddress] {
        state.withLock { $0.open.compactMapValues(\.localAddress) }
    }

    /// Why each listener that should be open is not.
    public var failures: [ListenerKey: String] {
        state.withLock { $0.failed.mapValues(\.reason) }
    }

    /// The model applied last.
    public var applied: ProxyModel? { state.withLock { $0.applied } }

    /// What the data path does, for the `proxy` status reply.
    public func status() -> JSONValue {
        let (open, failed, plan, syncs, millis) = state.withLock {
            ($0.open.keys.sorted(), $0.failed, $0.plan, $0.syncs, $0.lastSyncMillis)
        }
        let failures: [JSONValue] = failed.keys.sorted().map { key in
            .object([
                "listener": .string(key.description),
                "servicePort": .string(plan.frontends[key]?.servicePort ?? ""),
                "error": .string(failed[key]?.reason ?? ""),
            ])
        }
        return .object([
            "syncs": .int(Int64(syncs)),
            "lastSyncMillis": .double(millis),
            "threads": .int(Int64(configuration.threads)),
            "listeners": .int(Int64(open.count)),
            "listening": .array(open.map { .string($0.description) }),
            "listenFailures": .array(failures),
            "conflicts": .array(plan.conflicts.map(JSONValue.string)),
            "unsupported": .array(plan.unsupported.map(JSONValue.string)),
            "connectionsAccepted": .int(Int64(counters.accepted.load(ordering: .relaxed))),
            "connectionsActive": .int(Int64(counters.active.load(ordering: .relaxed))),
            "connectionsRefused": .int(Int64(counters.refused.load(ordering: .relaxed))),
            "endpointFailures": .int(Int64(counters.backendFailures.load(ordering: .relaxed))),
            "udpFlows": .int(Int64(counters.udpFlows.load(ordering: .relaxed))),
            "udpDropped": .int(Int64(counters.udpDropped.load(ordering: .relaxed))),
            "stickyClients": .int(Int64(router.stickyClients)),
        ])
    }

    private func bind(_ key: ListenerKey) async throws -> any Channel {
        let router = self.router
        let counters = self.counters
        let configuration = self.configuration
        switch key.transport {
        case .tcp:
            return try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 1024)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelOption(.autoRead, value: false)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            TCPFrontendHandler(
                                listener: key, router: router, counters: counters,
                                connectTimeout: configuration.connectTimeout, attempts: configuration.connectAttempts))
                    }
                }
                .bind(host: key.ip.description, port: key.port).get()
        case .udp:
            return try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            UDPFrontendHandler(
                                listener: key, router: router, counters: counters,
                                idleTimeout: configuration.udpIdleTimeout))
                    }
                }
                .bind(host: key.ip.description, port: key.port).get()
        }
    }

    /// Why a listener could not be opened, and what to do about it.
    static func reason(_ error: any Error, key: ListenerKey) -> String {
        let errno = (error as? IOError)?.errnoCode
        let loopback = CIDR("127.0.0.0/8")!.contains(key.ip)
        switch errno {
        case EACCES where key.port < 1024:
            return "permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE "
                + "(setcap cap_net_bind_service=+ep kubus-proxy), which loopback mode does not have"
        case EADDRINUSE:
            return "address already in use: another process listens on \(key)"
        case EADDRNOTAVAIL where !loopback:
            return "no interface has \(key.ip): in userspace mode service addresses must be local; a loopback-mode "
                + "cluster takes them from 127.0.0.0/8 (kubus-api --service-cluster-ip-range 127.96.0.0/12)"
        default:
            return "\(error)"
        }
    }

    /// The IPv4 address of a socket address, if it is one.
    static func ipv4(_ address: SocketAddress?) -> IPv4? {
        guard case .v4(let v4) = address else { return nil }
        return IPv4(UInt32(bigEndian: v4.address.sin_addr.s_addr))
    }
}
