import Bus
import DequeModule
import JSONCore

/// The request router of the broker as a pure state machine: frames and clock ticks in, frames out.
///
/// After Majordomo (ZeroMQ RFC 7): workers register a service with READY and a capacity; a request for a
/// service goes to the instance with the most free capacity, or waits (until its deadline) while no
/// instance has room; a worker silent for `liveness` heartbeat intervals is dropped and the requests it held
/// are handed to another instance. A client retrying a request id that is still queued or in flight is not
/// queued twice.
struct RouterStateMachine {
    /// Frames to send on the ROUTER socket; the first frame is the peer's routing id.
    typealias Output = [[UInt8]]

    /// Who sent a message, as the ZAP handler authenticated its connection.
    enum Sender {
        /// A broker started with `--insecure`: nobody is authenticated and everything is allowed.
        case unauthenticated
        /// A key in the registry, with what it may do.
        case peer(BusPeer)
        /// A key that was admitted but is no longer in the registry: refused from now on.
        case revoked
    }

    /// A request is the same request when it comes from the same peer with the same id (a client's retry).
    struct RequestKey: Hashable {
        var client: [UInt8]
        var id: String
    }

    struct Request {
        var client: [UInt8]
        var id: String
        var service: String
        var envelope: [UInt8]
        var payload: [UInt8]
        var deadline: Int64
        /// The identity that sent it, handed to the worker as a last frame; nil without authentication.
        var caller: String? = nil
        /// The caller's groups, comma-separated.
        var callerGroups: String? = nil
        /// The worker holding it; nil while it waits in its service's queue.
        var worker: [UInt8]? = nil

        var key: RequestKey { RequestKey(client: client, id: id) }
        var bytes: Int { envelope.count + payload.count }
    }

    struct WorkerState {
        var address: [UInt8]
        var service: String
        var capacity: Int
        var inFlight: Set<RequestKey> = []
        var expiry: Int64
        var lastSent: Int64
    }

    struct ServiceState {
        var workers: [[UInt8]] = []
        /// Keys in arrival order; a key whose request left the queue (timed out) stays until it is popped or compacted.
        var queue: Deque<RequestKey> = []
        /// Requests waiting in `queue`.
        var queued = 0
        /// Requests waiting or handed out, not answered yet.
        var pending = 0
    }

    /// What one client has waiting or in flight.
    struct ClientLoad {
        var requests = 0
        var bytes = 0
    }

    struct Counters {
        var requests = 0
        var replies = 0
        var malformed = 0
        var expiredWorkers = 0
        var timedOut = 0
        /// Requests answered 429 because a bound was reached.
        var rejected = 0
        /// Requests answered 413 because they were over the message limit.
        var tooLarge = 0
        /// Services forgotten because nobody served them and nothing was pending for them.
        var expiredServices = 0
        /// Requests answered 403 (the caller may not call that service) or 401 (its key was revoked).
        var forbidden = 0
        /// READY messages refused: the caller may not serve that service.
        var refusedWorkers = 0
    }

    let heartbeatMs: Int64
    let liveness: Int64
    let defaultTimeoutMs: Int64
    let limits: RouterLimits
    private(set) var workers: [[UInt8]: WorkerState] = [:]
    private(set) var services: [String: ServiceState] = [:]
    private(set) var counters = Counters()
    /// Every request waiting or in flight: the duplicate check is one lookup.
    private(set) var requests: [RequestKey: Request] = [:]
    private(set) var clients: [[UInt8]: ClientLoad] = [:]
    private(set) var pendingBytes = 0
    private var deadlines = DeadlineHeap()
    /// Counters of the event forwarder, set by the driver, shown by `bus stats`.
    var eventStats: [(String, Int)] = []
    /// The last refusal, in words, for the driver's log.
    private(set) var lastRefusal = ""

    init(
        heartbeatMs: Int64 = Int64(WireProtocol.heartbeatIntervalMs),
        liveness: Int64 = Int64(WireProtocol.heartbeatLiveness),
        defaultTimeoutMs: Int64 = 15_000, limits: RouterLimits = RouterLimits()
    ) {
        self.heartbeatMs = heartbeatMs
        self.liveness = liveness
        self.defaultTimeoutMs = defaultTimeoutMs
        self.limits = limits
    }

    // MARK: Input

