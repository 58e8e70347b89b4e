public import Bus
import CZeroMQ
public import Logging
public import ServiceLifecycle
public import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Settings of the bus broker.
public struct BrokerConfiguration: Sendable {
    public var endpoints: BusEndpoints
    /// High-water mark per subscriber on the XPUB side (messages), for small events.
    public var subscriberHighWaterMark: Int32 = 100_000
    /// Bytes queued for one subscriber that does not read, for events up to `boundedEventBytes`: the high-water mark
    /// is this over that size (at most `subscriberHighWaterMark`), set once before the XPUB binds. Events over it are
    /// dropped for that subscriber only, counted in `slowSubscriberOverflows` and seen by the subscriber as a gap in
    /// `seq` and the revision chain. (The mark is not changed with the event's size while subscribers are connected:
    /// libzmq 4.3.4 then sends hwm commands to pipes that may be going away, and its I/O thread crashed on one.)
    public var subscriberQueueBytes = 64 << 20
    /// The event size the byte bound is counted for; larger events may queue up to the mark each.
    public static let boundedEventBytes = 4096
    /// Largest topic accepted on an event, and on a subscription (a longer prefix could never match).
    public var maxTopicBytes = 1024
    /// Subscriptions held at once, over every subscriber (XPUB does not tell connections apart).
    public var maxSubscriptions = 20_000
    /// Bytes of the distinct subscribed prefixes (what the prefix tries of the broker and publishers hold).
    public var maxSubscriptionBytes = 1 << 20
    /// Bytes one subscriber connection may send (its subscriptions; it sends nothing else). libzmq's XPUB keeps
    /// every subscription a connection sent, applied or refused, until it leaves (about 35 bytes of trie per byte
    /// of distinct prefix), and does not tell connections apart; the kernel's count of the bytes received on each
    /// TCP connection does, and a connection over this is shut down, which frees what libzmq held for it. A
    /// Kubus subscriber sends its topics once per connection. Holds on `tcp://` endpoints (the default);
    /// on `ipc://` only the per-broker bounds above hold.
    public var maxSubscriptionBytesPerConnection = 64 << 10
    /// Bounds of the request router.
    var routerLimits = RouterLimits()
    /// CurveZMQ on every socket with the broker's key pair, and the registry of admitted keys; nil runs the bus
    /// without authentication or encryption (`kubus-bus --insecure`).
    public var security: BrokerSecurity?
    /// A second request endpoint, for pods (`kubus-bus --pod-bus ipc:///DIR/bus` binds `ipc:///DIR/bus.req`): the
    /// same router, the same ZAP check; its socket file is made writable by every user (pods run as any uid), and
    /// CurveZMQ still admits only registered keys.
    public var podRequests: String?

    /// Where the router takes requests: the bus's endpoint, and the pods' when there is one.
    var requestEndpoints: [String] { [endpoints.requests] + (podRequests.map { [$0] } ?? []) }

    public init(endpoints: BusEndpoints, security: BrokerSecurity? = nil) {
        self.endpoints = endpoints
        self.security = security
    }
}

/// The broker's side of CurveZMQ: its key pair and the keys it admits.
public struct BrokerSecurity: Sendable {
    public var keys: CurveKeyPair
    public var registry: KeyRegistry

    public init(keys: CurveKeyPair, registry: KeyRegistry) {
        self.keys = keys
        self.registry = registry
    }

    /// Makes `socket` a CurveZMQ server whose clients the ZAP handler authenticates; called before it binds.
    func secure(_ socket: ZMQSocket) throws(BusError) {
        try socket.set(ZMQ_CURVE_SERVER, Int32(1))
        try socket.set(ZMQ_CURVE_SECRETKEY, bytes: keys.secretKey.bytes)
        try socket.set(ZMQ_ZAP_DOMAIN, bytes: Array("kubus".utf8))
    }
}

