import CZeroMQ
import Synchronization

/// A request delivered to a worker.
public struct BusRequest: Sendable {
    public var envelope: Envelope
    public var payload: [UInt8]
    /// Who sent it, as the broker authenticated them (their CurveZMQ key's identity in the broker's key registry);
    /// nil on a broker started with `--insecure`. Never taken from the envelope or payload.
    public var caller: String?
    /// The groups the broker's key registry gives the caller (empty on an insecure broker).
    public var callerGroups: [String]

    public init(envelope: Envelope, payload: [UInt8], caller: String? = nil, callerGroups: [String] = []) {
        self.envelope = envelope
        self.payload = payload
        self.caller = caller
        self.callerGroups = callerGroups
    }

    /// The operation asked for.
    public var type: String { envelope.type }
    /// The request id (stable across the client's retries).
    public var id: String { envelope.id ?? "" }
}

/// Serves one named service on the bus: registers with the broker (READY with a capacity), answers its
/// requests concurrently, heartbeats, and registers again with a broker that restarted.
public final class Worker: Sendable {
    public let service: String
    private let thread: SocketThread<WorkerDriver.Command>
    private let incoming: AsyncStream<WorkerDriver.Incoming>

    /// - Parameters:
    ///   - capacity: how many requests the broker may hand this instance at once.
    ///   - direct: offered each request first, on the worker's socket thread, before any task: it returns true when
    ///     it took the request and will answer it through the `WorkerReply` (exactly once, from any thread), false to
    ///     leave it to `run`'s handler. It must not block: the store hands its writes to the group commit here and
    ///     answers from the commit, without a task on either side.
    ///   - refused: told, on the socket thread, why the broker refused this worker's handshake (its key, or CurveZMQ
    ///     against plain text), once per reason until a handshake succeeds: no request can reach the worker meanwhile.
    ///     The worker keeps connecting again, so it serves once the key is admitted.
    public init(
        context: ZMQContext = .shared, endpoints: BusEndpoints, service: String, capacity: Int = 256,
        direct: (@Sendable (BusRequest, WorkerReply) -> Bool)? = nil, refused: (@Sendable (String) -> Void)? = nil
    ) throws(BusError) {
        self.service = service
        let (stream, continuation) = AsyncStream.makeStream(of: WorkerDriver.Incoming.self)
        incoming = stream
        let endpoint = endpoints.requests
        let credentials = endpoints.credentials
        let outbox = WorkerOutbox()
        thread = try SocketThread(name: "kubus-worker") { () throws(BusError) in
            try WorkerDriver(
                context: context, endpoint: endpoint, credentials: credentials, service: service, capacity: capacity,
                continuation: continuation, direct: direct, outbox: outbox, refused: refused)
        }
        outbox.thread.storeIfNil(thread)
    }

    /// Answers requests with `handler` until `close()` is called or the task is cancelled.
    public func run(handler: @escaping @Sendable (BusRequest) async -> BusReply) async {
        let thread = self.thread
        let incoming = self.incoming
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for await item in incoming {
                    group.addTask {
                        var reply = await handler(item.request)
                        reply.envelope.id = item.request.envelope.id
                        thread.send(.reply(address: item.address, frames: reply.framesBounded(to: item.request)))
                    }
                }
            }
        } onCancel: {
            thread.stop()
        }
    }

    /// Tells the broker this instance is leaving, then closes the socket.
    public func close() { thread.stop() }

    deinit { thread.stop() }
}

/// Answers one request taken by a worker's `direct` hook, from any thread.
public struct WorkerReply: Sendable {
    let outbox: WorkerOutbox
    let address: [UInt8]
    let request: BusRequest

    /// Sends `reply` (with the request's id) to the caller through the worker's socket thread.
    public func send(_ reply: BusReply) {
        var reply = reply
        reply.envelope.id = request.envelope.id
        outbox.thread.load()?.send(.reply(address: address, frames: reply.framesBounded(to: request)))
    }
}

/// The worker's socket thread, for replies sent from outside it; set once the thread runs.
final class WorkerOutbox: Sendable {
    let thread = AtomicLazyReference<SocketThread<WorkerDriver.Command>>()
}

extension BusReply {
    /// This reply's envelope and payload frames, or a 500's naming the limit when they are over
    /// `WireProtocol.maxMessageBytes` (which the broker could not pass on: the client would wait for nothing until
    /// its timeout). The envelope is encoded once.
    func framesBounded(to request: BusRequest) -> [[UInt8]] {
        let encoded = envelope.encoded()
        let size = encoded.count + payload.count
        guard size > WireProtocol.maxMessageBytes else { return [encoded, payload] }
        var refusal = BusReply.failure(
            code: 500, reason: "InternalError",
            message: "the reply to \"\(request.type)\" is \(size) bytes, over the bus limit of "
                + "\(WireProtocol.maxMessageDescription); ask for less at a time (a list with a limit)")
        refusal.envelope.id = envelope.id
        return [refusal.envelope.encoded(), refusal.payload]
    }
}

final class WorkerDriver: SocketDriver {
    struct Incoming: Sendable {
        var address: [UInt8]
        var request: BusRequest
    }

    enum Command: Sendable {
        case reply(address: [UInt8], frames: [[UInt8]])
    }