    /// One message from the ROUTER socket: `[peer, "", protocol, ...]`.
    mutating func receive(_ frames: [[UInt8]], from sender: Sender = .unauthenticated, now: Int64) -> [Output] {
        guard frames.count >= 3, frames[1].isEmpty else {
            counters.malformed += 1
            return []
        }
        let peer = frames[0]
        if frames[2] == WireProtocol.client {
            return clientMessage(peer: peer, frames: frames, sender: sender, now: now)
        }
        if frames[2] == WireProtocol.worker {
            return workerMessage(peer: peer, frames: frames, sender: sender, now: now)
        }
        counters.malformed += 1
        return []
    }

    /// Sends heartbeats, drops dead workers, fails requests whose deadline passed, forgets idle services.
    mutating func tick(now: Int64) -> [Output] {
        var out: [Output] = []
        // By address, reading each worker's state when its turn comes: dropping one worker hands its requests to
        // others, and a copy taken before that would put their old in-flight sets back.
        for address in Array(workers.keys) {
            guard let w = workers[address] else { continue }
            if now > w.expiry {
                out += dropWorker(address, now: now)
                counters.expiredWorkers += 1
                continue
            }
            if now - w.lastSent >= heartbeatMs {
                out.append([address, [], WireProtocol.worker, WireProtocol.heartbeat])
                workers[address]!.lastSent = now
            }
        }
        var touched: Set<String> = []
        while let (deadline, key) = deadlines.peek(), deadline <= now {
            deadlines.pop()
            // Entries of requests answered, handed out or queued again since are stale: skip them.
            guard let r = requests[key], r.worker == nil, r.deadline <= now else { continue }
            counters.timedOut += 1
            out.append(
                errorReply(
                    r, code: 503, reason: "ServiceUnavailable",
                    message: "no instance of service \"\(r.service)\" became available in time; is it running?"))
            services[r.service]?.queued -= 1
            finish(r)
            touched.insert(r.service)
        }
        for name in touched { compact(name) }
        return out
    }

    /// Milliseconds until `tick` next has work.
    func nextTickDelay(now: Int64) -> Int {
        var next = now + heartbeatMs
        if let (deadline, _) = deadlines.peek() { next = min(next, deadline) }
        return Int(max(1, next - now))
    }

    // MARK: Clients

    private mutating func clientMessage(peer: [UInt8], frames: [[UInt8]], sender: Sender, now: Int64) -> [Output] {
        // [peer, "", C1, service, envelope, payload]
        guard frames.count == 6 else {
            counters.malformed += 1
            return [
                clientError(
                    peer: peer, service: [], id: nil, code: 400, reason: "BadRequest",
                    message:
                        "a request has 4 frames after the empty delimiter: protocol, service, envelope, payload; got \(frames.count - 2)"
                )
            ]
        }
        let serviceName = String(decoding: frames[3], as: UTF8.self)
        let env: Envelope
        do {
            env = try Envelope.decode(frames[4])
        } catch {
            // The id, when one can be found, lets the client match the answer to its request.
            counters.malformed += 1
            return [
                clientError(
                    peer: peer, service: frames[3], id: Envelope.salvageID(frames[4]), code: 400,
                    reason: "BadRequest",
                    message: "the request envelope is not valid (\(error.message)); it must be a flat "
                        + "JSON object with string fields \"type\" and \"id\" and string, integer, boolean or null values"
                )
            ]
        }
        guard let id = env.id, !id.isEmpty else {
            counters.malformed += 1
            return [
                clientError(
                    peer: peer, service: frames[3], id: nil, code: 400, reason: "BadRequest",
                    message: "the request envelope has no string field \"id\": a reply is matched to its request by id")
            ]
        }
        counters.requests += 1
        var caller: String?
        var callerGroups: String?
        switch sender {
        case .unauthenticated: break
        case .revoked:
            counters.forbidden += 1
            lastRefusal = "a request to \"\(serviceName)\" on a connection whose key was revoked"
            return [
                clientError(
                    peer: peer, service: frames[3], id: id, code: 401, reason: "Unauthorized",
                    message: "this connection's key is no longer in the bus's key registry (revoked)")
            ]
        case .peer(let p):
            guard p.mayCall(serviceName) else {
                counters.forbidden += 1
                lastRefusal = "\(p.identity) may not call service \"\(serviceName)\""
                return [
                    clientError(
                        peer: peer, service: frames[3], id: id, code: 403, reason: "Forbidden",
                        message: "\(p.identity) may not send requests to service \"\(serviceName)\" (it may call: "
                            + "\(p.calls.isEmpty ? "nothing" : p.calls.joined(separator: ", ")))")
                ]
            }
            caller = p.identity
            callerGroups = p.groups.joined(separator: ",")
        }
        let size = frames[3].count + frames[4].count + frames[5].count
        if size > limits.maxMessageBytes {
            counters.tooLarge += 1
            return [
                clientError(
                    peer: peer, service: frames[3], id: id, code: 413, reason: "RequestEntityTooLarge",
                    message:
                        "the request is \(size) bytes; the bus carries at most \(WireProtocol.maxMessageDescription) "
                        + "per message (service, envelope and payload)")
            ]
        }
        let timeout = env.timeout.map { Int64(min(max($0, 1), 600_000)) } ?? defaultTimeoutMs
        let request = Request(
            client: peer, id: id, service: serviceName, envelope: frames[4], payload: frames[5],
            deadline: now + timeout, caller: caller, callerGroups: callerGroups)
        if serviceName == WireProtocol.brokerService {
            return [brokerAnswer(request, type: env.type)]
        }
        let key = request.key
        if requests[key] != nil { return [] }  // a retry of something still queued or in flight
        if let refusal = refusal(request) {
            counters.rejected += 1
            return [errorReply(request, code: 429, reason: "TooManyRequests", message: refusal)]
        }
        // Modified in place: a copy of the state would copy its queue, once per request.
        services[serviceName, default: ServiceState()].queue.append(key)
        services[serviceName]!.queued += 1
        services[serviceName]!.pending += 1
        requests[key] = request
        clients[peer, default: ClientLoad()].requests += 1
        clients[peer, default: ClientLoad()].bytes += request.bytes
        pendingBytes += request.bytes
        deadlines.push(request.deadline, key)
        return dispatch(serviceName, now: now)
    }