/// Counters of the broker, readable from any thread.
public final class BrokerStats: Sendable {
    public let forwarded = Atomic<Int>(0)
    public let droppedEvents = Atomic<Int>(0)
    public let subscriptions = Atomic<Int>(0)
    /// Times a subscriber's queue was found full: from then until it has read some of it, it gets no events (XPUB
    /// stops offering it events, so each overflow is counted once, not each event it misses).
    public let slowSubscriberOverflows = Atomic<Int>(0)
    /// Subscriptions refused by a bound (count, bytes or topic length).
    public let refusedSubscriptions = Atomic<Int>(0)
    /// Subscriptions in place now.
    public let activeSubscriptions = Atomic<Int>(0)
    /// Events over the message limit, not forwarded.
    public let oversizedEvents = Atomic<Int>(0)
    /// Subscriber connections shut down for sending more than `maxSubscriptionBytesPerConnection`.
    public let disconnectedSubscribers = Atomic<Int>(0)
    /// Connections the ZAP handler refused (a key not in the registry, or no CurveZMQ).
    public let refusedConnections = Atomic<Int>(0)
    /// Events dropped because their publisher may not publish on that topic (or its key was revoked).
    public let forbiddenEvents = Atomic<Int>(0)
    /// Subscriptions refused because the subscriber's key may not subscribe to that prefix (`subscribes`).
    public let forbiddenSubscriptions = Atomic<Int>(0)
    /// Times every subscriber was cut off because a key lost subscriptions it held (a revocation).
    public let revokedSubscriberCuts = Atomic<Int>(0)
    init() {}

    var fields: [(String, Int)] {
        [
            ("eventsForwarded", forwarded.load(ordering: .relaxed)),
            ("eventsDropped", droppedEvents.load(ordering: .relaxed)),
            ("eventsOversized", oversizedEvents.load(ordering: .relaxed)),
            ("slowSubscriberOverflows", slowSubscriberOverflows.load(ordering: .relaxed)),
            ("subscriptions", activeSubscriptions.load(ordering: .relaxed)),
            ("refusedSubscriptions", refusedSubscriptions.load(ordering: .relaxed)),
            ("disconnectedSubscribers", disconnectedSubscribers.load(ordering: .relaxed)),
            ("refusedConnections", refusedConnections.load(ordering: .relaxed)),
            ("forbiddenEvents", forbiddenEvents.load(ordering: .relaxed)),
            ("forbiddenSubscriptions", forbiddenSubscriptions.load(ordering: .relaxed)),
            ("revokedSubscriberCuts", revokedSubscriberCuts.load(ordering: .relaxed)),
        ]
    }
}

/// The bus broker: an XSUB→XPUB forwarder for events and a Majordomo-style request router, each on
/// its own thread.
public final class Broker: Service, Sendable {
    public let configuration: BrokerConfiguration
    public let stats = BrokerStats()
    private let logger: Logger
    private let context: ZMQContext
    private let threads: Mutex<(SocketThread<Never>, SocketThread<Never>, SocketThread<Never>?)?> = Mutex(nil)

    public init(configuration: BrokerConfiguration, context: ZMQContext = .shared, logger: Logger) {
        self.configuration = configuration
        self.context = context
        self.logger = logger
    }

    /// Binds the endpoints and starts forwarding. Throws when an endpoint cannot be bound.
    public func start() throws(BusError) {
        let c = configuration
        let ctx = context
        let stats = self.stats
        let logger = self.logger
        // The ZAP handler is bound before the sockets it authenticates: without one libzmq admits every client.
        var zap: SocketThread<Never>?
        if let security = c.security {
            zap = try SocketThread<Never>(name: "kubus-zap") { () throws(BusError) in
                try ZAPDriver(context: ctx, registry: security.registry, stats: stats)
            }
        }
        let forwarder: SocketThread<Never>
        do {
            forwarder = try SocketThread<Never>(name: "kubus-fwd") { () throws(BusError) in
                try ForwarderDriver(context: ctx, configuration: c, stats: stats, logger: logger)
            }
        } catch {
            zap?.stop()
            throw error
        }
        let router: SocketThread<Never>
        do {
            router = try SocketThread<Never>(name: "kubus-router") { () throws(BusError) in
                try RouterDriver(
                    context: ctx, endpoints: c.requestEndpoints, limits: c.routerLimits, security: c.security,
                    stats: stats, logger: logger)
            }
        } catch {
            forwarder.stop()
            zap?.stop()
            throw error
        }
        threads.withLock { $0 = (forwarder, router, zap) }
        logger.info(
            "bus broker up",
            metadata: [
                "kubus.requests": "\(c.endpoints.requests)", "kubus.publish": "\(c.endpoints.publish)",
                "kubus.subscribe": "\(c.endpoints.subscribe)", "kubus.podRequests": "\(c.podRequests ?? "none")",
            ])
    }

