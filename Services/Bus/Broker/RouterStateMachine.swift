import Bus
import DequeModule

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

    struct Request {
        var client: [UInt8]
        var id: String
        var service: String
        var envelope: [UInt8]
        var payload: [UInt8]
        var deadline: Int64
    }

    struct WorkerState {
        var address: [UInt8]
        var service: String
        var capacity: Int
        var inFlight: [String: Request] = [:]  // key: client hex + id
        var expiry: Int64
        var lastSent: Int64
    }

    struct ServiceState {
        var workers: [[UInt8]] = []
        var queue: Deque<Request> = []
    }

    struct Counters {
        var requests = 0
        var replies = 0
        var malformed = 0
        var expiredWorkers = 0
        var timedOut = 0
    }

    let heartbeatMs: Int64
    let liveness: Int64
    let defaultTimeoutMs: Int64
    private(set) var workers: [[UInt8]: WorkerState] = [:]
    private(set) var services: [String: ServiceState] = [:]
    private(set) var counters = Counters()

    init(heartbeatMs: Int64 = Int64(WireProtocol.heartbeatIntervalMs), liveness: Int64 = Int64(WireProtocol.heartbeatLiveness), defaultTimeoutMs: Int64 = 15_000) {
        self.heartbeatMs = heartbeatMs
        self.liveness = liveness
        self.defaultTimeoutMs = defaultTimeoutMs
    }

    // MARK: Input

    /// One message from the ROUTER socket: `[peer, "", protocol, ...]`.
    mutating func receive(_ frames: [[UInt8]], now: Int64) -> [Output] {
        guard frames.count >= 3, frames[1].isEmpty else {
            counters.malformed += 1
            return []
        }
        let peer = frames[0]
        if frames[2] == WireProtocol.client { return clientMessage(peer: peer, frames: frames, now: now) }
        if frames[2] == WireProtocol.worker { return workerMessage(peer: peer, frames: frames, now: now) }
        counters.malformed += 1
        return []
    }

    /// Sends heartbeats, drops dead workers, fails requests whose deadline passed.
    mutating func tick(now: Int64) -> [Output] {
        var out: [Output] = []
        for (address, var w) in workers {
            if now > w.expiry {
                out += dropWorker(address, now: now)
                counters.expiredWorkers += 1
                continue
            }
            if now - w.lastSent >= heartbeatMs {
                out.append([address, [], WireProtocol.worker, WireProtocol.heartbeat])
                w.lastSent = now
                workers[address] = w
            }
        }
        for (name, var s) in services where !s.queue.isEmpty {
            let before = s.queue.count
            var kept = Deque<Request>()
            for r in s.queue {
                if now >= r.deadline {
                    counters.timedOut += 1
                    out.append(errorReply(r, code: 503, reason: "ServiceUnavailable",
                        message: "no instance of service \"\(name)\" became available in time; is it running?"))
                } else {
                    kept.append(r)
                }
            }
            if kept.count != before {
                s.queue = kept
                services[name] = s
            }
        }
        return out
    }

    /// Milliseconds until `tick` next has work.
    func nextTickDelay(now: Int64) -> Int {
        var next = now + heartbeatMs
        for (_, s) in services { for r in s.queue { next = min(next, r.deadline) } }
        return Int(max(1, next - now))
    }

    // MARK: Clients

    private mutating func clientMessage(peer: [UInt8], frames: [[UInt8]], now: Int64) -> [Output] {
        // [peer, "", C1, service, envelope, payload]
        guard frames.count == 6 else {
            counters.malformed += 1
            return [clientError(peer: peer, service: [], id: nil, code: 400, reason: "BadRequest",
                message: "a request has 4 frames after the empty delimiter: protocol, service, envelope, payload; got \(frames.count - 2)")]
        }
        let serviceName = String(decoding: frames[3], as: UTF8.self)
        let env: Envelope
        do {
            env = try Envelope.decode(frames[4])
        } catch {
            // The id, when one can be found, lets the client match the answer to its request.
            counters.malformed += 1
            return [clientError(peer: peer, service: frames[3], id: Envelope.salvageID(frames[4]), code: 400,
                reason: "BadRequest", message: "the request envelope is not valid (\(error.message)); it must be a flat "
                    + "JSON object with string fields \"type\" and \"id\" and string, integer, boolean or null values")]
        }
        guard let id = env.id, !id.isEmpty else {
            counters.malformed += 1
            return [clientError(peer: peer, service: frames[3], id: nil, code: 400, reason: "BadRequest",
                message: "the request envelope has no string field \"id\": a reply is matched to its request by id")]
        }
        counters.requests += 1
        let timeout = env.timeout.map { Int64(min(max($0, 1), 600_000)) } ?? defaultTimeoutMs
        let request = Request(client: peer, id: id, service: serviceName, envelope: frames[4], payload: frames[5],
            deadline: now + timeout)
        if serviceName == WireProtocol.brokerService {
            return [brokerAnswer(request, type: env.type)]
        }
        if isPending(request) { return [] }  // a retry of something still queued or in flight
        var s = services[serviceName, default: ServiceState()]
        s.queue.append(request)
        services[serviceName] = s
        return dispatch(serviceName, now: now)
    }

    private func key(_ r: Request) -> String { r.client.map { String($0, radix: 16) }.joined() + "/" + r.id }

    private func isPending(_ r: Request) -> Bool {
        let k = key(r)
        if let s = services[r.service] {
            if s.queue.contains(where: { $0.id == r.id && $0.client == r.client }) { return true }
            for a in s.workers where workers[a]?.inFlight[k] != nil { return true }
        }
        return false
    }

    private mutating func dispatch(_ serviceName: String, now: Int64) -> [Output] {
        guard var s = services[serviceName] else { return [] }
        var out: [Output] = []
        while !s.queue.isEmpty {
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
            let r = s.queue.removeFirst()
            workers[address]!.inFlight[key(r)] = r
            workers[address]!.lastSent = now
            out.append([address, [], WireProtocol.worker, WireProtocol.request, r.client, [], r.envelope, r.payload])
        }
        services[serviceName] = s
        return out
    }

    // MARK: Workers

    private mutating func workerMessage(peer: [UInt8], frames: [[UInt8]], now: Int64) -> [Output] {
        guard frames.count >= 4 else {
            counters.malformed += 1
            return []
        }
        let command = frames[3]
        if command == WireProtocol.ready {
            guard frames.count >= 5, !frames[4].isEmpty else {
                counters.malformed += 1
                return []
            }
            var out: [Output] = []
            if workers[peer] != nil { out += dropWorker(peer, now: now) }
            let name = String(decoding: frames[4], as: UTF8.self)
            let capacity = frames.count >= 6 ? max(1, min(Int(String(decoding: frames[5], as: UTF8.self)) ?? 1, 100_000)) : 1
            workers[peer] = WorkerState(address: peer, service: name, capacity: capacity,
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
            let k = client.map { String($0, radix: 16) }.joined() + "/" + id
            guard let r = workers[peer]!.inFlight.removeValue(forKey: k) else {
                return dispatch(w.service, now: now)  // a late reply to a request already answered elsewhere
            }
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
        var s = services[w.service, default: ServiceState()]
        s.workers.removeAll { $0 == address }
        for r in w.inFlight.values.sorted(by: { $0.deadline > $1.deadline }) where r.deadline > now {
            s.queue.prepend(r)
        }
        services[w.service] = s
        return dispatch(w.service, now: now)
    }

    // MARK: Replies made by the broker

    private func errorReply(_ r: Request, code: Int, reason: String, message: String) -> Output {
        clientError(peer: r.client, service: Array(r.service.utf8), id: r.id, code: code, reason: reason, message: message)
    }

    private func clientError(peer: [UInt8], service: [UInt8], id: String?, code: Int, reason: String, message: String) -> Output {
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
                body += Array(#":{"workers":\#(s.workers.count),"queued":\#(s.queue.count),"inFlight":\#(inFlight)}"#.utf8)
            }
            body += Array("}}".utf8)
        case "stats":
            body = Array(#"{"requests":\#(counters.requests),"replies":\#(counters.replies),"malformed":\#(counters.malformed),"expiredWorkers":\#(counters.expiredWorkers),"timedOut":\#(counters.timedOut)}"#.utf8)
        default:
            return errorReply(r, code: 400, reason: "BadRequest", message: "the bus service answers \"services\" and \"stats\", not \"\(type)\"")
        }
        let env = Envelope(type: "reply", id: r.id, code: 200)
        return [r.client, [], WireProtocol.client, Array(r.service.utf8), env.encoded(), body]
    }
}
