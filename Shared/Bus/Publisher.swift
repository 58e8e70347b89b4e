import CZeroMQ
import Synchronization

/// Publishes events `[topic, envelope, payload]` to the bus broker's XSUB endpoint.
///
/// Every message gets this publisher's `stream` id, the next sequence number and the send time.
/// `publish` never blocks: the message is queued for the socket thread; PUB drops at its high-water mark
/// (subscribers see the gap in `seq` or in the revision chain and catch up).
public final class Publisher: Sendable {
    /// This publisher's stream id, unique per instance.
    public let stream: String
    private let thread: SocketThread<[[UInt8]]>
    private let sequence = SequenceCounter()
    private let oversizedCount = Atomic<Int>(0)

    public init(
        context: ZMQContext = .shared, endpoints: BusEndpoints, streamPrefix: String = "pub",
        highWaterMark: Int32 = 200_000
    ) throws(BusError) {
        stream = "\(streamPrefix)-\(BusClock.randomID().prefix(12))"
        let endpoint = endpoints.publish
        let credentials = endpoints.credentials
        thread = try SocketThread(name: "kubus-pub") { () throws(BusError) in
            try PublisherDriver(
                context: context, endpoint: endpoint, credentials: credentials, highWaterMark: highWaterMark)
        }
    }

    /// Queues one event. `envelope.stream`, `seq` and `time` are filled in here.
    /// An event over `WireProtocol.maxMessageBytes` is not sent (the broker would not forward it) and is counted in
    /// `oversized`.
    public func publish(topic: String, envelope: Envelope, payload: [UInt8]) {
        // Only a payload near the limit pays for the exact check; 256 bytes for what is filled in below.
        if payload.count > Int(WireProtocol.maxMessageBytes) - 65_536,
            topic.utf8.count + envelope.encoded().count + 256 + payload.count > WireProtocol.maxMessageBytes
        {
            oversizedCount.add(1, ordering: .relaxed)
            return
        }
        var envelope = envelope
        envelope.stream = stream
        let topicBytes = Array(topic.utf8)
        thread.send { () -> [[UInt8]] in
            envelope.seq = sequence.next()
            envelope.time = BusClock.wallNs()
            return [topicBytes, envelope.encoded(), payload]
        }
    }

    /// Queues an event whose frames are already encoded (the load tester's fast path). No stream or seq is added.
    public func publishRaw(_ frames: [[UInt8]]) {
        thread.send(frames)
    }

    /// Events not published because they were over `WireProtocol.maxMessageBytes`.
    public var oversized: Int { oversizedCount.load(ordering: .relaxed) }

    /// The number of events published so far.
    public var published: Int64 { sequence.current }

    /// Sends what is queued (for up to the socket's linger) and closes the socket.
    public func close() { thread.stop() }

    deinit { thread.stop() }
}

/// A counter only touched under the socket thread's queue lock.
final class SequenceCounter: @unchecked Sendable {
    private var value: Int64 = 0
    func next() -> Int64 {
        value += 1
        return value
    }
    var current: Int64 { value }
}

final class PublisherDriver: SocketDriver {
    let socket: ZMQSocket

    init(context: ZMQContext, endpoint: String, credentials: BusCredentials?, highWaterMark: Int32) throws(BusError) {
        socket = try ZMQSocket(context: context, type: ZMQ_PUB)
        try socket.set(ZMQ_SNDHWM, highWaterMark)
        try socket.set(ZMQ_LINGER, Int32(500))  // let the last events out on a clean close
        try socket.set(ZMQ_RECONNECT_IVL, Int32(100))
        try socket.connect(endpoint, as: credentials)
    }

    var pollSockets: [ZMQSocket] { [] }
    func readable(_ index: Int) {}

    func perform(_ commands: [[[UInt8]]]) {
        for frames in commands {
            _ = try? socket.send(frames)
        }
    }

    func tick() -> Int { -1 }
    func shutdown() { socket.close() }
}
