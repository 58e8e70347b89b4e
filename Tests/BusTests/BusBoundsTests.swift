import Bus
import BusTesting
import CZeroMQ
import Foundation
import Synchronization
import Testing

@testable import Broker

/// Message size and subscriber bounds with a real broker (issue 10): nothing over a bound is dropped silently.
@Suite(.timeLimit(.minutes(1)))
struct BusBoundsTests {
    @Test func theClientRefusesARequestOverTheLimitBeforeSending() async throws {
        try await withBroker { endpoints, broker in
            let client = try BusClient(endpoints: endpoints)
            defer { client.close() }
            let huge = [UInt8](repeating: 65, count: Int(WireProtocol.maxMessageBytes) + 1)
            let error = await #expect(throws: BusError.self) {
                _ = try await client.request(service: "echo", type: "put", payload: huge, timeout: .seconds(2))
            }
            #expect(error?.isTooLarge == true)
            #expect(error?.message.contains("at most 64 MiB") == true)
        }
    }

    @Test func aReplyOverTheLimitBecomesAnErrorReply() async throws {
        try await withBroker { endpoints, _ in
            let worker = try Worker(endpoints: endpoints, service: "big")
            let serving = Task {
                await worker.run { _ in
                    BusReply(code: 200, payload: [UInt8](repeating: 65, count: Int(WireProtocol.maxMessageBytes) + 1))
                }
            }
            defer {
                worker.close()
                serving.cancel()
            }
            let client = try BusClient(endpoints: endpoints)
            defer { client.close() }
            let reply = try await client.request(service: "big", type: "list", payload: [], timeout: .seconds(5))
            #expect(reply.code == 500)
            #expect(String(decoding: reply.payload, as: UTF8.self).contains("over the bus limit of 64 MiB"))
        }
    }

    @Test func theBrokerAnswersAnOverLargeRequestWith413() async throws {
        try await withBroker { endpoints, _ in
            // A raw DEALER, as a client in another language that does not check the size would send it.
            let ctx = ZMQContext()
            let raw = zmq_socket(ctx.handle, ZMQ_DEALER)!
            var linger: Int32 = 0
            zmq_setsockopt(raw, ZMQ_LINGER, &linger, 4)
            zmq_connect(raw, endpoints.requests)
            defer {
                zmq_close(raw)
                ctx.terminate()
            }
            let frames: [[UInt8]] = [
                [], WireProtocol.client, Array("echo".utf8), Array(#"{"type":"put","id":"big-1"}"#.utf8),
                [UInt8](repeating: 65, count: Int(WireProtocol.maxMessageBytes) + 1),
            ]
            for (i, f) in frames.enumerated() {
                _ = f.withUnsafeBytes {
                    zmq_send(raw, $0.baseAddress, $0.count, i < frames.count - 1 ? ZMQ_SNDMORE : 0)
                }
            }
            var item = zmq_pollitem_t(socket: raw, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
            #expect(zmq_poll(&item, 1, 10_000) == 1)
            var reply: [[UInt8]] = []
            while true {
                var msg = zmq_msg_t()
                zmq_msg_init(&msg)
                guard zmq_msg_recv(&msg, raw, ZMQ_DONTWAIT) >= 0 else { break }
                reply.append([UInt8](UnsafeRawBufferPointer(start: zmq_msg_data(&msg), count: zmq_msg_size(&msg))))
                let more = zmq_msg_more(&msg) != 0
                zmq_msg_close(&msg)
                if !more { break }
            }
            try #require(reply.count == 5)
            let env = try Envelope.decode(reply[3])
            #expect(env.code == 413)
            #expect(env.id == "big-1")
        }
    }

    @Test func aSubscriberThatNeverReadsIsBoundedInBytesAndItsLossIsCounted() async throws {
        try await withBroker(configure: { $0.subscriberQueueBytes = 8 << 20 }) { endpoints, broker in
            // A SUB that never reads, with small buffers of its own so the broker's queue fills.
            let ctx = ZMQContext()
            let stuck = zmq_socket(ctx.handle, ZMQ_SUB)!
            var one: Int32 = 1
            var small: Int32 = 64 << 10
            var linger: Int32 = 0
            zmq_setsockopt(stuck, ZMQ_RCVHWM, &one, 4)
            zmq_setsockopt(stuck, ZMQ_RCVBUF, &small, 4)
            zmq_setsockopt(stuck, ZMQ_LINGER, &linger, 4)
            zmq_setsockopt(stuck, ZMQ_SUBSCRIBE, "", 0)
            zmq_connect(stuck, endpoints.subscribe)
            defer {
                zmq_close(stuck)
                ctx.terminate()
            }
            let reader = try Subscriber(endpoints: endpoints, topics: ["load/"])
            defer { reader.close() }
            let publisher = try Publisher(endpoints: endpoints)
            defer { publisher.close() }
            #expect(await eventually { broker.stats.activeSubscriptions.load(ordering: .relaxed) >= 2 })
            // 4,000 events of 4 KiB: the stuck subscriber may hold about 8 MiB of them at the broker, 2,048 (the
            // mark would be 100,000 events without the byte bound, and nothing would overflow).
            // A PUB drops what it sends before the subscriptions reached it (ZeroMQ's slow joiner): publish small
            // events until the reader gets one, then count from there.
            #expect(
                await eventually {
                    publisher.publish(topic: "load/warm", envelope: Envelope(type: "Load"), payload: [1])
                    return reader.received >= 1
                })
            try await Task.sleep(for: .milliseconds(100))
            let forwarded = broker.stats.forwarded.load(ordering: .relaxed)
            let received = reader.received
            let payload = [UInt8](repeating: 66, count: 4000)
            for i in 0..<4000 {
                publisher.publish(topic: "load/x", envelope: Envelope(type: "Load"), payload: payload)
                if i % 100 == 99 { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(
                await eventually(timeout: .seconds(10)) {
                    broker.stats.forwarded.load(ordering: .relaxed) - forwarded >= 4000
                })
            #expect(broker.stats.slowSubscriberOverflows.load(ordering: .relaxed) >= 1)  // counted
            #expect(await eventually(timeout: .seconds(10)) { reader.received - received >= 4000 })  // it lost nothing
        }
    }

    @Test func subscriptionsAreBoundedAndRefusalsCounted() async throws {
        try await withBroker(configure: { $0.maxSubscriptions = 5 }) { endpoints, broker in
            let sub = try Subscriber(endpoints: endpoints, topics: (0..<8).map { "event/Pod/ns\($0)/" })
            defer { sub.close() }
            #expect(await eventually { broker.stats.refusedSubscriptions.load(ordering: .relaxed) == 3 })
            #expect(broker.stats.activeSubscriptions.load(ordering: .relaxed) == 5)
            let long = try Subscriber(endpoints: endpoints, topics: [String(repeating: "x", count: 2000)])
            defer { long.close() }
            #expect(await eventually { broker.stats.refusedSubscriptions.load(ordering: .relaxed) == 4 })
            // Subscriptions of a subscriber that leaves are released.
            sub.close()
            #expect(await eventually { broker.stats.activeSubscriptions.load(ordering: .relaxed) == 0 })
        }
    }

    @Test func aConnectionThatSendsTooManySubscriptionsIsShutDownAndOthersKeepTheirs() async throws {
        try await withBroker(tcp: true, configure: { $0.maxSubscriptionBytesPerConnection = 16 << 10 }) {
            endpoints, broker in
            let good = try Subscriber(endpoints: endpoints, topics: ["load/"])
            defer { good.close() }
            #expect(await eventually { broker.stats.activeSubscriptions.load(ordering: .relaxed) == 1 })
            // 2,000 distinct subscriptions of 1 KB on one connection (about 70 MB of libzmq trie if all were kept).
            let ctx = ZMQContext()
            let flood = zmq_socket(ctx.handle, ZMQ_SUB)!
            var linger: Int32 = 0
            zmq_setsockopt(flood, ZMQ_LINGER, &linger, 4)
            zmq_connect(flood, endpoints.subscribe)
            for i in 0..<2_000 {
                let topic = Array("flood/\(i)/\(String(repeating: "x", count: 1_000))".utf8)
                zmq_setsockopt(flood, ZMQ_SUBSCRIBE, topic, topic.count)
            }
            #expect(await eventually { broker.stats.disconnectedSubscribers.load(ordering: .relaxed) >= 1 })
            // Whatever of it was applied is taken back when the connection is shut down; the good one stays.
            zmq_close(flood)
            ctx.terminate()
            #expect(await eventually { broker.stats.activeSubscriptions.load(ordering: .relaxed) == 1 })
            let publisher = try Publisher(endpoints: endpoints)
            defer { publisher.close() }
            #expect(
                await eventually {
                    publisher.publish(topic: "load/x", envelope: Envelope(type: "Load"), payload: [1])
                    return good.received >= 1
                })
        }
    }

    @Test func aSubscriberWithinTheBoundIsNeverDisconnected() async throws {
        try await withBroker(tcp: true, configure: { $0.maxSubscriptionBytesPerConnection = 16 << 10 }) {
            endpoints, broker in
            let topics = (0..<100).map { "event/Pod/namespace-\($0)/" }  // about 3 KB
            let sub = try Subscriber(endpoints: endpoints, topics: topics)
            defer { sub.close() }
            #expect(await eventually { broker.stats.activeSubscriptions.load(ordering: .relaxed) == 100 })
            try await Task.sleep(for: .milliseconds(200))
            #expect(broker.stats.disconnectedSubscribers.load(ordering: .relaxed) == 0)
        }
    }
}

@Suite struct PublisherBoundsTests {
    @Test func theSubscriberHighWaterMarkHoldsTheQueueBytesOfSmallEvents() throws {
        var c = BrokerConfiguration(endpoints: try BusEndpoints(base: "ipc:///tmp/unused"))
        #expect(ForwarderDriver.highWaterMark(configuration: c) == 16_384)  // 64 MiB of 4 KiB
        c.subscriberQueueBytes = 1 << 40
        #expect(ForwarderDriver.highWaterMark(configuration: c) == 100_000)  // never above the mark
        c.subscriberQueueBytes = 100
        #expect(ForwarderDriver.highWaterMark(configuration: c) == 1)
    }

    @Test func anEventOverTheLimitIsNotSentButCounted() async throws {
        try await withBroker { endpoints, broker in
            let publisher = try Publisher(endpoints: endpoints)
            defer { publisher.close() }
            publisher.publish(
                topic: "load/x", envelope: Envelope(type: "Load"),
                payload: [UInt8](repeating: 1, count: Int(WireProtocol.maxMessageBytes)))
            #expect(publisher.oversized == 1)
            #expect(publisher.published == 0)
        }
    }
}