    /// Stops both threads and closes every socket; returns when they are gone.
    public func stop() {
        let t = threads.withLock { t -> (SocketThread<Never>, SocketThread<Never>, SocketThread<Never>?)? in
            defer { t = nil }
            return t
        }
        t?.0.stop()
        t?.1.stop()
        t?.2?.stop()
        removeIPCFiles()
    }

    /// Runs until graceful shutdown (SIGTERM/SIGINT through the ServiceGroup).
    public func run() async throws {
        try start()
        try? await gracefulShutdown()
        logger.info("bus broker stopping")
        stop()
    }

    private func removeIPCFiles() {
        for e in configuration.requestEndpoints + [configuration.endpoints.publish, configuration.endpoints.subscribe]
        where e.hasPrefix("ipc://") {
            unlink(String(e.dropFirst("ipc://".count)))
        }
    }
}

/// Forwards events from XSUB to XPUB and subscriptions back, moving libzmq messages without copying them.
///
/// XPUB runs with `ZMQ_XPUB_NODROP` (a send to a full subscriber fails instead of dropping silently, so each loss
/// is counted, then the event is sent again lossy so the others still get it) and `ZMQ_XPUB_MANUAL` (the forwarder
/// decides which subscriptions to apply, so their number and size are bounded).
final class ForwarderDriver: SocketDriver {
    typealias Command = Never
    let xsub: ZMQSocket
    let xpub: ZMQSocket
    /// Receives the XPUB's connection events (accepted, disconnected, closed), with each connection's descriptor.
    let monitor: ZMQSocket
    let stats: BrokerStats
    let logger: Logger
    let maxTopic: Int
    let configuration: BrokerConfiguration
    /// Subscriptions applied per prefix (a prefix is counted once in `subscriptionBytes`).
    private var applied: [[UInt8]: Int] = [:]
    private var subscriptionCount = 0
    private var subscriptionBytes = 0
    private var trimmer = MemoryTrimmer()
    private var reported = (slow: 0, refused: 0, disconnected: 0)
    /// Subscriber connections (TCP and IPC) by descriptor, with their socket's inode, checked again before a
    /// shutdown so that a descriptor number reused by another socket is never touched.
    private var connections: [Int32: UInt64] = [:]
    /// The prefixes applied for each key (Z85), to see whether a change of the registry took any away.
    private var appliedByKey: [String: Set<[UInt8]>] = [:]
    /// The registry generation the subscriptions were last checked against.
    private var checkedGeneration = 0
    private var lastDisconnected = (peer: "", bytes: 0)
    private var lastReport: Int64 = 0
    private var lastMeasured: Int64 = 0

    init(context: ZMQContext, configuration: BrokerConfiguration, stats: BrokerStats, logger: Logger) throws(BusError) {
        xsub = try ZMQSocket(context: context, type: ZMQ_XSUB)
        xpub = try ZMQSocket(context: context, type: ZMQ_XPUB)
        try xsub.set(ZMQ_RCVHWM, Int32(100_000))
        try xsub.set(ZMQ_MAXMSGSIZE, WireProtocol.maxFrameBytes)
        try xpub.set(ZMQ_SNDHWM, Self.highWaterMark(configuration: configuration))
        try xpub.set(ZMQ_XPUB_NODROP, Int32(1))
        try xpub.set(ZMQ_XPUB_MANUAL, Int32(1))
        // Few subscriptions are taken in per connection before the broker measures it (libzmq moves a
        // connection's whole queue into its trie when the socket is next used).
        try xpub.set(ZMQ_RCVHWM, Int32(16))
        if let security = configuration.security {
            try security.secure(xsub)
            try security.secure(xpub)
        }
        try xsub.bind(configuration.endpoints.publish)
        try xpub.bind(configuration.endpoints.subscribe)
        let monitorEndpoint = "inproc://kubus-xpub-monitor-\(BusClock.randomID().prefix(12))"
        let events = ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_CLOSED
        guard zmq_socket_monitor(xpub.handle, monitorEndpoint, events) == 0 else {
            throw BusError.zmq("zmq_socket_monitor")
        }
        monitor = try ZMQSocket(context: context, type: ZMQ_PAIR)
        try monitor.connect(monitorEndpoint)
        self.stats = stats
        self.logger = logger
        self.configuration = configuration
        maxTopic = configuration.maxTopicBytes
    }

