import Bus
import CZeroMQ
import Logging
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Settings of the bus broker.
public struct BrokerConfiguration: Sendable {
    public var endpoints: BusEndpoints
    /// High-water mark per subscriber on the XPUB side (messages).
    public var subscriberHighWaterMark: Int32 = 100_000
    /// Largest topic accepted on an event.
    public var maxTopicBytes = 1024

    public init(endpoints: BusEndpoints) { self.endpoints = endpoints }
}

/// Counters of the broker, readable from any thread.
public final class BrokerStats: Sendable {
    public let forwarded = Atomic<Int>(0)
    public let droppedEvents = Atomic<Int>(0)
    public let subscriptions = Atomic<Int>(0)
    init() {}
}

/// The bus broker: an XSUB→XPUB forwarder for events and a Majordomo-style request router, each on
/// its own thread.
public final class Broker: Service, Sendable {
    public let configuration: BrokerConfiguration
    public let stats = BrokerStats()
    private let logger: Logger
    private let context: ZMQContext
    private let threads: Mutex<(SocketThread<Never>, SocketThread<Never>)?> = Mutex(nil)

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
        let forwarder = try SocketThread<Never>(name: "kubus-fwd") { () throws(BusError) in
            try ForwarderDriver(context: ctx, configuration: c, stats: stats)
        }
        let router: SocketThread<Never>
        do {
            router = try SocketThread<Never>(name: "kubus-router") { () throws(BusError) in
                try RouterDriver(context: ctx, endpoint: c.endpoints.requests, logger: logger)
            }
        } catch {
            forwarder.stop()
            throw error
        }
        threads.withLock { $0 = (forwarder, router) }
        logger.info("bus broker up", metadata: [
            "kubus.requests": "\(c.endpoints.requests)", "kubus.publish": "\(c.endpoints.publish)",
            "kubus.subscribe": "\(c.endpoints.subscribe)",
        ])
    }

    /// Stops both threads and closes every socket; returns when they are gone.
    public func stop() {
        let t = threads.withLock { t -> (SocketThread<Never>, SocketThread<Never>)? in
            defer { t = nil }
            return t
        }
        t?.0.stop()
        t?.1.stop()
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
        for e in [configuration.endpoints.requests, configuration.endpoints.publish, configuration.endpoints.subscribe]
        where e.hasPrefix("ipc://") {
            unlink(String(e.dropFirst("ipc://".count)))
        }
    }
}

/// Forwards events from XSUB to XPUB and subscriptions back, moving libzmq messages without copying them.
final class ForwarderDriver: SocketDriver {
    typealias Command = Never
    let xsub: ZMQSocket
    let xpub: ZMQSocket
    let stats: BrokerStats
    let maxTopic: Int

    init(context: ZMQContext, configuration: BrokerConfiguration, stats: BrokerStats) throws(BusError) {
        xsub = try ZMQSocket(context: context, type: ZMQ_XSUB)
        xpub = try ZMQSocket(context: context, type: ZMQ_XPUB)
        try xsub.set(ZMQ_RCVHWM, Int32(100_000))
        try xsub.set(ZMQ_MAXMSGSIZE, WireProtocol.maxMessageBytes)
        try xpub.set(ZMQ_SNDHWM, configuration.subscriberHighWaterMark)
        try xsub.bind(configuration.endpoints.publish)
        try xpub.bind(configuration.endpoints.subscribe)
        self.stats = stats
        maxTopic = configuration.maxTopicBytes
    }

    var pollSockets: [ZMQSocket] { [xsub, xpub] }

    func readable(_ index: Int) {
        if index == 0 { forwardEvents() } else { forwardSubscriptions() }
    }

    private func forwardEvents() {
        var parts = [zmq_msg_t](repeating: zmq_msg_t(), count: 3)
        var forwarded = 0
        var dropped = 0
        outer: for _ in 0..<100_000 {
            // Receive one whole message; keep at most 3 parts, count the rest.
            var count = 0
            var extra = false
            while true {
                var msg = zmq_msg_t()
                zmq_msg_init(&msg)
                var rc: Int32
                repeat { rc = zmq_msg_recv(&msg, xsub.handle, count == 0 && !extra ? ZMQ_DONTWAIT : 0) } while rc < 0 && zmq_errno() == EINTR
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
            for i in 0..<3 {
                var rc: Int32
                repeat { rc = zmq_msg_send(&parts[i], xpub.handle, i < 2 ? ZMQ_SNDMORE : 0) } while rc < 0 && zmq_errno() == EINTR
                if rc < 0 { zmq_msg_close(&parts[i]) }
            }
            forwarded += 1
        }
        if forwarded > 0 { stats.forwarded.add(forwarded, ordering: .relaxed) }
        if dropped > 0 { stats.droppedEvents.add(dropped, ordering: .relaxed) }
    }

    private func forwardSubscriptions() {
        while let frames = try? xpub.receive() {
            if let first = frames.first, first.first == 1 { stats.subscriptions.add(1, ordering: .relaxed) }
            _ = try? xsub.send(frames)
        }
    }

    func perform(_ commands: [Never]) {}
    func tick() -> Int { -1 }

    func shutdown() {
        xsub.close()
        xpub.close()
    }
}

/// Drives `RouterStateMachine` with a ROUTER socket.
final class RouterDriver: SocketDriver {
    typealias Command = Never
    let socket: ZMQSocket
    var machine = RouterStateMachine()
    let logger: Logger

    init(context: ZMQContext, endpoint: String, logger: Logger) throws(BusError) {
        socket = try ZMQSocket(context: context, type: ZMQ_ROUTER)
        try socket.set(ZMQ_SNDHWM, Int32(200_000))
        try socket.set(ZMQ_RCVHWM, Int32(200_000))
        try socket.set(ZMQ_MAXMSGSIZE, WireProtocol.maxMessageBytes)
        try socket.set(ZMQ_ROUTER_MANDATORY, Int32(1))  // a reply to a vanished peer fails instead of blocking
        try socket.bind(endpoint)
        self.logger = logger
    }

    var pollSockets: [ZMQSocket] { [socket] }

    func readable(_ index: Int) {
        var n = 0
        while n < 50_000, let frames = try? socket.receive() {
            n += 1
            send(machine.receive(frames, now: BusClock.nowMs()))
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
        send(machine.tick(now: now))
        return machine.nextTickDelay(now: now)
    }

    func shutdown() { socket.close() }
}
