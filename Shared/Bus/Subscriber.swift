import CZeroMQ
import Synchronization

/// One event received from the bus.
public struct BusMessage: Sendable {
    public var topic: String
    public var envelope: Envelope
    public var payload: [UInt8]

    public init(topic: String, envelope: Envelope, payload: [UInt8]) {
        self.topic = topic
        self.envelope = envelope
        self.payload = payload
    }
}

/// Subscribes to topic prefixes on the broker's XPUB endpoint and delivers events as an `AsyncStream`.
///
/// Messages that are not `[topic, envelope, payload]` or whose envelope does not parse are counted in
/// `malformed` and dropped. When the consumer falls more than `bufferLimit` messages behind, the oldest
/// are dropped and counted in `overflowed`; consumers detect the gap from sequence numbers or revisions.
public final class Subscriber: Sendable {
    /// The events, in order. Iterate it from one task.
    public let messages: BusMessages
    private let thread: SocketThread<SubscriberDriver.Command>
    private let counters: SubscriberCounters

    public init(
        context: ZMQContext = .shared, endpoints: BusEndpoints, topics: [String], bufferLimit: Int = 500_000
    ) throws(BusError) {
        // Messages cross to the consumer in batches (one per poll round): one hand-off per batch, not per message.
        let (stream, continuation) = AsyncStream.makeStream(
            of: [BusMessage].self, bufferingPolicy: .bufferingNewest(max(1, bufferLimit / 256)))
        messages = BusMessages(batches: stream)
        let counters = SubscriberCounters()
        self.counters = counters
        let endpoint = endpoints.subscribe
        let credentials = endpoints.credentials
        thread = try SocketThread(name: "kubus-sub") { () throws(BusError) in
            try SubscriberDriver(
                context: context, endpoint: endpoint, credentials: credentials, topics: topics,
                continuation: continuation,
                counters: counters)
        }
        let t = thread
        // Never block here: AsyncStream may call this while holding its lock, which the socket thread needs.
        continuation.onTermination = { _ in t.requestStop() }
    }

    /// Adds a topic prefix.
    public func subscribe(_ topic: String) { thread.send(.subscribe(topic)) }
    /// Removes a topic prefix.
    public func unsubscribe(_ topic: String) { thread.send(.unsubscribe(topic)) }

    /// Messages dropped because they did not follow the wire protocol.
    public var malformed: Int { counters.malformed.load(ordering: .relaxed) }
    /// Messages dropped because the consumer fell behind.
    public var overflowed: Int { counters.overflowed.load(ordering: .relaxed) }
    /// Messages received.
    public var received: Int { counters.received.load(ordering: .relaxed) }
    /// Why the bus refused this subscriber's last handshake (its key, or CurveZMQ against plain text), nil once one
    /// succeeds: nothing arrives meanwhile. The socket is replaced a second after a refusal, so it recovers when the
    /// key is admitted or the bus restarted.
    public var handshakeProblem: String? { counters.handshakeProblem.withLock { $0 } }

    /// Closes the socket and finishes `messages`.
    public func close() { thread.stop() }

    deinit { thread.stop() }
}

final class SubscriberCounters: Sendable {
    let malformed = Atomic<Int>(0)
    let overflowed = Atomic<Int>(0)
    let received = Atomic<Int>(0)
    let handshakeProblem = Mutex<String?>(nil)
}

final class SubscriberDriver: SocketDriver {
    enum Command: Sendable {
        case subscribe(String)
        case unsubscribe(String)
    }

    /// The SUB socket; none for a second after a handshake was refused.
    private let connection: BrokerConnection
    /// The topic prefixes subscribed, to subscribe a replaced socket again.
    private var topics: [String]
    let continuation: AsyncStream<[BusMessage]>.Continuation
    let counters: SubscriberCounters

    init(
        context: ZMQContext, endpoint: String, credentials: BusCredentials?, topics: [String],
        continuation: AsyncStream<[BusMessage]>.Continuation,
        counters: SubscriberCounters
    ) throws(BusError) {
        connection = try BrokerConnection(
            context: context, type: ZMQ_SUB, endpoint: endpoint, credentials: credentials
        ) { socket throws(BusError) in
            try socket.set(ZMQ_RCVHWM, Int32(200_000))
            try socket.set(ZMQ_RECONNECT_IVL, Int32(100))
            try socket.set(ZMQ_MAXMSGSIZE, WireProtocol.maxFrameBytes)
        }
        self.topics = topics
        self.continuation = continuation
        self.counters = counters
        subscribeTopics()
    }

    private func subscribeTopics() {
        for t in topics { try? connection.socket?.subscribe(t) }
    }

    var pollSockets: [ZMQSocket] { connection.pollSockets }

    func readable(_ index: Int) {
        if index == 1 {
            _ = connection.readHandshakes()
            counters.handshakeProblem.withLock { $0 = connection.problem }
            return
        }
        guard let socket = connection.socket else { return }
        var batch: [BusMessage] = []
        var malformed = 0
        while batch.count < 256, let frames = try? socket.receive() {
            guard frames.count == 3, let env = try? Envelope.decode(frames[1]) else {
                malformed += 1
                continue
            }
            batch.append(
                BusMessage(topic: String(decoding: frames[0], as: UTF8.self), envelope: env, payload: frames[2]))
        }
        if malformed > 0 { counters.malformed.add(malformed, ordering: .relaxed) }
        guard !batch.isEmpty else { return }
        counters.received.add(batch.count, ordering: .relaxed)
        if case .dropped(let lost) = continuation.yield(batch) {
            counters.overflowed.add(lost.count, ordering: .relaxed)
        }
    }

    func perform(_ commands: [Command]) {
        for c in commands {
            switch c {
            case .subscribe(let t):
                topics.append(t)
                try? connection.socket?.subscribe(t)
            case .unsubscribe(let t):
                // libzmq counts subscriptions: one unsubscribe undoes one subscribe of the same prefix.
                if let i = topics.firstIndex(of: t) { topics.remove(at: i) }
                try? connection.socket?.unsubscribe(t)
            }
        }
    }

    func tick() -> Int {
        let (made, wait) = connection.reconnectIfDue()
        if made != nil { subscribeTopics() }
        return wait
    }

    func shutdown() {
        connection.close()
        continuation.finish()
    }
}

/// The messages of a `Subscriber`, delivered in batches and read one at a time.
public struct BusMessages: AsyncSequence, Sendable {
    public typealias Element = BusMessage
    let batches: AsyncStream<[BusMessage]>

    /// Messages that arrive in batches, as a subscriber's socket thread hands them over.
    public init(batches: AsyncStream<[BusMessage]>) { self.batches = batches }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var upstream: AsyncStream<[BusMessage]>.AsyncIterator
        var buffer: [BusMessage] = []
        var index = 0

        public mutating func next() async -> BusMessage? {
            while index >= buffer.count {
                guard let batch = await upstream.next() else { return nil }
                buffer = batch
                index = 0
            }
            defer { index += 1 }
            return buffer[index]
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async -> BusMessage? {
            while index >= buffer.count {
                guard let batch = await upstream.next(isolation: actor) else { return nil }
                buffer = batch
                index = 0
            }
            defer { index += 1 }
            return buffer[index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(upstream: batches.makeAsyncIterator()) }
}