    var pollSockets: [ZMQSocket] { [xsub, xpub, monitor] }

    func readable(_ index: Int) {
        switch index {
        case 0: forwardEvents()
        case 1: forwardSubscriptions()
        default: readConnectionEvents()
        }
    }

    /// Keeps `connections` up to date from the monitor: `[event u16, value u32]` then the endpoint.
    private func readConnectionEvents() {
        while let frames = try? monitor.receive() {
            guard frames.count == 2, frames[0].count == 6 else { continue }
            let event = UInt16(frames[0][0]) | UInt16(frames[0][1]) << 8
            let fd = Int32(bitPattern: frames[0][2...5].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            if Int32(event) == ZMQ_EVENT_ACCEPTED {
                connections[fd] = SocketInfo.inode(fd)
            } else {
                connections[fd] = nil
            }
        }
    }

    /// Shuts down every subscriber connection that has sent more than one connection may: libzmq then drops it
    /// and everything it held for it. Its subscriber reconnects, resends its topics and, if they are still too
    /// many, is shut down again.
    private func enforceConnectionBound() {
        readConnectionEvents()
        let limit = configuration.maxSubscriptionBytesPerConnection
        for (fd, inode) in connections {
            let received = SocketInfo.tcpBytesReceived(fd)  // -1 for IPC: bounded per broker only
            guard received > limit else { continue }
            connections[fd] = nil
            guard SocketInfo.inode(fd) == inode else { continue }  // no longer the connection that was accepted
            lastDisconnected = (SocketInfo.peerAddress(fd), received)
            Glibc.shutdown(fd, Int32(SHUT_RDWR))
            stats.disconnectedSubscribers.add(1, ordering: .relaxed)
            trimmer.note(bytes: received * 40)  // what libzmq's trie held for it, about
        }
    }

    /// After the registry changed: when a key that holds subscriptions was revoked, or may no longer subscribe to
    /// one of its prefixes, every subscriber connection is shut down. libzmq's XPUB cannot drop one subscription or
    /// tell which connection a key is (several may share it), so all reconnect, each through the ZAP handler again:
    /// the revoked key is refused, the others resend their topics (each checked as before) and repair the events
    /// they missed meanwhile from the gap in `seq`, as after a broker restart. Revocations are rare; this costs each
    /// subscriber one reconnection.
    private func cutRevokedSubscribers() {
        guard let registry = configuration.security?.registry, registry.generation != checkedGeneration else { return }
        checkedGeneration = registry.generation
        let lost = appliedByKey.filter { key, topics in
            guard let peer = registry.peer(key: key) else { return true }
            return topics.contains { !peer.maySubscribe(String(decoding: $0, as: UTF8.self)) }
        }
        guard !lost.isEmpty else { return }
        readConnectionEvents()
        var cut = 0
        for (fd, inode) in connections where SocketInfo.inode(fd) == inode {
            Glibc.shutdown(fd, Int32(SHUT_RDWR))
            cut += 1
        }
        connections = [:]
        appliedByKey = [:]
        stats.revokedSubscriberCuts.add(1, ordering: .relaxed)
        logger.notice(
            "subscriptions taken away from keys: every subscriber reconnects through the key check",
            metadata: [
                "kubus.keys":
                    "\(lost.keys.compactMap { registry.peer(key: $0)?.identity ?? "revoked \($0.prefix(8))…" })",
                "kubus.connections": "\(cut)",
            ])
    }

    /// The subscriber high-water mark: `subscriberQueueBytes` of events of `boundedEventBytes`.
    static func highWaterMark(configuration c: BrokerConfiguration) -> Int32 {
        Int32(
            max(1, min(Int(c.subscriberHighWaterMark), c.subscriberQueueBytes / BrokerConfiguration.boundedEventBytes)))
    }

    private func forwardEvents() {
        var parts = [zmq_msg_t](repeating: zmq_msg_t(), count: 3)
        var forwarded = 0
        var dropped = 0
        var oversized = 0
        var slow = 0
        var forbidden = 0
        outer: for _ in 0..<100_000 {
            // Receive one whole message; keep at most 3 parts, count the rest.
            var count = 0
            var extra = false
            while true {
                var msg = zmq_msg_t()
                zmq_msg_init(&msg)
                var rc: Int32
                repeat {
                    rc = zmq_msg_recv(&msg, xsub.handle, count == 0 && !extra ? ZMQ_DONTWAIT : 0)
                } while rc < 0 && zmq_errno() == EINTR
                if rc < 0 {
                    zmq_msg_close(&msg)
                    for i in 0..<min(count, 3) { zmq_msg_close(&parts[i]) }
                    break outer
                }
                let more = zmq_msg_more(&msg) != 0
                if count < 3 {
                    // zmq_msg_t must not be copied by value: move it into the slot.
                    zmq_msg_init(&parts[count])
                    zmq_msg_move(&parts[count], &msg)
                    zmq_msg_close(&msg)
                } else {
                    extra = true
                    zmq_msg_close(&msg)
                }
                count += 1
                if !more { break }
            }
            // [topic, envelope, payload]: anything else is dropped so subscribers only see the protocol.
            if count != 3 || zmq_msg_size(&parts[0]) == 0 || zmq_msg_size(&parts[0]) > maxTopic {
                for i in 0..<min(count, 3) { zmq_msg_close(&parts[i]) }
                dropped += 1
                continue
            }
            if let registry = configuration.security?.registry, !mayPublish(&parts[0], registry) {
                for i in 0..<3 { zmq_msg_close(&parts[i]) }
                forbidden += 1
                continue
            }
            let size = zmq_msg_size(&parts[0]) + zmq_msg_size(&parts[1]) + zmq_msg_size(&parts[2])
            if size > Int(WireProtocol.maxMessageBytes) {
                for i in 0..<3 { zmq_msg_close(&parts[i]) }
                oversized += 1
                continue
            }
            trimmer.note(bytes: size)
            if !sendFirst(&parts[0]) {
                // A subscriber's queue is full: it loses this event (and sees the gap); the others get it.
                slow += 1
                try? xpub.set(ZMQ_XPUB_NODROP, Int32(0))
                if !sendFirst(&parts[0]) { zmq_msg_close(&parts[0]) }
                try? xpub.set(ZMQ_XPUB_NODROP, Int32(1))
            }
            for i in 1..<3 {
                var rc: Int32
                repeat {
                    rc = zmq_msg_send(&parts[i], xpub.handle, i < 2 ? ZMQ_SNDMORE : 0)
                } while rc < 0 && zmq_errno() == EINTR
                if rc < 0 { zmq_msg_close(&parts[i]) }
            }
            forwarded += 1
        }
        if forwarded > 0 { stats.forwarded.add(forwarded, ordering: .relaxed) }
        if dropped > 0 { stats.droppedEvents.add(dropped, ordering: .relaxed) }
        if oversized > 0 { stats.oversizedEvents.add(oversized, ordering: .relaxed) }
        if slow > 0 { stats.slowSubscriberOverflows.add(slow, ordering: .relaxed) }
        if forbidden > 0 { stats.forbiddenEvents.add(forbidden, ordering: .relaxed) }
    }

    /// Whether the publisher of the event whose topic frame is `topic` may publish on it: its connection's key (the
    /// `User-Id` the ZAP handler gave it) is in the registry and allows the topic.
    private func mayPublish(_ topic: inout zmq_msg_t, _ registry: KeyRegistry) -> Bool {
        guard let property = zmq_msg_gets(&topic, "User-Id") else { return false }
        guard let peer = registry.peer(key: String(cString: property)) else { return false }
        let name = String(
            decoding: UnsafeRawBufferPointer(start: zmq_msg_data(&topic), count: zmq_msg_size(&topic)), as: UTF8.self)
        return peer.mayPublish(name)
    }

    /// Sends the first frame of an event without blocking; false when a matching subscriber is full (NODROP).
    private func sendFirst(_ msg: inout zmq_msg_t) -> Bool {
        var rc: Int32
        repeat { rc = zmq_msg_send(&msg, xpub.handle, ZMQ_SNDMORE | ZMQ_DONTWAIT) } while rc < 0 && zmq_errno() == EINTR
        return rc >= 0
    }

    /// One message from the XPUB (a subscription or unsubscription), with the key its connection authenticated
    /// with (`User-Id`, set by the ZAP handler; nil on an insecure bus).
    private func receiveSubscription() -> (frames: [[UInt8]], key: String?)? {
        var frames: [[UInt8]] = []
        var key: String?
        while true {
            var msg = zmq_msg_t()
            zmq_msg_init(&msg)
            defer { zmq_msg_close(&msg) }
            var rc: Int32
            repeat {
                rc = zmq_msg_recv(&msg, xpub.handle, frames.isEmpty ? ZMQ_DONTWAIT : 0)
            } while rc < 0 && zmq_errno() == EINTR
            if rc < 0 { return frames.isEmpty ? nil : (frames, key) }
            if frames.isEmpty, let property = zmq_msg_gets(&msg, "User-Id") { key = String(cString: property) }
            frames.append(Array(UnsafeRawBufferPointer(start: zmq_msg_data(&msg), count: zmq_msg_size(&msg))))
            if zmq_msg_more(&msg) == 0 { return (frames, key) }
        }
    }

    /// Whether the subscriber whose connection authenticated with `key` may subscribe to `topic`: every topic the
    /// prefix can match must be allowed by its registry entry's `subscribes` (the Sync beacons always are).
    private func maySubscribe(_ topic: [UInt8], key: String?) -> Bool {
        guard let registry = configuration.security?.registry else { return true }
        guard let key, let peer = registry.peer(key: key) else { return false }
        return peer.maySubscribe(String(decoding: topic, as: UTF8.self))
    }

    private func forwardSubscriptions() {
        while let (frames, key) = receiveSubscription() {
            guard frames.count == 1, let kind = frames[0].first, kind == 0 || kind == 1 else {
                _ = try? xsub.send(frames)
                continue
            }
            let topic = Array(frames[0].dropFirst())
            if kind == 1, !maySubscribe(topic, key: key) {
                // Not applied: the events of that prefix do not reach this subscriber. Its Sync beacons still do,
                // so an informer notices it is behind and catches up through the api, which checks RBAC.
                stats.forbiddenSubscriptions.add(1, ordering: .relaxed)
                continue
            }
            if kind == 1 {
                // Measured at every subscription: by the time the first of a burst is read here the kernel has
                // counted the whole burst, and the connection is shut down before libzmq takes in more of it.
                enforceConnectionBound()
                let known = applied[topic] != nil
                guard topic.count <= maxTopic, subscriptionCount < configuration.maxSubscriptions,
                    known || subscriptionBytes + topic.count <= configuration.maxSubscriptionBytes
                else {
                    // Not applied: the subscriber gets nothing on it (it never sees the first Sync beacon).
                    stats.refusedSubscriptions.add(1, ordering: .relaxed)
                    continue
                }
                try? xpub.set(ZMQ_SUBSCRIBE, bytes: topic)  // applies to the subscriber that sent it
                if configuration.security != nil, let key { appliedByKey[key, default: []].insert(topic) }
                applied[topic, default: 0] += 1
                subscriptionCount += 1
                if !known { subscriptionBytes += topic.count }
                stats.subscriptions.add(1, ordering: .relaxed)
            } else {
                guard let n = applied[topic] else { continue }  // never applied: nothing to undo
                // A subscriber that left was removed by XPUB itself; this is a no-op then.
                try? xpub.set(ZMQ_UNSUBSCRIBE, bytes: topic)
                subscriptionCount -= 1
                if n > 1 {
                    applied[topic] = n - 1
                } else {
                    applied[topic] = nil
                    subscriptionBytes -= topic.count
                }
            }
            stats.activeSubscriptions.store(subscriptionCount, ordering: .relaxed)
            _ = try? xsub.send(frames)
        }
        if applied.isEmpty { applied = [:] }
    }

    func perform(_ commands: [Never]) {}

    func tick() -> Int {
        let now = BusClock.nowMs()
        trimmer.maybeTrim(now: now)
        configuration.security?.registry.reload(force: false)
        cutRevokedSubscribers()
        if now - lastMeasured >= 1_000 {
            lastMeasured = now
            enforceConnectionBound()
        }
        if now - lastReport >= 5_000 {
            lastReport = now
            let slow = stats.slowSubscriberOverflows.load(ordering: .relaxed)
            let refused = stats.refusedSubscriptions.load(ordering: .relaxed)
            let disconnected = stats.disconnectedSubscribers.load(ordering: .relaxed)
            warn(
                slow - reported.slow, "subscribers fell behind and lost events (their queue was full)",
                [
                    "kubus.overflows": "\(slow - reported.slow)",
                    "kubus.queueBytes": "\(configuration.subscriberQueueBytes)",
                ])
            warn(
                refused - reported.refused, "subscriptions refused at the bound",
                [
                    "kubus.refused": "\(refused - reported.refused)", "kubus.subscriptions": "\(subscriptionCount)",
                    "kubus.maxSubscriptions": "\(configuration.maxSubscriptions)",
                    "kubus.maxSubscriptionBytes": "\(configuration.maxSubscriptionBytes)",
                ])
            warn(
                disconnected - reported.disconnected,
                "subscriber connections shut down for sending more subscriptions than one connection may hold",
                [
                    "kubus.disconnected": "\(disconnected - reported.disconnected)",
                    "kubus.lastPeer": "\(lastDisconnected.peer)", "kubus.lastBytes": "\(lastDisconnected.bytes)",
                    "kubus.maxSubscriptionBytesPerConnection": "\(configuration.maxSubscriptionBytesPerConnection)",
                ])
            reported = (slow, refused, disconnected)
        }
        return 1000
    }

    /// Logs `message` when a counter went up since the last report.
    private func warn(_ increase: Int, _ message: Logger.Message, _ metadata: Logger.Metadata) {
        if increase > 0 { logger.warning(message, metadata: metadata) }
    }

    func shutdown() {
        zmq_socket_monitor(xpub.handle, nil, 0)
        monitor.close()
        xsub.close()
        xpub.close()
    }
}

/// Hands freed heap memory back to the kernel after a burst (glibc keeps it in its arenas otherwise).
struct MemoryTrimmer {
    private var churned = 0
    private var lastTrim: Int64 = 0
    /// Bytes that must have passed since the last trim: a burst, not the steady trickle.
    var threshold = 8 << 20