    let context: ZMQContext
    let endpoint: String
    let credentials: BusCredentials?
    let service: String
    let capacity: Int
    let continuation: AsyncStream<Incoming>.Continuation
    let direct: (@Sendable (BusRequest, WorkerReply) -> Bool)?
    let outbox: WorkerOutbox
    let refused: (@Sendable (String) -> Void)?
    /// The refusal last reported, until a handshake succeeds.
    var reported: String?
    var socket: ZMQSocket
    var monitor: HandshakeMonitor
    var lastHeard: Int64 = 0
    var lastSent: Int64 = 0
    let interval = Int64(WireProtocol.heartbeatIntervalMs)

    init(
        context: ZMQContext, endpoint: String, credentials: BusCredentials?, service: String, capacity: Int,
        continuation: AsyncStream<Incoming>.Continuation, direct: (@Sendable (BusRequest, WorkerReply) -> Bool)?,
        outbox: WorkerOutbox, refused: (@Sendable (String) -> Void)?
    ) throws(BusError) {
        self.context = context
        self.endpoint = endpoint
        self.credentials = credentials
        self.service = service
        self.capacity = capacity
        self.continuation = continuation
        self.direct = direct
        self.outbox = outbox
        self.refused = refused
        (socket, monitor) = try WorkerDriver.makeSocket(context: context, endpoint: endpoint, credentials: credentials)
        register()
    }

    static func makeSocket(context: ZMQContext, endpoint: String, credentials: BusCredentials?) throws(BusError)
        -> (ZMQSocket, HandshakeMonitor)
    {
        try HandshakeMonitor.connect(context: context, type: ZMQ_DEALER, endpoint: endpoint, credentials: credentials) {
            s throws(BusError) in
            try s.set(ZMQ_SNDHWM, Int32(100_000))
            try s.set(ZMQ_RCVHWM, Int32(100_000))
            try s.set(ZMQ_RECONNECT_IVL, Int32(100))
            try s.set(ZMQ_LINGER, Int32(200))
            try s.set(ZMQ_MAXMSGSIZE, WireProtocol.maxFrameBytes)
        }
    }

    private func register() {
        let now = BusClock.nowMs()
        lastHeard = now
        lastSent = now
        _ = try? socket.send([
            [], WireProtocol.worker, WireProtocol.ready, Array(service.utf8), Array(String(capacity).utf8),
        ])
    }

    private func reconnect() {
        monitor.close()
        socket.close()
        if let (s, m) = try? WorkerDriver.makeSocket(context: context, endpoint: endpoint, credentials: credentials) {
            (socket, monitor) = (s, m)
        }
        register()
    }

    var pollSockets: [ZMQSocket] { [socket, monitor.socket] }

    func readable(_ index: Int) {
        if index == 1 {
            // A refused connection is not retried by libzmq; the heartbeat's liveness replaces the socket.
            for outcome in monitor.drain() {
                switch outcome {
                case .succeeded: reported = nil
                case .interrupted: break
                case .refused(let reason):
                    if reason != reported { refused?(reason) }
                    reported = reason
                }
            }
            return
        }
        while let frames = try? socket.receive() {
            guard frames.count >= 3, frames[0].isEmpty, frames[1] == WireProtocol.worker else { continue }
            lastHeard = BusClock.nowMs()
            let command = frames[2]
            // ["", W1, REQUEST, client, "", envelope, payload] and, from a broker that authenticates, the caller and
            // its groups (comma-separated).
            if command == WireProtocol.request, (7...9).contains(frames.count) {
                let address = frames[3]
                guard let env = try? Envelope.decode(frames[5]) else {
                    let bad = BusReply.failure(code: 400, reason: "BadRequest", message: "malformed request envelope")
                    send(address: address, frames: [bad.envelope.encoded(), bad.payload])
                    continue
                }
                let caller = frames.count >= 8 ? String(decoding: frames[7], as: UTF8.self) : nil
                let groups =
                    frames.count == 9
                    ? String(decoding: frames[8], as: UTF8.self).split(separator: ",").map(String.init) : []
                let request = BusRequest(envelope: env, payload: frames[6], caller: caller, callerGroups: groups)
                // Until the thread is known (its first moments) the hook is not offered anything.
                if let direct, outbox.thread.load() != nil,
                    direct(request, WorkerReply(outbox: outbox, address: address, request: request))
                {
                    continue
                }
                continuation.yield(Incoming(address: address, request: request))
            } else if command == WireProtocol.disconnect {
                reconnect()
            }
            // HEARTBEAT only refreshes lastHeard.
        }
    }

    private func send(address: [UInt8], frames: [[UInt8]]) {
        _ = try? socket.send([[], WireProtocol.worker, WireProtocol.reply, address, []] + frames)
        lastSent = BusClock.nowMs()
    }

    func perform(_ commands: [Command]) {
        for c in commands {
            switch c {
            case .reply(let address, let frames): send(address: address, frames: frames)
            }
        }
    }

    func tick() -> Int {
        let now = BusClock.nowMs()
        if now - lastHeard > interval * Int64(WireProtocol.heartbeatLiveness) {
            reconnect()  // the broker is gone or restarted: register again
        } else if now - lastSent >= interval {
            _ = try? socket.send([[], WireProtocol.worker, WireProtocol.heartbeat])
            lastSent = now
        }
        return Int(max(1, interval - (now - lastSent)))
    }

    func shutdown() {
        _ = try? socket.send([[], WireProtocol.worker, WireProtocol.disconnect])
        monitor.close()
        socket.close()
        continuation.finish()
    }
}
