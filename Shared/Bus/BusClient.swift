import CZeroMQ
import JSONCore
import Synchronization

/// A reply to a bus request.
public struct BusReply: Sendable {
    public var envelope: Envelope
    public var payload: [UInt8]

    public init(envelope: Envelope, payload: [UInt8]) {
        self.envelope = envelope
        self.payload = payload
    }

    /// A reply with `code` and a payload, for workers.
    public init(code: Int, payload: [UInt8], type: String = "reply") {
        envelope = Envelope(type: type, code: code)
        self.payload = payload
    }

    /// A failure reply whose payload is a Kubernetes `Status` (what every Kubus service answers errors with).
    public static func failure(code: Int, reason: String, message: String) -> BusReply {
        BusReply(code: code, payload: statusPayload(code: code, reason: reason, message: message))
    }

    /// The JSON of a failed Kubernetes `Status`.
    public static func statusPayload(code: Int, reason: String, message: String) -> [UInt8] {
        var payload: [UInt8] = Array(#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"#.utf8)
        JSONText.appendString(message, to: &payload)
        payload += Array(#","reason":"\#(reason)","code":\#(code)}"#.utf8)
        return payload
    }

    /// The status code (200 when the worker set none).
    public var code: Int { envelope.code ?? 200 }
    public var isSuccess: Bool { (200..<300).contains(code) }
}

/// Sends requests to services through the broker (a DEALER socket), many in flight at once.
///
/// Each request has an id; when no reply comes within `attemptTimeout` it is sent again with the same id
/// (the broker and the services treat a repeated id as the same request), until `timeout` runs out.
/// A broker that restarts is reconnected to by libzmq, and the retry reaches the new one.
public final class BusClient: Sendable {
    private let thread: SocketThread<ClientDriver.Command>
    public let attemptTimeout: Duration

    public init(context: ZMQContext = .shared, endpoints: BusEndpoints, attemptTimeout: Duration = .seconds(3))
        throws(BusError)
    {
        self.attemptTimeout = attemptTimeout
        let endpoint = endpoints.requests
        let credentials = endpoints.credentials
        thread = try SocketThread(name: "kubus-client") { () throws(BusError) in
            try ClientDriver(context: context, endpoint: endpoint, credentials: credentials)
        }
    }

    /// Sends `payload` as a request of `type` to `service` and waits for its reply.
    /// - Throws: `BusError.timeout` when no reply came within `timeout`; `BusError.closed` after `close()`;
    ///   `BusError.tooLarge` (nothing sent) when the request is over `WireProtocol.maxMessageBytes`.
    public func request(
        service: String, type: String, payload: [UInt8], id: String? = nil, timeout: Duration = .seconds(15),
        extra: [String: String] = [:]
    ) async throws(BusError) -> BusReply {
        let requestID = id ?? BusClock.randomID()
        let timeoutMs = max(1, timeout.milliseconds)
        let attemptMs = max(1, attemptTimeout.milliseconds)
        // The broker holds the request a little less than the client waits, so its 503 arrives first.
        let env = Envelope(type: type, id: requestID, timeout: max(1, timeoutMs * 4 / 5), extra: extra)
        let frames: [[UInt8]] = [[], WireProtocol.client, Array(service.utf8), env.encoded(), payload]
        let size = frames[2].count + frames[3].count + payload.count
        guard size <= WireProtocol.maxMessageBytes else {
            // Refused here: the broker would only answer 413 after the whole message crossed the socket.
            throw BusError.tooLarge(
                "request \"\(type)\" to service \"\(service)\" is \(size) bytes; the bus carries at most "
                    + "\(WireProtocol.maxMessageDescription) per message (service, envelope and payload)")
        }
        let thread = self.thread
        let result: Result<BusReply, BusError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Result<BusReply, BusError>, Never>) in
                thread.send(
                    .send(
                        ClientDriver.Pending(
                            id: requestID, service: service, frames: frames, continuation: c,
                            deadline: BusClock.nowMs() + Int64(timeoutMs), attemptMs: Int64(attemptMs),
                            timeoutMs: timeoutMs)))
            }
        } onCancel: {
            thread.send(.cancel(requestID))
        }
        return try result.get()
    }

    /// Fails every request in flight with `BusError.closed` and closes the socket.
    public func close() { thread.stop() }

    deinit { thread.stop() }
}