    mutating func note(bytes: Int) { churned += bytes }

    mutating func maybeTrim(now: Int64) {
        guard churned >= threshold, now - lastTrim >= 2_000 else { return }
        churned = 0
        lastTrim = now
        kubus_malloc_trim()
    }
}

/// Drives `RouterStateMachine` with a ROUTER socket.
final class RouterDriver: SocketDriver {
    typealias Command = Never
    let socket: ZMQSocket
    var machine: RouterStateMachine
    let logger: Logger
    let stats: BrokerStats
    private var trimmer = MemoryTrimmer()

    let security: BrokerSecurity?
    private var lastRefusalLogged: Int64 = 0
    private var refusalsLogged = 0

    init(
        context: ZMQContext, endpoints: [String], limits: RouterLimits, security: BrokerSecurity?, stats: BrokerStats,
        logger: Logger
    ) throws(BusError) {
        machine = RouterStateMachine(limits: limits)
        self.security = security
        self.stats = stats
        trimmer.threshold = 256 << 10  // requests are small: a few thousand of them are a burst
        socket = try ZMQSocket(context: context, type: ZMQ_ROUTER)
        try socket.set(ZMQ_SNDHWM, Int32(200_000))
        try socket.set(ZMQ_RCVHWM, Int32(200_000))
        try socket.set(ZMQ_MAXMSGSIZE, WireProtocol.maxFrameBytes)
        try socket.set(ZMQ_ROUTER_MANDATORY, Int32(1))  // a reply to a vanished peer fails instead of blocking
        if let security { try security.secure(socket) }
        for (i, endpoint) in endpoints.enumerated() {
            try socket.bind(endpoint)
            // The pods' endpoint: any uid may connect to its socket file; CurveZMQ decides who gets in.
            if i > 0, endpoint.hasPrefix("ipc://") { chmod(String(endpoint.dropFirst("ipc://".count)), 0o666) }
        }
        self.logger = logger
    }

