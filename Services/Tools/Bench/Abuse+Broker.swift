import Bus
import CZeroMQ
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 10 item 5: one client exhausting the broker.
extension AbuseCatalog {
    static var brokerCases: [AbuseCase] {
        [
            AbuseCase(
                name: "unserved-requests",
                summary: "100,000 requests to a service nobody serves, from one connection, as fast as it sends",
                bound:
                    "10,000 pending per client, 20,000 per service (429 at once above); the rest 503 at their deadline",
                run: { ctx in
                    let n = ctx.quick ? 10_000 : 100_000
                    let codes = try await RawRequester.run(ctx.cluster.endpoints, count: n, timeoutMs: 5_000) { _ in
                        "abuse-nobody"
                    }
                    return "\(n) sent: " + RawRequester.describe(codes, of: n)
                }),
            AbuseCase(
                name: "unknown-services",
                summary: "20,000 distinct unknown service names, one request each",
                bound: "services nobody serves are forgotten once their requests time out; at most 10,000 tracked",
                run: { ctx in
                    let n = ctx.quick ? 2_000 : 20_000
                    let codes = try await RawRequester.run(ctx.cluster.endpoints, count: n, timeoutMs: 2_000) {
                        "abuse-unknown-\($0)"
                    }
                    let listed = try await BrokerQuery.servicesListed(ctx.cluster.endpoints)
                    return "\(n) sent: " + RawRequester.describe(codes, of: n)
                        + "; services listed afterwards: \(listed.count) (\(listed.sorted().joined(separator: ", ")))"
                }),
            AbuseCase(
                name: "stuck-subscriber",
                summary: "a subscriber to everything that never reads, while 400 events of 0.9 MB are published",
                bound:
                    "about 64 MiB queued per subscriber (high-water mark by event size); overflows counted and logged",
                run: { ctx in
                    let n = ctx.quick ? 100 : 400
                    let stuck = try RawSubscriber(ctx.cluster.endpoints, topics: [[]])
                    defer { stuck.close() }
                    try await Task.sleep(for: .milliseconds(300))
                    let publisher = try Publisher(endpoints: ctx.cluster.endpoints, streamPrefix: "abuse")
                    defer { publisher.close() }
                    let payload = [UInt8](repeating: 97, count: 900_000)
                    for _ in 0..<n {
                        publisher.publish(topic: "load/abuse", envelope: Envelope(type: "Load"), payload: payload)
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    try await Task.sleep(for: .seconds(2))
                    let stats = try await BrokerQuery.stats(ctx.cluster.endpoints)
                    return "\(n) published; broker: \(stats["eventsForwarded"] ?? -1) forwarded, "
                        + "\(stats["slowSubscriberOverflows"] ?? -1) subscriber queue overflow(s) counted"
                }),
            AbuseCase(
                name: "subscriptions",
                summary: "50,000 subscriptions of 1 KB each from one connection",
                bound:
                    "64 KiB of subscriptions per connection (over it the connection is shut down, and what libzmq held "
                    + "for it freed); 20,000 subscriptions and 1 MiB of distinct prefixes per broker, prefixes ≤ 1 KiB",
                run: { ctx in
                    let n = ctx.quick ? 5_000 : 50_000
                    let topics = (0..<n).map { i -> [UInt8] in
                        var t = Array("event/Abuse/\(i)/".utf8)
                        t += [UInt8](repeating: 120, count: 1000 - t.count)
                        return t
                    }
                    // An unbounded send queue of its own, or libzmq itself drops what is over 1,000 subscriptions.
                    let sub = try RawSubscriber(ctx.cluster.endpoints, topics: topics, sendHighWaterMark: 0)
                    defer { sub.close() }
                    // The subscriber reconnects and sends its topics again each time it is shut down, as a libzmq
                    // SUB does: keep it at that for 10 s (the steady state of such a client).
                    var stats: [String: Int] = [:]
                    for _ in 0..<(ctx.quick ? 10 : 20) {
                        try await Task.sleep(for: .milliseconds(500))
                        stats = try await BrokerQuery.stats(ctx.cluster.endpoints)
                    }
                    return "\(n) subscribed; broker: \(stats["subscriptions"] ?? -1) applied now, "
                        + "\(stats["refusedSubscriptions"] ?? -1) refused, the connection shut down "
                        + "\(stats["disconnectedSubscribers"] ?? -1) times"
                }),
        ]
    }
}

/// A raw DEALER that sends requests without waiting, then collects the replies by code.
enum RawRequester {
    static func run(
        _ endpoints: BusEndpoints, count: Int, timeoutMs: Int, service: @escaping @Sendable (Int) -> String
    ) async throws -> [Int: Int] {
        let endpoint = endpoints.requests
        return try await onThread {
            guard let ctx = zmq_ctx_new() else { throw BenchCluster.Failure("zmq_ctx_new failed") }
            defer { zmq_ctx_term(ctx) }
            guard let s = zmq_socket(ctx, ZMQ_DEALER) else { throw BenchCluster.Failure("zmq_socket failed") }
            defer { zmq_close(s) }
            var zero: Int32 = 0
            zmq_setsockopt(s, ZMQ_LINGER, &zero, 4)
            zmq_setsockopt(s, ZMQ_SNDHWM, &zero, 4)
            zmq_setsockopt(s, ZMQ_RCVHWM, &zero, 4)
            zmq_connect(s, endpoint)
            var codes: [Int: Int] = [:]
            var answered = 0
            func drain(wait: Int32) {
                var item = zmq_pollitem_t(socket: s, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
                guard zmq_poll(&item, 1, Int(wait)) > 0 else { return }
                while let frames = receive(s) {
                    if frames.count == 5, let env = try? Envelope.decode(frames[3]) {
                        codes[env.code ?? 0, default: 0] += 1
                        answered += 1
                    }
                }
            }
            for i in 0..<count {
                let env = Envelope(type: "get", id: "abuse-\(i)", timeout: timeoutMs).encoded()
                send(s, [[], WireProtocol.client, Array(service(i).utf8), env, Array("{}".utf8)])
                if i % 1000 == 999 { drain(wait: 0) }
            }
            let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000 + 10)
            while answered < count && Date() < deadline { drain(wait: 200) }
            return codes
        }
    }