    /// Why `r` may not wait in the broker, naming the bound; nil when it may.
    private func refusal(_ r: Request) -> String? {
        let load = clients[r.client] ?? ClientLoad()
        if load.requests >= limits.maxPendingPerClient {
            return "this client has \(load.requests) requests waiting or in flight, the most the bus holds for one "
                + "connection (\(limits.maxPendingPerClient)); wait for replies before sending more"
        }
        if load.bytes + r.bytes > limits.maxPendingBytesPerClient {
            return
                "this client's requests waiting or in flight would hold \(load.bytes + r.bytes) bytes, over the bus's "
                + "bound of \(limits.maxPendingBytesPerClient) bytes per connection; wait for replies before sending more"
        }
        if pendingBytes + r.bytes > limits.maxPendingBytes {
            return "the bus holds \(pendingBytes) bytes of requests waiting or in flight, at its bound of "
                + "\(limits.maxPendingBytes) bytes; try again shortly"
        }
        if let s = services[r.service] {
            if s.pending >= limits.maxPendingPerService {
                return
                    "service \"\(r.service)\" has \(s.pending) requests waiting or in flight, the most the bus holds "
                    + "for one service (\(limits.maxPendingPerService)); try again shortly"
            }
        } else if services.count >= limits.maxServices {
            return "the bus tracks at most \(limits.maxServices) services (served, or with requests waiting) and "
                + "service \"\(r.service)\" is not one of them; is the name right?"
        }
        return nil
    }

    /// Forgets an answered, timed-out or abandoned request.
    private mutating func finish(_ r: Request) {
        requests[r.key] = nil
        services[r.service]?.pending -= 1
        pendingBytes -= r.bytes
        if var load = clients[r.client] {
            load.requests -= 1
            load.bytes -= r.bytes
            clients[r.client] = load.requests > 0 ? load : nil
        }
    }

    /// Drops stale keys from a service's queue, and the service itself once nobody serves it and nothing is
    /// pending for it (a name only requests used would otherwise stay until the broker restarts).
    private mutating func compact(_ name: String) {
        // Dictionaries keep their capacity when emptied: give a burst's tables back.
        if requests.isEmpty && requests.capacity > 1024 { requests = [:] }
        if clients.isEmpty && clients.capacity > 1024 { clients = [:] }
        guard var s = services[name] else { return }
        if s.workers.isEmpty && s.pending == 0 {
            services[name] = nil
            counters.expiredServices += 1
            if services.capacity > 1024 && services.count < services.capacity / 8 {
                services = services.filter { _ in true }
            }
            return
        }
        if s.queue.count > 2 * s.queued + 64 {
            services[name] = nil  // let the queue be uniquely referenced while it is filtered
            s.queue = Deque(s.queue.filter { requests[$0].map { $0.worker == nil && $0.service == name } ?? false })
            services[name] = s
        }
    }