    var pollSockets: [ZMQSocket] { [socket] }

    func readable(_ index: Int) {
        var n = 0
        machine.eventStats = stats.fields
        while n < 50_000, let (frames, userID) = try? socket.receiveWithUserID() {
            n += 1
            trimmer.note(bytes: frames.reduce(0) { $0 + $1.count })
            var sender = RouterStateMachine.Sender.unauthenticated
            if let registry = security?.registry {
                sender = userID.flatMap { registry.peer(key: $0) }.map { .peer($0) } ?? .revoked
            }
            send(machine.receive(frames, from: sender, now: BusClock.nowMs()))
        }
    }

    private func send(_ outputs: [[[UInt8]]]) {
        for frames in outputs {
            _ = try? socket.send(frames)
        }
    }

    func perform(_ commands: [Never]) {}

    func tick() -> Int {
        let now = BusClock.nowMs()
        security?.registry.reload(force: false)
        send(machine.tick(now: now))
        let refusals = machine.counters.forbidden + machine.counters.refusedWorkers
        if refusals > refusalsLogged && now - lastRefusalLogged >= 5_000 {
            logger.warning(
                "bus requests refused",
                metadata: [
                    "kubus.refused": "\(refusals - refusalsLogged)", "kubus.last": "\(machine.lastRefusal)",
                ])
            refusalsLogged = refusals
            lastRefusalLogged = now
        }
        // Trim only once the burst has drained, else the memory is only taken again.
        if machine.requests.count < 1_000 { trimmer.maybeTrim(now: now) }
        return min(machine.nextTickDelay(now: now), 2_000)
    }