final class ClientDriver: SocketDriver {
    struct Pending: Sendable {
        var id: String
        var service: String
        var frames: [[UInt8]]
        var continuation: CheckedContinuation<Result<BusReply, BusError>, Never>
        var deadline: Int64
        var attemptMs: Int64
        var timeoutMs: Int
        var nextAttempt: Int64 = 0
    }

    enum Command: Sendable {
        case send(Pending)
        case cancel(String)
    }

    /// The DEALER to the broker; none for a second after a handshake was refused.
    private let connection: BrokerConnection
    var pending: [String: Pending] = [:]

    init(context: ZMQContext, endpoint: String, credentials: BusCredentials?) throws(BusError) {
        connection = try BrokerConnection(
            context: context, type: ZMQ_DEALER, endpoint: endpoint, credentials: credentials
        ) { socket throws(BusError) in
            try socket.set(ZMQ_SNDHWM, Int32(100_000))
            try socket.set(ZMQ_RCVHWM, Int32(100_000))
            try socket.set(ZMQ_RECONNECT_IVL, Int32(100))
            try socket.set(ZMQ_MAXMSGSIZE, WireProtocol.maxFrameBytes)
        }
    }

    var pollSockets: [ZMQSocket] { connection.pollSockets }

    func readable(_ index: Int) {
        if index == 1 {
            // A refused handshake fails every request in flight at once, with the reason, and so does every request
            // made in the next second; then the socket is replaced (the bus may have been restarted or the key
            // admitted since).
            guard let reason = connection.readHandshakes() else { return }
            let failed = pending
            pending.removeAll()
            for (_, p) in failed { p.continuation.resume(returning: .failure(.handshake(reason))) }
            return
        }
        while let frames = try? connection.socket?.receive() {
            // ["", "KUBUS/C1", service, envelope, payload]
            guard frames.count == 5, frames[1] == WireProtocol.client, let env = try? Envelope.decode(frames[3]),
                let id = env.id, let p = pending.removeValue(forKey: id)
            else { continue }
            p.continuation.resume(returning: .success(BusReply(envelope: env, payload: frames[4])))
        }
    }

    func perform(_ commands: [Command]) {
        let now = BusClock.nowMs()
        for c in commands {
            switch c {
            case .send(var p):
                p.nextAttempt = now + p.attemptMs
                if let old = pending[p.id] {
                    old.continuation.resume(
                        returning: .failure(.malformed("request id \(p.id) reused while in flight")))
                }
                guard let socket = connection.socket else {
                    // Refused less than a second ago: say so now rather than at the deadline.
                    p.continuation.resume(
                        returning: .failure(.handshake(connection.problem ?? "the bus refused this client's handshake"))
                    )
                    continue
                }
                pending[p.id] = p
                _ = try? socket.send(p.frames)
            case .cancel(let id):
                pending.removeValue(forKey: id)?.continuation.resume(
                    returning: .failure(.timeout("request \(id) cancelled")))
            }
        }
    }

    func tick() -> Int {
        // Nothing is pending while there is no socket (requests fail then).
        let wait = connection.reconnectIfDue().wait
        let now = BusClock.nowMs()
        var next = wait < 0 ? Int64.max : now + Int64(wait)
        for (id, var p) in pending {
            if now >= p.deadline {
                pending.removeValue(forKey: id)
                var message =
                    "no reply from service \"\(p.service)\" within \(p.timeoutMs) ms; is it running and is the bus up?"
                if let problem = connection.problem { message += " (\(problem))" }
                p.continuation.resume(returning: .failure(.timeout(message)))
                continue
            }
            if now >= p.nextAttempt {
                p.nextAttempt = now + p.attemptMs
                pending[id] = p
                _ = try? connection.socket?.send(p.frames)
            }
            next = min(next, p.nextAttempt, p.deadline)
        }
        return next == .max ? -1 : Int(max(1, next - now))
    }

    func shutdown() {
        for (_, p) in pending { p.continuation.resume(returning: .failure(.closed)) }
        pending.removeAll()
        connection.close()
    }
}

extension Duration {
    /// Whole milliseconds.
    public var milliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