    private mutating func dispatch(_ serviceName: String, now: Int64) -> [Output] {
        guard services[serviceName]?.workers.isEmpty == false, var s = services.removeValue(forKey: serviceName) else {
            return []
        }
        var out: [Output] = []
        while s.queued > 0 {
            // The instance with the most free capacity takes the request.
            var best: [UInt8]?
            var bestFree = 0
            for a in s.workers {
                guard let w = workers[a] else { continue }
                let free = w.capacity - w.inFlight.count
                if free > bestFree {
                    best = a
                    bestFree = free
                }
            }
            guard let address = best else { break }
            guard let key = s.queue.popFirst() else { break }
            guard var r = requests[key], r.worker == nil, r.service == serviceName else { continue }  // stale
            s.queued -= 1
            r.worker = address
            requests[key] = r
            workers[address]!.inFlight.insert(key)
            workers[address]!.lastSent = now
            var frames = [address, [], WireProtocol.worker, WireProtocol.request, r.client, [], r.envelope, r.payload]
            if let caller = r.caller {
                frames.append(Array(caller.utf8))
                frames.append(Array((r.callerGroups ?? "").utf8))
            }
            out.append(frames)
        }
        services[serviceName] = s
        return out
    }

    // MARK: Workers

    private mutating func workerMessage(peer: [UInt8], frames: [[UInt8]], sender: Sender, now: Int64) -> [Output] {
        guard frames.count >= 4 else {
            counters.malformed += 1
            return []
        }
        if case .revoked = sender {
            // Its key was revoked: it goes, and when it reconnects the ZAP handler refuses it.
            lastRefusal = "a worker whose key was revoked"
            return dropWorker(peer, now: now) + [[peer, [], WireProtocol.worker, WireProtocol.disconnect]]
        }
        let command = frames[3]
        if command == WireProtocol.ready {
            guard frames.count >= 5, !frames[4].isEmpty else {
                counters.malformed += 1
                return []
            }
            let name = String(decoding: frames[4], as: UTF8.self)
            if case .peer(let p) = sender, !p.mayServe(name) {
                counters.refusedWorkers += 1
                lastRefusal = "\(p.identity) may not serve \"\(name)\""
                return []
            }
            var out: [Output] = []
            if workers[peer] != nil { out += dropWorker(peer, now: now) }
            let capacity =
                frames.count >= 6 ? max(1, min(Int(String(decoding: frames[5], as: UTF8.self)) ?? 1, 100_000)) : 1
            workers[peer] = WorkerState(
                address: peer, service: name, capacity: capacity,
                expiry: now + heartbeatMs * liveness, lastSent: now)
            services[name, default: ServiceState()].workers.append(peer)
            return out + dispatch(name, now: now)
        }
        guard var w = workers[peer] else {
            // Unknown worker (this broker restarted, or it was dropped): make it register again.
            return [[peer, [], WireProtocol.worker, WireProtocol.disconnect]]
        }
        w.expiry = now + heartbeatMs * liveness
        workers[peer] = w
        if command == WireProtocol.heartbeat { return [] }
        if command == WireProtocol.disconnect {
            return dropWorker(peer, now: now)
        }
        if command == WireProtocol.reply, frames.count == 8 {
            // [peer, "", W1, REPLY, client, "", envelope, payload]
            let client = frames[4]
            guard let env = try? Envelope.decode(frames[6]), let id = env.id else {
                counters.malformed += 1
                return []
            }
            let key = RequestKey(client: client, id: id)
            guard workers[peer]!.inFlight.remove(key) != nil, let r = requests[key] else {
                return dispatch(w.service, now: now)  // a late reply to a request already answered elsewhere
            }
            finish(r)
            counters.replies += 1
            return [[client, [], WireProtocol.client, Array(r.service.utf8), frames[6], frames[7]]]
                + dispatch(w.service, now: now)
        }
        counters.malformed += 1
        return []
    }