    func shutdown() { socket.close() }
}

/// What the kernel knows of one of libzmq's sockets.
enum SocketInfo {
    /// Bytes received on a TCP connection (`tcpi_bytes_received` of `TCP_INFO`), or -1 when `fd` is not TCP.
    /// glibc's `struct tcp_info` stops before it, so it is read at its offset in the kernel's (linux/tcp.h, a
    /// stable ABI): 8 single bytes, 24 `__u32`, then `__u64` pacing_rate, max_pacing_rate, bytes_acked and
    /// bytes_received at 128.
    static func tcpBytesReceived(_ fd: Int32) -> Int {
        var buffer = [UInt8](repeating: 0, count: 256)
        var length = socklen_t(buffer.count)
        let rc = buffer.withUnsafeMutableBytes {
            getsockopt(fd, Int32(IPPROTO_TCP), TCP_INFO, $0.baseAddress, &length)
        }
        guard rc == 0, length >= 136 else { return -1 }
        return buffer.withUnsafeBytes {
            Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 128, as: UInt64.self)))
        }
    }

    /// The inode of the socket `fd` is (unique while it is open), or 0.
    static func inode(_ fd: Int32) -> UInt64 {
        var info = stat()
        return fstat(fd, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    /// The IPv4 peer of a TCP socket as `address:port`, or "" (for logs).
    static func peerAddress(_ fd: Int32) -> String {
        var addr = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &len) }
        }
        guard rc == 0, addr.sin_family == sa_family_t(AF_INET) else { return "" }
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        inet_ntop(AF_INET, &addr.sin_addr, &text, socklen_t(text.count))
        let host = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "\(host):\(UInt16(bigEndian: addr.sin_port))"
    }
}