    static func describe(_ codes: [Int: Int], of n: Int) -> String {
        let answered = codes.values.reduce(0, +)
        let parts = codes.sorted { $0.key < $1.key }.map { "\($0.value)×\($0.key)" }
        return parts.joined(separator: ", ") + (answered < n ? ", \(n - answered) unanswered" : ", none unanswered")
    }
}

/// A raw SUB that subscribes and never reads (small buffers of its own, so the broker's queue is what fills).
final class RawSubscriber: @unchecked Sendable {
    private let ctx: UnsafeMutableRawPointer
    private let socket: UnsafeMutableRawPointer

    init(_ endpoints: BusEndpoints, topics: [[UInt8]], sendHighWaterMark: Int32 = 1000) throws {
        guard let ctx = zmq_ctx_new(), let s = zmq_socket(ctx, ZMQ_SUB) else {
            throw BenchCluster.Failure("zmq_socket failed")
        }
        self.ctx = ctx
        socket = s
        var one: Int32 = 1
        var zero: Int32 = 0
        var small: Int32 = 64 << 10
        zmq_setsockopt(s, ZMQ_RCVHWM, &one, 4)
        zmq_setsockopt(s, ZMQ_RCVBUF, &small, 4)
        zmq_setsockopt(s, ZMQ_LINGER, &zero, 4)
        var sndhwm = sendHighWaterMark
        zmq_setsockopt(s, ZMQ_SNDHWM, &sndhwm, 4)
        for t in topics { _ = t.withUnsafeBytes { zmq_setsockopt(s, ZMQ_SUBSCRIBE, $0.baseAddress, $0.count) } }
        zmq_connect(s, endpoints.subscribe)
    }

    func close() {
        zmq_close(socket)
        zmq_ctx_term(ctx)
    }
}

/// The broker's own `bus` service.
enum BrokerQuery {
    static func stats(_ endpoints: BusEndpoints) async throws -> [String: Int] {
        let client = try BusClient(endpoints: endpoints)
        defer { client.close() }
        let reply = try await client.request(service: "bus", type: "stats", payload: [], timeout: .seconds(10))
        return (try? JSONSerialization.jsonObject(with: Data(reply.payload)) as? [String: Int]) ?? [:]
    }

    static func servicesListed(_ endpoints: BusEndpoints) async throws -> [String] {
        let client = try BusClient(endpoints: endpoints)
        defer { client.close() }
        let reply = try await client.request(service: "bus", type: "services", payload: [], timeout: .seconds(10))
        let obj = try? JSONSerialization.jsonObject(with: Data(reply.payload)) as? [String: Any]
        return ((obj?["services"] as? [String: Any]) ?? [:]).keys.map { $0 }
    }
}

private func send(_ s: UnsafeMutableRawPointer, _ frames: [[UInt8]]) {
    for (i, f) in frames.enumerated() {
        _ = f.withUnsafeBytes { zmq_send(s, $0.baseAddress, $0.count, i < frames.count - 1 ? ZMQ_SNDMORE : 0) }
    }
}

private func receive(_ s: UnsafeMutableRawPointer) -> [[UInt8]]? {
    var frames: [[UInt8]] = []
    while true {
        var msg = zmq_msg_t()
        zmq_msg_init(&msg)
        guard zmq_msg_recv(&msg, s, frames.isEmpty ? ZMQ_DONTWAIT : 0) >= 0 else {
            zmq_msg_close(&msg)
            return nil
        }
        frames.append([UInt8](UnsafeRawBufferPointer(start: zmq_msg_data(&msg), count: zmq_msg_size(&msg))))
        let more = zmq_msg_more(&msg) != 0
        zmq_msg_close(&msg)
        if !more { return frames }
    }
}

/// Runs blocking libzmq work on a thread of its own, off the cooperative pool (the latency probe runs meanwhile).
private func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        Thread { c.resume(with: Result { try body() }) }.start()
    }
}