    /// Removes a worker; the requests it held go back to the front of its service's queue.
    private mutating func dropWorker(_ address: [UInt8], now: Int64) -> [Output] {
        guard let w = workers.removeValue(forKey: address) else { return [] }
        services[w.service, default: ServiceState()].workers.removeAll { $0 == address }
        let held = w.inFlight.compactMap { requests[$0] }.sorted { $0.deadline > $1.deadline }
        for var r in held {
            guard r.deadline > now else {
                finish(r)  // its client has given up or is about to; a retry queues it again
                continue
            }
            r.worker = nil
            requests[r.key] = r
            services[w.service]!.queue.prepend(r.key)
            services[w.service]!.queued += 1
            deadlines.push(r.deadline, r.key)
        }
        let out = dispatch(w.service, now: now)
        compact(w.service)
        return out
    }

    // MARK: Replies made by the broker

    private func errorReply(_ r: Request, code: Int, reason: String, message: String) -> Output {
        clientError(
            peer: r.client, service: Array(r.service.utf8), id: r.id, code: code, reason: reason, message: message)
    }

    private func clientError(peer: [UInt8], service: [UInt8], id: String?, code: Int, reason: String, message: String)
        -> Output
    {
        let env = Envelope(type: "error", id: id, code: code)
        let payload = BusReply.statusPayload(code: code, reason: reason, message: message)
        return [peer, [], WireProtocol.client, service, env.encoded(), payload]
    }

    /// The broker's own service: `services` lists what is registered; `stats` gives counters.
    private func brokerAnswer(_ r: Request, type: String) -> Output {
        var body: [UInt8] = []
        switch type {
        case "services":
            body = Array(#"{"services":{"#.utf8)
            var first = true
            for (name, s) in services.sorted(by: { $0.key < $1.key }) {
                if !first { body.append(UInt8(ascii: ",")) }
                first = false
                JSONText.appendString(name, to: &body)
                let inFlight = s.workers.reduce(0) { $0 + (workers[$1]?.inFlight.count ?? 0) }
                body += Array(#":{"workers":\#(s.workers.count),"queued":\#(s.queued),"inFlight":\#(inFlight)}"#.utf8)
            }
            body += Array("}}".utf8)
        case "stats":
            let c = counters
            var fields: [(String, Int)] = [
                ("requests", c.requests), ("replies", c.replies), ("malformed", c.malformed),
                ("expiredWorkers", c.expiredWorkers), ("timedOut", c.timedOut), ("rejected", c.rejected),
                ("tooLarge", c.tooLarge), ("expiredServices", c.expiredServices), ("forbidden", c.forbidden),
                ("refusedWorkers", c.refusedWorkers), ("pending", requests.count),
                ("pendingBytes", pendingBytes),
            ]
            fields += eventStats
            body = Array(("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}").utf8)
        default:
            return errorReply(
                r, code: 400, reason: "BadRequest",
                message: "the bus service answers \"services\" and \"stats\", not \"\(type)\"")
        }
        let env = Envelope(type: "reply", id: r.id, code: 200)
        return [r.client, [], WireProtocol.client, Array(r.service.utf8), env.encoded(), body]
    }
}

/// Bounds on what the request router holds, so one client cannot exhaust it; a request over a bound is answered
/// 429 (or 413 for its size) at once.
struct RouterLimits: Sendable {
    /// Requests one connection may have waiting or in flight.
    var maxPendingPerClient = 10_000
    /// Bytes (envelope and payload) one connection may have waiting or in flight.
    var maxPendingBytesPerClient = 256 << 20
    /// Requests one service may have waiting or in flight.
    var maxPendingPerService = 20_000
    /// Bytes of all requests waiting or in flight.
    var maxPendingBytes = 1 << 30
    /// Services tracked at once: served ones and names with requests waiting.
    var maxServices = 10_000
    /// Largest request (service, envelope and payload).
    var maxMessageBytes = Int(WireProtocol.maxMessageBytes)
}

/// A binary min-heap of request deadlines; entries are not removed when their request leaves, only skipped.
struct DeadlineHeap {
    private var items: [(deadline: Int64, key: RouterStateMachine.RequestKey)] = []

    var count: Int { items.count }

    func peek() -> (Int64, RouterStateMachine.RequestKey)? { items.first.map { ($0.deadline, $0.key) } }

    mutating func push(_ deadline: Int64, _ key: RouterStateMachine.RequestKey) {
        items.append((deadline, key))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[i].deadline < items[parent].deadline else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() {
        guard !items.isEmpty else { return }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var m = i
            if l < items.count && items[l].deadline < items[m].deadline { m = l }
            if r < items.count && items[r].deadline < items[m].deadline { m = r }
            guard m != i else { break }
            items.swapAt(i, m)
            i = m
        }
        if items.isEmpty { items = [] }  // give the memory of a burst back
    }
}
