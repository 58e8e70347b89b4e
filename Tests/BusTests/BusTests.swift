import Broker
import Bus
import BusTesting
import CZeroMQ
import Foundation
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1)))
struct BusTests {
    @Test func requestReachesWorkerAndReplyComesBack() async throws {
        try await withBroker { endpoints, _ in
            let worker = try Worker(endpoints: endpoints, service: "echo")
            let serving = Task {
                await worker.run { req in BusReply(code: 200, payload: req.payload + Array("!".utf8)) }
            }
            defer {
                worker.close()
                serving.cancel()
            }
            let client = try BusClient(endpoints: endpoints)
            defer { client.close() }
            let reply = try await client.request(service: "echo", type: "say", payload: Array("hi".utf8))
            #expect(reply.code == 200)
            #expect(String(decoding: reply.payload, as: UTF8.self) == "hi!")
        }
    }

    @Test func aDirectHookAnswersFromAnotherThreadAndLeavesTheRestToTheHandler() async throws {
        try await withBroker { endpoints, _ in
            let direct = DispatchQueue(label: "direct-replies")
            let worker = try Worker(endpoints: endpoints, service: "echo") { request, reply in
                guard request.type == "fast" else { return false }
                // Answered later, from a thread that is neither the socket thread nor a task.
                direct.async { reply.send(BusReply(code: 201, payload: request.payload + Array(" direct".utf8))) }
                return true
            }
            let serving = Task {
                await worker.run { req in BusReply(code: 200, payload: req.payload + Array(" handler".utf8)) }
            }
            defer {
                worker.close()
                serving.cancel()
            }
            let client = try BusClient(endpoints: endpoints)
            defer { client.close() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<200 {
                    group.addTask {
                        let type = i % 2 == 0 ? "fast" : "slow"
                        let reply = try await client.request(service: "echo", type: type, payload: Array("\(i)".utf8))
                        let text = String(decoding: reply.payload, as: UTF8.self)
                        #expect(reply.code == (type == "fast" ? 201 : 200))
                        #expect(text == "\(i)" + (type == "fast" ? " direct" : " handler"))
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func requestWaitsForAWorkerThatStartsLater() async throws {
        try await withBroker { endpoints, _ in
            let client = try BusClient(endpoints: endpoints)
            defer { client.close() }
            async let reply = client.request(service: "late", type: "x", payload: [], timeout: .seconds(10))
            try await Task.sleep(for: .milliseconds(300))
            let worker = try Worker(endpoints: endpoints, service: "late")
            let serving = Task { await worker.run { _ in BusReply(code: 201, payload: Array("ok".utf8)) } }
            defer {
                worker.close()
                serving.cancel()
            }
            #expect(try await reply.code == 201)
        }
    }

    @Test func requestToMissingServiceFailsAtDeadline() async throws {
        try await withBroker { endpoints, _ in
            let client = try BusClient(endpoints: endpoints, attemptTimeout: .seconds(5))
            defer { client.close() }
            let reply = try await client.request(service: "nobody", type: "x", payload: [], timeout: .milliseconds(400))
            #expect(reply.code == 503)
            #expect(String(decoding: reply.payload, as: UTF8.self).contains("ServiceUnavailable"))
        }
    }

    @Test func severalWorkersShareTheLoad() async throws {
        try await withBroker { endpoints, _ in
            let w1 = try Worker(endpoints: endpoints, service: "s", capacity: 1)
            let w2 = try Worker(endpoints: endpoints, service: "s", capacity: 1)
            let t1 = Task {
                await w1.run { _ in
                    try? await Task.sleep(for: .milliseconds(50))
                    return BusReply(code: 200, payload: Array("1".utf8))
                }
            }
            let t2 = Task {
                await w2.run { _ in
                    try? await Task.sleep(for: .milliseconds(50))
                    return BusReply(code: 200, payload: Array("2".utf8))
                }
            }
            defer {
                w1.close()
                w2.close()
                t1.cancel()
                t2.cancel()
            }
            let client = try BusClient(endpoints: endpoints)
            defer { client.close() }
            // Both instances must have registered before the load starts.
            #expect(
                try await eventually {
                    let r = try await client.request(service: "bus", type: "services", payload: [])
                    return String(decoding: r.payload, as: UTF8.self).contains(#""s":{"workers":2"#)
                })
            let answers = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        String(
                            decoding: try await client.request(service: "s", type: "x", payload: []).payload,
                            as: UTF8.self)
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(answers) == ["1", "2"])
        }
    }

    @Test func eventsFlowFromPublisherToSubscriberInOrder() async throws {
        try await withBroker { endpoints, broker in
            let sub = try Subscriber(endpoints: endpoints, topics: ["event/Pod/"])
            defer { sub.close() }
            let publisher = try Publisher(endpoints: endpoints)
            defer { publisher.close() }
            // Slow joiner: publish probes until one arrives, then the real sequence.
            var iterator = sub.messages.makeAsyncIterator()
            let probe = Task {
                for _ in 0..<200 {
                    publisher.publish(topic: "event/Pod/probe", envelope: Envelope(type: "Probe"), payload: [])
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            let first = await iterator.next()
            probe.cancel()
            #expect(first?.envelope.type == "Probe")
            _ = await probe.result
            for i in 0..<100 {
                publisher.publish(
                    topic: "event/Pod/default/p\(i)", envelope: Envelope(type: "Test"), payload: Array("\(i)".utf8))
            }
            publisher.publish(topic: "event/Node//n1", envelope: Envelope(type: "Test"), payload: [])  // filtered out
            var seen: [Int] = []
            var lastSeq: Int64 = 0
            while seen.count < 100, let m = await iterator.next() {
                guard m.envelope.type == "Test" else { continue }
                #expect(m.topic.hasPrefix("event/Pod/"))
                #expect(m.envelope.stream == publisher.stream)
                #expect((m.envelope.seq ?? 0) > lastSeq)
                lastSeq = m.envelope.seq ?? 0
                seen.append(Int(String(decoding: m.payload, as: UTF8.self))!)
            }
            #expect(seen == Array(0..<100))
            #expect(broker.stats.forwarded.load(ordering: .relaxed) >= 100)
        }
    }

    @Test func garbageFramesAreDroppedAndTheBrokerKeepsServing() async throws {
        try await withBroker { endpoints, broker in
            let worker = try Worker(endpoints: endpoints, service: "echo")
            let serving = Task { await worker.run { req in BusReply(code: 200, payload: req.payload) } }
            defer {
                worker.close()
                serving.cancel()
            }
            // Raw DEALERs send garbage: wrong frame counts, a bad envelope, and (on a connection of its own) a
            // message over the limit, which the broker answers with 413 (BusBoundsTests).
            let ctx = ZMQContext()
            func rawDealer() -> UnsafeMutableRawPointer {
                let raw = zmq_socket(ctx.handle, ZMQ_DEALER)!
                var linger: Int32 = 0
                zmq_setsockopt(raw, ZMQ_LINGER, &linger, 4)
                zmq_connect(raw, endpoints.requests)
                return raw
            }
            func send(_ raw: UnsafeMutableRawPointer, _ frames: [[UInt8]]) {
                for (i, f) in frames.enumerated() {
                    _ = f.withUnsafeBytes {
                        zmq_send(raw, $0.baseAddress, $0.count, i < frames.count - 1 ? ZMQ_SNDMORE : 0)
                    }
                }
            }
            let raw = rawDealer()
            let huge = rawDealer()
            send(raw, [Array("garbage".utf8)])
            send(raw, [[], WireProtocol.client, Array("echo".utf8), Array("{not json".utf8), []])
            send(raw, [[], Array("NOT/A/PROTOCOL".utf8)])
            send(
                huge,
                [
                    [], WireProtocol.client, Array("echo".utf8),
                    [UInt8](repeating: 65, count: Int(WireProtocol.maxMessageBytes) + 10), [],
                ])
            // The bad envelope gets a 400 reply naming what is wrong.
            var pollItem = zmq_pollitem_t(socket: raw, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
            let ready = zmq_poll(&pollItem, 1, 5000)
            #expect(ready == 1)
            var frames: [[UInt8]] = []
            while ready == 1 {
                var msg = zmq_msg_t()
                zmq_msg_init(&msg)
                guard zmq_msg_recv(&msg, raw, ZMQ_DONTWAIT) >= 0 else { break }
                frames.append([UInt8](UnsafeRawBufferPointer(start: zmq_msg_data(&msg), count: zmq_msg_size(&msg))))
                let more = zmq_msg_more(&msg) != 0
                zmq_msg_close(&msg)
                if !more { break }
            }
            zmq_close(raw)
            zmq_close(huge)
            ctx.terminate()
            #expect(frames.count == 5)
            #expect(String(decoding: frames.last ?? [], as: UTF8.self).contains("BadRequest"))
            // Garbage events are dropped by the forwarder (a subscriber must exist, or PUB filters them itself).
            let sub = try Subscriber(endpoints: endpoints, topics: [""])
            defer { sub.close() }
            let pub = try Publisher(endpoints: endpoints)
            defer { pub.close() }
            #expect(
                await eventually {
                    pub.publishRaw([Array("only-one-frame".utf8)])
                    pub.publishRaw([Array("a".utf8), Array("b".utf8), Array("c".utf8), Array("d".utf8)])
                    return broker.stats.droppedEvents.load(ordering: .relaxed) >= 2
                })
            #expect(sub.received == 0)
            // And a good request still works.
            let client = try BusClient(endpoints: endpoints)
            defer { client.close() }
            let reply = try await client.request(service: "echo", type: "x", payload: Array("still".utf8))
            #expect(String(decoding: reply.payload, as: UTF8.self) == "still")
        }
    }

    @Test func aClientWithAKeyIsToldThatThePlainBusWillNotTalkToIt() async throws {
        try await withBroker { endpoints, _ in
            // The broker of withBroker runs in plain text; this client speaks CurveZMQ. libzmq drops such a
            // connection for good after the greeting, so without the monitor the request would wait for its deadline.
            let keyed = endpoints.authenticated(
                as: BusCredentials(
                    identity: "someone", keys: try CurveKeyPair.generate(),
                    serverKey: try CurveKeyPair.generate().publicKey))
            let client = try BusClient(endpoints: keyed)
            defer { client.close() }
            for _ in 0..<2 {  // refused again after the socket is replaced
                let started = ContinuousClock.now
                let error = await #expect(throws: BusError.self) {
                    _ = try await client.request(service: "echo", type: "x", payload: [], timeout: .seconds(20))
                }
                #expect(error?.isHandshake == true)
                #expect(error?.message.contains("does not use CurveZMQ (it runs with --insecure)") == true)
                #expect(ContinuousClock.now - started < .seconds(10))
                try await Task.sleep(for: .milliseconds(1200))
            }
            // A subscriber with the key gets nothing, and says why.
            let subscriber = try Subscriber(endpoints: keyed, topics: [""])
            defer { subscriber.close() }
            #expect(
                await eventually {
                    subscriber.handshakeProblem?.contains("does not use CurveZMQ (it runs with --insecure)") == true
                })
            // A worker with the key is told, once, however often its socket is replaced.
            let reasons = Mutex<[String]>([])
            let worker = try Worker(endpoints: keyed, service: "keyed") { _, _ in
                false
            } refused: { reason in
                reasons.withLock { $0.append(reason) }
            }
            defer { worker.close() }
            #expect(await eventually { reasons.withLock { $0.count } == 1 })
            #expect(reasons.withLock { $0.first?.contains("does not use CurveZMQ") } == true)
            // Its heartbeat's liveness (3 s without a word from the broker) replaces the socket: refused again, not
            // reported again.
            try await Task.sleep(
                for: .milliseconds(UInt64(WireProtocol.heartbeatIntervalMs * (WireProtocol.heartbeatLiveness + 1))))
            #expect(reasons.withLock { $0.count } == 1)
            // A plain client on the same broker is answered (by the broker: no worker serves "echo").
            let plain = try BusClient(endpoints: endpoints)
            defer { plain.close() }
            #expect(
                try await plain.request(service: "echo", type: "x", payload: [], timeout: .milliseconds(300)).code
                    == 503)
        }
    }

    @Test func envelopeRoundTripsAndRejectsNesting() throws {
        let env = Envelope(
            type: "WatchEvent", id: "a\"b", stream: "s", seq: 7, time: 1, code: 201, timeout: 5, rev: 10,
            prev: 9, event: "ADDED", extra: ["kind": "Pod", "note": "line\nbreak"])
        let decoded = try Envelope.decode(env.encoded())
        #expect(decoded == env)
        #expect(throws: BusError.self) { try Envelope.decode(Array(#"{"type":"x","nested":{"a":1}}"#.utf8)) }
        #expect(throws: BusError.self) { try Envelope.decode(Array(#"{"id":"x"}"#.utf8)) }
        #expect(throws: BusError.self) { try Envelope.decode(Array(#"{"type":"x","seq":"seven"}"#.utf8)) }
        #expect(throws: BusError.self) { try Envelope.decode([0xFF, 0x00]) }
    }

    @Test func envelopeEncodingIsCompactWithKeysInAFixedOrder() {
        let env = Envelope(
            type: "WatchEvent", id: "r1", stream: "store-1", seq: 42, time: -5, code: 201, timeout: 0, rev: .max,
            prev: .min, event: "ADDED", extra: ["z": "last", "a": "first"])
        #expect(
            String(decoding: env.encoded(), as: UTF8.self)
                == #"{"type":"WatchEvent","id":"r1","stream":"store-1","seq":42,"time":-5,"code":201,"timeout":0,"#
                + #""rev":9223372036854775807,"prev":-9223372036854775808,"event":"ADDED","a":"first","z":"last"}"#)
        #expect(String(decoding: Envelope(type: "x").encoded(), as: UTF8.self) == #"{"type":"x"}"#)
    }

    /// What the envelope decoder accepts is what a JSON object decoded into a dictionary would give: a key given
    /// twice keeps its last value, escaped keys are the keys they spell, integers over their whole range.
    @Test func envelopeDecodingFollowsJSONObjectRules() throws {
        func decode(_ text: String) throws -> Envelope { try Envelope.decode(Array(text.utf8)) }
        let spaced = try decode(" {\n \"type\" : \"t\" ,\t\"seq\":-12, \"rev\":0009223372036854775807 } ")
        #expect(spaced.type == "t" && spaced.seq == -12 && spaced.rev == .max)
        #expect(try decode(#"{"type":"t","prev":-9223372036854775808}"#).prev == .min)
        #expect(throws: BusError.self) { try decode(#"{"type":"t","rev":9223372036854775808}"#) }
        #expect(throws: BusError.self) { try decode(#"{"type":"t","prev":-9223372036854775809}"#) }
        #expect(throws: BusError.self) { try decode(#"{"type":"t","rev":-}"#) }
        #expect(throws: BusError.self) { try decode(#"{"type":"t","rev":1.5}"#) }
        // Escaped keys are matched as what they spell.
        let escaped = try decode(#"{"t\u0079pe":"t","s\u0065q":3,"n\u0061me":"x"}"#)
        #expect(escaped.type == "t" && escaped.seq == 3 && escaped.extra == ["name": "x"])
        // Keys that only look like protocol keys are extras.
        let lookalikes = try decode(#"{"type":"t","tome":"1","times":2,"Type":true,"se":"q","revs":null}"#)
        #expect(lookalikes.extra == ["tome": "1", "times": "2", "Type": "true", "se": "q"])
        #expect(lookalikes.time == nil && lookalikes.seq == nil && lookalikes.rev == nil)
        // The last value of a key given twice wins, wrong types included.
        let twice = try decode(#"{"type":1,"seq":"seven","type":"t","seq":7,"x":"a","x":null,"id":"a","id":null}"#)
        #expect(twice.type == "t" && twice.seq == 7 && twice.extra.isEmpty && twice.id == nil)
        #expect(throws: BusError.self) { try decode(#"{"type":"t","seq":7,"seq":"seven"}"#) }
        #expect(throws: BusError.self) { try decode(#"{"type":"t","type":null}"#) }
        #expect(throws: BusError.self) { try decode(#"{"type":"t","code":true}"#) }
        #expect(try decode(#"{"type":"t","code":null,"timeout":12}"#).timeout == 12)
        #expect(throws: BusError.self) { try decode(#"{"type":"t"} x"#) }
        #expect(throws: BusError.self) { try decode(#"{"type":"t","#) }
        #expect(throws: BusError.self) { try decode(#"{"type":"t" "id":"x"}"#) }
    }

    @Test func endpointsDeriveFromOneBase() throws {
        let tcp = try BusEndpoints(base: "tcp://127.0.0.1:7700")
        #expect(tcp.requests == "tcp://127.0.0.1:7700")
        #expect(tcp.publish == "tcp://127.0.0.1:7701")
        #expect(tcp.subscribe == "tcp://127.0.0.1:7702")
        #expect(try BusEndpoints(base: "ipc:///tmp/b").subscribe == "ipc:///tmp/b.sub")
        #expect(throws: BusError.self) { try BusEndpoints(base: "http://x") }
    }
}
